/**
 * Shared by the hardening suite: the one canary API key and its search, the stack (simulator
 * plus the runtime's real HTTP server with the Ivanti plugin) keyed with the canary, raw HTTP
 * requests that send any bytes at all, the runtime server in a child process (to read its
 * memory), and the figures each file merges into reliability/results.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RetryPolicy } from '../../src/ivanti/connection.js';
import { imageNodeOptions } from '../shipped/shipped.js';
import { parseJson, startIsmStack, type Json, type Stack, type StackOptions as IsmStackOptions } from '../fixtures/ism-stack.js';

export type { Json };

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
const SERVER_CHILD = fileURLToPath(new URL('./fixtures/server-child.ts', import.meta.url));
// `npm run reliability` names the file: a scratch copy unless it was asked to --record.
const RESULTS = process.env.RELIABILITY_RESULTS || fileURLToPath(new URL('../../reliability/results.json', import.meta.url));

/**
 * The canary API key of the whole suite. Its URL-encoded and JSON-escaped forms differ from
 * it (`+`, `/`, `=`, `"`), so a leak in any of those forms is caught as well.
 */
export const CANARY = 'CANARY-k3y+h4rd/3n="c0ffee9d"';
/** The part no mask or excerpt should ever let through, even cut short. */
const CANARY_CORE = 'CANARY-k3y';

export const CANARY_FORMS: readonly string[] = [
  CANARY,
  encodeURIComponent(CANARY),
  JSON.stringify(CANARY).slice(1, -1),
  JSON.stringify(JSON.stringify(CANARY)).slice(1, -1),
  Buffer.from(CANARY).toString('base64'),
  CANARY_CORE,
];

/** How many times the canary (any form) shows in a text. */
export function canaryHits(text: string): number {
  let hits = 0;
  for (const form of CANARY_FORMS) hits += text.split(form).length - 1;
  return hits;
}

/** Retries as the production policy, with backoff short enough for the suite. */
export const FAST_RETRY: Partial<RetryPolicy> = { baseDelayMs: 5, maxDelayMs: 20, retryAfterCapMs: 1_500 };

export type { Stack, StepAnswer } from '../fixtures/ism-stack.js';
export { parseJson };
export type StackOptions = IsmStackOptions;

/**
 * The stack keyed with the canary. Answers are not checked here: the suite counts where the
 * canary shows instead (canaryHits), and reports it.
 */
export function startStack(options: StackOptions = {}): Promise<Stack> {
  return startIsmStack(
    { apiKeys: { [CANARY]: 'Administrator' }, key: CANARY, retry: FAST_RETRY, loggerName: 'hardening', meta: { job: 'hardening' } },
    { ...options, connection: { request_timeout: 5, connect_timeout: 5, ...options.connection } },
  );
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** POSTs any bytes with any headers (no client-side checks), answered or rejected within `timeoutMs`. */
export function rawPost(base: string, path: string, body: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }, timeoutMs = 15_000): Promise<RawAnswer> {
  const url = new URL(path, base);
  const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method: 'POST', headers: { ...headers, 'content-length': String(payload.length) }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer to POST ${path} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Runs tasks with at most `limit` in flight. */
export async function pool<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export function tally<K extends string | number>(counts: Record<string, number>, key: K): void {
  counts[String(key)] = (counts[String(key)] ?? 0) + 1;
}

// ---------------------------------------------------------------------------------------------
// The runtime server in a child process: its memory is its own, not the test's or the simulator's.

export interface ChildMemory {
  rss: number;
  /** The highest RSS the process has had so far. */
  maxRss: number;
  heapUsed: number;
  /** Own keys of Object.prototype beyond the standard ones (must stay empty). */
  prototypeKeys: string[];
}

export interface ServerChild {
  url: string;
  memory(): Promise<ChildMemory>;
  alive(): boolean;
  stderr(): string;
  close(): Promise<void>;
}

export async function startServerChild(env: Record<string, string> = {}): Promise<ServerChild> {
  const child: ChildProcess = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', SERVER_CHILD], {
    cwd: ROOT,
    // The V8 options the image runs the server with: without its cap on the young generation,
    // Node 24 grows it by tens of MB under load, which reads as RSS growth between rounds.
    env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} ${imageNodeOptions()}`.trim(), ...env },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  let exited = false;
  child.once('exit', () => (exited = true));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server child did not start within 120 s: ${stderr.slice(-2000)}`)), 120_000);
    child.once('message', (m: { url?: string }) => {
      clearTimeout(timer);
      if (m.url) resolve(m.url);
      else reject(new Error('the server child sent no url'));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server child exited (${code}) before listening: ${stderr.slice(-2000)}`));
    });
  });
  let seq = 0;
  return {
    url,
    alive: () => !exited,
    stderr: () => stderr,
    memory: () =>
      new Promise<ChildMemory>((resolve, reject) => {
        const id = ++seq;
        const timer = setTimeout(() => reject(new Error('the server child did not report its memory within 60 s')), 60_000);
        const onMessage = (m: { id?: number; memory?: ChildMemory }) => {
          if (m.id !== id || !m.memory) return;
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve(m.memory);
        };
        child.on('message', onMessage);
        child.send({ id, op: 'memory' });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// Command line children

export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the plugin's command line (`node --import tsx src/cli.ts ...`) with `stdin`. */
export function runCli(args: string[], stdin: string, timeoutMs = 120_000): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'debug' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`cli ${args.join(' ')} did not finish within ${timeoutMs} ms\nstderr: ${stderr.slice(-2000)}`));
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin);
  });
}

// ---------------------------------------------------------------------------------------------
// Figures

/**
 * Merges one section into the results file (when RELIABILITY_RECORD=1, as
 * `npm run reliability` sets it, into RELIABILITY_RESULTS or reliability/results.json). Test files run in parallel, so the
 * read-modify-write happens under a lock directory (bounded wait) and the file is replaced
 * by a rename, never half-written.
 */
export function recordResults(section: string, figures: Json): void {
  // Only `npm run reliability` records figures; a plain `npm test` leaves the committed file alone.
  if (process.env.RELIABILITY_RECORD !== '1') return;
  const lock = `${RESULTS}.lock`;
  mkdirSync(dirname(RESULTS), { recursive: true });
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (Date.now() > deadline) {
        // A run killed while holding the lock: take it over.
        rmdirSync(lock);
        continue;
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
  try {
    let all: Json = {};
    try {
      all = JSON.parse(readFileSync(RESULTS, 'utf8')) as Json;
    } catch {
      all = {};
    }
    all[section] = { ...figures, recordedAt: new Date().toISOString() };
    const sorted = Object.fromEntries(Object.keys(all).sort().map((k) => [k, all[k]]));
    const tmp = `${RESULTS}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(sorted, null, 2) + '\n');
    renameSync(tmp, RESULTS);
  } finally {
    rmdirSync(lock);
  }
}
