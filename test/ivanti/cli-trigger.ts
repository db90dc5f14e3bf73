/**
 * A trigger as the orchestrator runs it: `cli.ts --debug run` in a child process with a state
 * file, printing its events on stdout. Shared by the state-file tests of the triggers.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Simulator } from '../../src/simulator/index.js';
import { KEY } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'src', 'cli.ts');

export interface CliTrigger {
  exit: Promise<number | null>;
  stdout(): string;
  stderr(): string;
  /** SIGTERM (when still running), then the exit code. */
  stop(): Promise<number | null>;
}

export function startCliTrigger(trigger: string, sim: Simulator, stateFile: string): CliTrigger {
  const message = {
    version: 'v1',
    type: 'trigger_start',
    body: { trigger, meta: {}, connection: { credentials: { secretKey: KEY }, url: sim.url, ssl_verify: true }, input: { frequency: 1 } },
  };
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info', TRIGGER_STATE_FILE: stateFile };
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--debug', 'run'], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  child.stdin!.end(JSON.stringify(message));
  const exit = once(child, 'exit').then(([code]) => code as number | null);
  return {
    exit,
    stdout: () => stdout,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exit;
    },
  };
}
