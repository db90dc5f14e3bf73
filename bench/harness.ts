/**
 * What the benchmarks share: child processes for the simulator and the plugin server,
 * a lean keep-alive HTTP client, closed-loop load, and statistics.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { readFileSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import got from 'got';
import { imageNodeOptions } from '../test/shipped/shipped.js';
import { performance } from 'node:perf_hooks';

export const root = process.cwd();

/**
 * The environment the plugin's processes get: this machine's, less NODE_EXTRA_CA_CERTS.
 * The image does not set it; where a host sets it (to trust an intercepting proxy), every
 * Node process reads and parses that certificate bundle at start, which would be measured
 * as the plugin's own start-up.
 */
export function processEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: imageNodeOptions(), ...extra };
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

export interface Started {
  child: ChildProcess;
  url: string;
  pid: number;
  /** Lines the process has written to stderr so far. */
  readonly stderrLines: number;
  stop(): Promise<void>;
}

/** taskset (util-linux) pins a process to CPUs where it exists. */
export const canPin = spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;

interface Spawned {
  child: ChildProcess;
  pid: number;
  /** The last lines the process printed, for error messages. */
  tail: string[];
  readonly stderrLines: number;
  stop(): Promise<void>;
}

/** Starts `node <args>`, optionally pinned to CPUs. */
function spawnNode(args: string[], opts: { cpus?: string; env?: NodeJS.ProcessEnv } = {}): Spawned {
  const command = opts.cpus && canPin ? 'taskset' : process.execPath;
  const argv = opts.cpus && canPin ? ['-c', opts.cpus, process.execPath, ...args] : args;
  const child = spawn(command, argv, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: processEnv(opts.env) });
  const tail: string[] = [];
  const keep = (line: string) => {
    if (tail.length > 20) tail.shift();
    tail.push(line);
  };
  let stderrLines = 0;
  createInterface({ input: child.stdout! }).on('line', keep);
  createInterface({ input: child.stderr! }).on('line', (line) => {
    stderrLines++;
    keep(line);
  });
  return {
    child,
    pid: child.pid!,
    tail,
    get stderrLines() {
      return stderrLines;
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await once(child, 'exit');
      clearTimeout(kill);
    },
  };
}

export function startSimulatorProcess(apiKey: string, cpus?: string): Promise<Started> {
  const spawned = spawnNode(['dist/simulator/cli.js', '--port', '0', '--host', '127.0.0.1', '--api-key', apiKey, '--admin'], { cpus });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the simulator did not start in 20 s: ${spawned.tail.join('\n')}`)), 20_000);
    createInterface({ input: spawned.child.stdout! }).on('line', (line) => {
      if (!/^https?:\/\//.test(line.trim())) return;
      clearTimeout(timer);
      resolve({ ...spawned, url: line.trim() });
    });
    spawned.child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the simulator exited with ${code}: ${spawned.tail.join('\n')}`));
    });
  });
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The plugin server, ready once /api/v1/status answers: at warn level (as a busy deployment
 * would log) unless told otherwise. Its stderr comes to the bench, read line by line as a
 * log collector would.
 */
export async function startPluginProcess(options: { cpus?: string; logLevel?: string } = {}): Promise<Started> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const spawned = spawnNode(['dist/cli.js', 'http', '--port', String(port), '--host', '127.0.0.1'], { cpus: options.cpus, env: { LOG_LEVEL: options.logLevel ?? 'warn' } });
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (spawned.child.exitCode !== null) throw new Error(`the plugin server exited: ${spawned.tail.join('\n')}`);
    try {
      // Assigned, not spread: a spread would freeze the stderr line count at this moment.
      if ((await fetch(`${url}/api/v1/status`)).ok) return Object.assign(spawned, { url });
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await spawned.stop();
      throw new Error(`the plugin server did not start in 20 s: ${spawned.tail.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A minimal keep-alive client: what a fast orchestrator or a direct ISM caller would use. */
export class Client {
  readonly agent = new Agent({ keepAlive: true, maxSockets: 256 });
  constructor(private readonly headers: Record<string, string> = {}) {}

  send(method: string, url: string, body?: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { ...this.headers };
      if (body !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = Buffer.byteLength(body);
      }
      const req = request(url, { method, agent: this.agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  async json<T = unknown>(method: string, url: string, body?: unknown): Promise<{ status: number; json: T }> {
    const r = await this.send(method, url, body === undefined ? undefined : JSON.stringify(body));
    return { status: r.status, json: (r.body ? JSON.parse(r.body) : undefined) as T };
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface LoadResult {
  count: number;
  errors: number;
  seconds: number;
  perSecond: number;
  latenciesMs: number[];
  firstError?: string;
}

/** Closed loop: `concurrency` workers each run `task` until `total` tasks ran or `seconds` passed. */
export async function closedLoop(
  concurrency: number,
  limit: { total?: number; seconds?: number },
  task: (i: number) => Promise<void>,
): Promise<LoadResult> {
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  const latencies: number[] = [];
  const t0 = performance.now();
  const deadline = limit.seconds === undefined ? Infinity : t0 + limit.seconds * 1000;
  const total = limit.total ?? Infinity;
  const worker = async () => {
    while (next < total && performance.now() < deadline) {
      const i = next++;
      const s = performance.now();
      try {
        await task(i);
      } catch (err) {
        errors++;
        firstError ??= (err as Error).message;
      }
      latencies.push(performance.now() - s);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  return { count: latencies.length, errors, seconds, perSecond: latencies.length / seconds, latenciesMs: latencies, firstError };
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export interface Figure {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export function figure(runs: number[]): Figure {
  return { median: median(runs), min: Math.min(...runs), max: Math.max(...runs), runs };
}

/** CPU time (user and system) a process has used so far, in microseconds, from /proc. */
export function cpuMicros(pid: number): number {
  // The fields after the command name (which may hold spaces) start at the state, field 3;
  // utime and stime are fields 14 and 15, in clock ticks (100 a second on Linux).
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop()!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/**
 * The same ISM calls through got, configured as the plugin's client is (keep-alive agent,
 * stream interface): the baseline that isolates what the runtime and the plugin add from
 * what the HTTP client itself costs.
 */
export class GotClient {
  readonly agent = new Agent({ keepAlive: true, maxSockets: 256 });
  private readonly got;
  constructor(headers: Record<string, string>) {
    this.got = got.extend({ agent: { http: this.agent }, headers, retry: { limit: 0 }, throwHttpErrors: false, followRedirect: false, http2: false });
  }

  send(method: string, url: string, body?: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const stream = this.got.stream(url, { method: method as 'GET', ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }) });
      if (body === undefined && method !== 'GET') stream.end();
      let status = 0;
      const chunks: Buffer[] = [];
      stream.once('response', (r: { statusCode: number }) => (status = r.statusCode));
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.once('end', () => resolve({ status, body: Buffer.concat(chunks).toString('utf8') }));
      stream.once('error', reject);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
