/**
 * Shared by the runtime tests: a hello-plugin server on a real port with its pino log
 * captured, start messages, and the hello command line as a real child process.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { Runtime, type RuntimeOptions } from '../../src/runtime/execute.js';
import { createLogger } from '../../src/runtime/logger.js';
import { startServer, type RunningServer, type ServerOptions } from '../../src/runtime/server.js';
import type { ValidatorSource } from '../../src/runtime/validate.js';
import { createHelloPlugin, type HelloStats } from '../fixtures/hello/plugin.js';

/** The connection secret planted in every message; no answer or log may ever show it. */
export const SECRET = 'pl4nted-S3CRET-9f2c';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const HELLO_CLI = fileURLToPath(new URL('../fixtures/hello/cli.ts', import.meta.url));

export type Json = Record<string, unknown>;

export function connection(extra: Json = {}, secret = SECRET): Json {
  return { greeting_key: { secretKey: secret }, ...extra };
}

/** An action_start for say_hello; `body` entries replace the defaults. */
export function actionStart(input: Json = { name: 'World' }, body: Json = {}): Json {
  return { version: 'v1', type: 'action_start', body: { action: 'say_hello', meta: {}, connection: connection(), input, ...body } };
}

export interface HelloServer {
  url: string;
  runtime: Runtime;
  stats: HelloStats;
  /** Everything pino wrote, as raw text. */
  logText(): string;
  logLines(): Json[];
  /** Closes the server and the runtime's connections; safe to call twice. */
  close(): Promise<void>;
}

export async function startHello(
  options: Partial<ServerOptions> & {
    runtime?: RuntimeOptions;
    /** Replaces the plugin's validator source (to observe how often validators are loaded). */
    validators?: (source: ValidatorSource) => ValidatorSource;
  } = {},
): Promise<HelloServer> {
  const created = createHelloPlugin();
  const stats = created.stats;
  const plugin = options.validators ? { ...created.plugin, validators: options.validators(created.plugin.validators) } : created.plugin;
  let log = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      log += chunk.toString('utf8');
      callback();
    },
  });
  const logger = createLogger({ level: 'debug', name: 'hello', destination });
  const runtime = new Runtime(plugin, { logger, ...options.runtime });
  const server: RunningServer = await startServer(runtime, { ...options, logger, host: '127.0.0.1', port: 0 });
  let closing: Promise<void> | undefined;
  return {
    url: server.url,
    runtime,
    stats,
    logText: () => log,
    logLines: () =>
      log
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Json),
    close: () => (closing ??= server.close()),
  };
}

export interface HttpAnswer {
  status: number;
  contentType: string;
  text: string;
  json: Json;
}

async function answer(res: Response): Promise<HttpAnswer> {
  const text = await res.text();
  let json: Json = {};
  try {
    json = JSON.parse(text) as Json;
  } catch {
    // Not every route answers JSON (the YAML spec); the caller checks `text` then.
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text, json };
}

export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  return answer(res);
}

export async function get(url: string): Promise<HttpAnswer> {
  return answer(await fetch(url, { signal: AbortSignal.timeout(10_000) }));
}

/** The body of an event envelope, typed loosely for assertions. */
export function eventBody(a: HttpAnswer): Json & { status?: string; log?: string; output?: Json; error?: string; exception?: Json; meta?: Json } {
  return (a.json.body ?? {}) as Json;
}

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the hello command line as a child process, feeding `stdin` (closed when undefined), with `env` added. */
export function runHello(args: string[], stdin?: string, timeoutMs = 120_000, env: Record<string, string> = {}): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', HELLO_CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'debug', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`hello ${args.join(' ')} did not finish within ${timeoutMs} ms\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin ?? '');
  });
}

/** stdout must be exactly one JSON line: the envelope. */
export function singleEnvelope(stdout: string): Json {
  const lines = stdout.split('\n');
  if (lines.length !== 2 || lines[1] !== '') throw new Error(`stdout is not exactly one line: ${JSON.stringify(stdout)}`);
  return JSON.parse(lines[0]!) as Json;
}

/** Each stderr line that looks like a log line must be a JSON object. */
export function stderrJsonLines(stderr: string): Json[] {
  return stderr
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Json);
}
