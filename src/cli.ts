#!/usr/bin/env node
/** The Ivanti Service Manager plugin's command line (bin `icon_ivanti_service_manager`). */
import { manifest } from './generated/manifest.js';
import { runCli } from './runtime/cli.js';
import { enableCompileCache } from './runtime/compile-cache.js';
import { findSpecFile } from './runtime/plugin.js';

// Before the command loads the rest of the bundle.
enableCompileCache();

const code = await runCli(
  {
    bin: 'icon_ivanti_service_manager',
    manifest,
    specFile: findSpecFile(import.meta.url),
    loadPlugin: async () => (await import('./ivanti/plugin.js')).plugin,
  },
  process.argv.slice(2),
);
process.exitCode = code;
