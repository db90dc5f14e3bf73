/**
 * The plugin's command line: run, test, http, info, sample. Each command loads only
 * what it needs: `info` reads the generated manifest, `run` never loads the HTTP server.
 */
import { parseArgs } from 'node:util';
import type { AnyPlugin, PluginManifest } from './plugin.js';

export interface CliDefinition {
  bin: string;
  manifest: PluginManifest;
  specFile: string;
  loadPlugin(): Promise<AnyPlugin>;
}

export interface CliIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

const defaultIo = (): CliIo => ({ stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });

function usage(def: CliDefinition): string {
  return `Usage: ${def.bin} [--debug] <command> [options]

Commands:
  run                       read one start message on stdin, write the event envelope on stdout
                            (exit 0 when the step succeeded, 1 when it failed)
  test                      the same, through the connection test
  http [--port N] [--host H] [--body-limit BYTES] [--request-timeout SECONDS] [--workers N]
                            serve the plugin over HTTP (default 0.0.0.0:10001), in N processes
                            sharing the port (default 1)
  info                      describe the plugin and list its actions and triggers
  sample <step>             print a start message for an action or trigger, filled from the spec

Options:
  --debug                   log at debug level (for a trigger, write events to stdout)
  --help                    show this help
  --version                 show the plugin version

Environment: PLUGIN_HOST, PLUGIN_PORT, PLUGIN_BODY_LIMIT, PLUGIN_REQUEST_TIMEOUT (seconds),
PLUGIN_WORKERS, PLUGIN_CONNECTION_CACHE_SIZE, LOG_LEVEL (debug, info, warn, error; default info).
`;
}

class UsageError extends Error {}

function positiveInt(value: string | undefined, what: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`${what} must be a positive integer, not '${value}'`);
  return Number(value);
}

function port(value: string | undefined, what: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new UsageError(`${what} must be a port number (0-65535), not '${value}'`);
  return Number(value);
}

/** More server processes than this is a mistake, not a deployment. */
const MAX_WORKERS = 64;

function workerCount(n: number | undefined): number | undefined {
  if (n !== undefined && n > MAX_WORKERS) throw new UsageError(`--workers (PLUGIN_WORKERS) must be at most ${MAX_WORKERS}, not ${n}`);
  return n;
}

/** Runs the command line; resolves to the exit code (the http command resolves when stopped). */
export async function runCli(def: CliDefinition, argv: string[], io: CliIo = defaultIo()): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        debug: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        'body-limit': { type: 'string' },
        'request-timeout': { type: 'string' },
        workers: { type: 'string' },
      },
    });
  } catch (err) {
    io.stderr.write(`${def.bin}: ${(err as Error).message}\n\n${usage(def)}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(usage(def));
    return 0;
  }
  if (values.version) {
    io.stdout.write(`${def.manifest.info.name} ${def.manifest.info.version}\n`);
    return 0;
  }
  const [command, ...rest] = positionals;
  const logLevel = values.debug ? 'debug' : (io.env.LOG_LEVEL ?? 'info');
  try {
    switch (command) {
      case 'run':
      case 'test': {
        if (rest.length > 0) throw new UsageError(`'${command}' takes no arguments (got '${rest.join(' ')}')`);
        const { runStdio } = await import('./stdio.js');
        return await runStdio(def, command, { io, logLevel, debug: values.debug });
      }
      case 'http': {
        if (rest.length > 0) throw new UsageError(`'http' takes no arguments (got '${rest.join(' ')}')`);
        const { serveHttp } = await import('./http-command.js');
        return await serveHttp(def, {
          io,
          logLevel,
          host: values.host ?? io.env.PLUGIN_HOST ?? '0.0.0.0',
          port: port(values.port, '--port') ?? port(io.env.PLUGIN_PORT, 'PLUGIN_PORT') ?? 10001,
          bodyLimit: positiveInt(values['body-limit'], '--body-limit') ?? positiveInt(io.env.PLUGIN_BODY_LIMIT, 'PLUGIN_BODY_LIMIT'),
          requestTimeoutSeconds:
            positiveInt(values['request-timeout'], '--request-timeout') ?? positiveInt(io.env.PLUGIN_REQUEST_TIMEOUT, 'PLUGIN_REQUEST_TIMEOUT'),
          connectionCacheSize: positiveInt(io.env.PLUGIN_CONNECTION_CACHE_SIZE, 'PLUGIN_CONNECTION_CACHE_SIZE'),
          workers: workerCount(positiveInt(values.workers, '--workers') ?? positiveInt(io.env.PLUGIN_WORKERS, 'PLUGIN_WORKERS')),
        });
      }
      case 'info':
        io.stdout.write(describePlugin(def.manifest));
        return 0;
      case 'sample': {
        const [stepName, ...extra] = rest;
        if (!stepName) throw new UsageError('sample needs the name of an action or trigger');
        if (extra.length > 0) throw new UsageError(`'sample' takes one step name (got '${rest.join(' ')}')`);
        const { loadSpecFile } = await import('../spec/load.js');
        const { sampleMessage } = await import('../spec/sample.js');
        const message = sampleMessage(loadSpecFile(def.specFile), stepName);
        if (!message) {
          const steps = [...def.manifest.actions, ...def.manifest.triggers].map((s) => s.name).join(', ');
          throw new UsageError(`unknown step '${stepName}'; steps: ${steps}`);
        }
        io.stdout.write(JSON.stringify(message, null, 2) + '\n');
        return 0;
      }
      case undefined:
        throw new UsageError('no command given');
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`${def.bin}: ${err.message}\n\n${usage(def)}`);
      return 2;
    }
    throw err;
  }
}

export function describePlugin(manifest: PluginManifest): string {
  const { info } = manifest;
  const steps = (list: PluginManifest['actions']) => {
    if (list.length === 0) return '  (none)\n';
    const width = Math.max(...list.map((s) => s.name.length));
    return list.map((s) => `  ${s.name.padEnd(width)}  ${s.title}: ${s.description}\n`).join('');
  };
  return (
    `${info.title} (${info.name}) ${info.version}\n` +
    `Vendor:      ${info.vendor}\n` +
    `Description: ${info.description}\n\n` +
    `Actions:\n${steps(manifest.actions)}\n` +
    `Triggers:\n${steps(manifest.triggers)}`
  );
}
