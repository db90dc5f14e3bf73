/**
 * What the benchmarks share: child processes for the simulator and the plugin server,
 * a lean keep-alive HTTP client, closed-loop load, and statistics.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';

export const root = process.cwd();

export interface Started {
  child: ChildProcess;
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** taskset (util-linux) pins a process to CPUs where it exists. */
export const canPin = spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;

/** Starts `node <args>`, optionally pinned to CPUs, and waits for `ready` to find a URL in its output. */
export function startProcess(
  name: string,
  args: string[],
  stream: 'stdout' | 'stderr',
  ready: (line: string) => string | undefined,
  opts: { cpus?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Started> {
  const command = opts.cpus && canPin ? 'taskset' : process.execPath;
  const argv = opts.cpus && canPin ? ['-c', opts.cpus, process.execPath, ...args] : args;
  const child = spawn(command, argv, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
  const tail: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start in 20 s: ${tail.join('\n')}`)), 20_000);
    const onLine = (line: string) => {
      if (tail.length > 20) tail.shift();
      tail.push(line);
      const url = ready(line);
      if (url !== undefined) {
        clearTimeout(timer);
        resolve({
          child,
          url,
          pid: child.pid!,
          stop: async () => {
            if (child.exitCode !== null || child.signalCode !== null) return;
            child.kill('SIGTERM');
            const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
            await once(child, 'exit');
            clearTimeout(kill);
          },
        });
      }
    };
    createInterface({ input: child.stdout! }).on('line', stream === 'stdout' ? onLine : (l) => tail.push(l));
    createInterface({ input: child.stderr! }).on('line', stream === 'stderr' ? onLine : () => undefined);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}: ${tail.join('\n')}`));
    });
  });
}

export function startSimulatorProcess(apiKey: string, cpus?: string): Promise<Started> {
  return startProcess(
    'simulator',
    ['dist/simulator/cli.js', '--port', '0', '--host', '127.0.0.1', '--api-key', apiKey, '--admin'],
    'stdout',
    (line) => (/^https?:\/\//.test(line.trim()) ? line.trim() : undefined),
    { cpus },
  );
}

export function startPluginProcess(cpus?: string): Promise<Started> {
  return startProcess(
    'plugin server',
    ['dist/cli.js', 'http', '--port', '0', '--host', '127.0.0.1'],
    'stderr',
    (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; address?: { port?: number } };
        return entry.msg === 'plugin server listening' && entry.address?.port ? `http://127.0.0.1:${entry.address.port}` : undefined;
      } catch {
        return undefined;
      }
    },
    { cpus, env: { LOG_LEVEL: 'warn' } },
  );
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

export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}
