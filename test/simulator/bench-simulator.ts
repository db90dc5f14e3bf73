/**
 * Lookup throughput of the simulator, in a separate process pinned to one core (taskset -c 0
 * when available), with 20,000+ incidents in the store and the request journal on.
 *
 *   npx tsx test/simulator/bench-simulator.ts [--duration 5] [--concurrency 16] [--incidents 20000]
 *
 * Prints one JSON object: requests/s at the given concurrency (keep-alive), client-side median and
 * p99 latency, the median latency of one request at a time, the simulator's own handling time
 * (from its journal), the simulator's CPU time per request (from /proc, where there is one) with
 * the requests per second one core could serve at that cost, and the simulator's counters
 * (requests answered, connections accepted).
 *
 * On a busy machine requests/s swings with the other load; CPU time per request does much less.
 */

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { builtInSeed } from '../../src/simulator/index.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '16' },
    incidents: { type: 'string', default: '20000' },
  },
});
const DURATION_MS = Number(values.duration) * 1000;
const CONCURRENCY = Number(values.concurrency);
const INCIDENTS = Number(values.incidents);
const KEY = 'bench-key';

function hasTaskset(): boolean {
  return spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;
}

async function writeBigSeed(file: string): Promise<{ emails: string[]; numbers: [number, number] }> {
  const seed = builtInSeed();
  const customers = seed.employees.map((e) => e.RecId);
  const owners = ['jdoe', 'ppatel', 'dwhitfield', 'jsmith', 'hthompson'];
  const categories = ['Network', 'Email', 'Hardware', 'Software', 'Printing', 'How-To', 'Password Reset'];
  const first = 10001 + (seed.incidents?.length ?? 0);
  for (let i = 0; i < INCIDENTS; i++) {
    seed.incidents?.push({
      Subject: `Generated incident ${i}: ${categories[i % categories.length]} problem`,
      Symptom: `Symptom text for generated incident ${i}.`,
      ProfileLink: customers[i % customers.length] ?? null,
      Owner: owners[i % owners.length] ?? null,
      Status: i % 3 === 0 ? 'Active' : 'Logged',
      Category: categories[i % categories.length] ?? null,
      Impact: ['Low', 'Medium', 'High'][i % 3] ?? null,
      Urgency: ['Low', 'Medium', 'High'][(i >> 1) % 3] ?? null,
      TypeOfIncident: 'Failure',
    });
  }
  await writeFile(file, JSON.stringify(seed));
  return { emails: seed.employees.map((e) => e.PrimaryEmail), numbers: [10001, first + INCIDENTS - 1] };
}

function startServer(seedFile: string, pin: boolean): Promise<{ child: ChildProcess; origin: string; base: string }> {
  const cli = resolve('src/simulator/cli.ts');
  const args = ['--import', 'tsx', cli, '--port', '0', '--api-key', KEY, '--seed', seedFile, '--admin'];
  const child = pin ? spawn('taskset', ['-c', '0', process.execPath, ...args], { stdio: ['ignore', 'pipe', 'inherit'] }) : spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((res, rej) => {
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        const url = out.slice(0, nl);
        res({ child, origin: new URL(url).origin, base: `${url}/api/odata/businessobject/` });
      }
    });
    child.on('exit', (code) => rej(new Error(`simulator exited with ${code}`)));
  });
}

function get(agent: Agent, url: string): Promise<number> {
  return new Promise((res, rej) => {
    const req = request(url, { agent, headers: { Authorization: `rest_api_key=${KEY}` } }, (r) => {
      r.resume();
      r.on('end', () => res(r.statusCode ?? 0));
    });
    req.on('error', rej);
    req.end();
  });
}

/** CPU seconds (user + system) the process has used, from /proc; undefined without /proc. */
function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] as number;
}

const round = (n: number, digits = 3): number => Math.round(n * 10 ** digits) / 10 ** digits;

async function measure(urlFor: (i: number) => string, concurrency: number, durationMs: number): Promise<{ requests: number; rps: number; medianMs: number; p99Ms: number; errors: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let errors = 0;
  let i = 0;
  const started = process.hrtime.bigint();
  const deadline = Date.now() + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        const t0 = process.hrtime.bigint();
        const status = await get(agent, urlFor(i++));
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (status !== 200) errors++;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, rps: Math.round(latencies.length / seconds), medianMs: round(percentile(latencies, 0.5)), p99Ms: round(percentile(latencies, 0.99)), errors };
}

/** Runs `measure` and adds the simulator's CPU time per request over the run. */
async function measureWithCpu(pid: number | undefined, urlFor: (i: number) => string, concurrency: number, durationMs: number) {
  const before = cpuSeconds(pid);
  const result = await measure(urlFor, concurrency, durationMs);
  const after = cpuSeconds(pid);
  if (before === undefined || after === undefined || after === before) return { ...result, cpuMsPerRequest: null, perCoreSecond: null };
  const perRequest = (after - before) / result.requests;
  return { ...result, cpuMsPerRequest: round(perRequest * 1000, 4), perCoreSecond: Math.round(1 / perRequest) };
}

async function serverStats(origin: string): Promise<unknown> {
  const r = await fetch(`${origin}/__sim/stats`);
  return r.ok ? r.json() : null;
}

async function serverMedian(origin: string): Promise<number> {
  const r = await fetch(`${origin}/__sim/journal?last=5000`);
  const { entries } = (await r.json()) as { entries: Array<{ durationMs: number | null }> };
  const times = entries.map((e) => e.durationMs).filter((d): d is number => d !== null).sort((a, b) => a - b);
  return round(percentile(times, 0.5), 4);
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'ism-sim-bench-'));
  const pin = hasTaskset() && availableParallelism() > 1;
  // Keep the load generator off the simulator's core.
  if (pin) spawnSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
  const seedFile = join(dir, 'seed.json');
  const { emails, numbers } = await writeBigSeed(seedFile);
  const startedAt = Date.now();
  const server = await startServer(seedFile, pin);
  const startupMs = Date.now() - startedAt;
  try {
    const byEmail = (i: number): string =>
      `${server.base}employees?$filter=${encodeURIComponent(`PrimaryEmail eq '${(emails[i % emails.length] as string).replace(/'/g, "''")}'`)}&$top=2`;
    const span = numbers[1] - numbers[0] + 1;
    const byNumber = (i: number): string =>
      `${server.base}incidents?$filter=${encodeURIComponent(`IncidentNumber eq ${numbers[0] + ((i * 7919) % span)}`)}`;

    const pid = server.child.pid;
    await measure(byEmail, CONCURRENCY, 1000); // warm-up
    const emailLookup = await measureWithCpu(pid, byEmail, CONCURRENCY, DURATION_MS);
    const emailServerMedianMs = await serverMedian(server.origin);
    await measure(byNumber, CONCURRENCY, 500);
    const numberLookup = await measureWithCpu(pid, byNumber, CONCURRENCY, DURATION_MS);
    const numberServerMedianMs = await serverMedian(server.origin);
    const emailSerial = await measure(byEmail, 1, Math.min(DURATION_MS, 2000));
    const numberSerial = await measure(byNumber, 1, Math.min(DURATION_MS, 2000));

    const result = {
      simulatorPinnedToOneCore: pin,
      incidentsInStore: numbers[1] - numbers[0] + 1,
      simulatorStartupMs: startupMs,
      concurrency: CONCURRENCY,
      durationSeconds: DURATION_MS / 1000,
      employeeEmailLookup: { ...emailLookup, serverMedianMs: emailServerMedianMs, serialMedianMs: emailSerial.medianMs },
      incidentNumberLookup: { ...numberLookup, serverMedianMs: numberServerMedianMs, serialMedianMs: numberSerial.medianMs },
      simulatorStats: await serverStats(server.origin),
      loadAverage: (await import('node:os')).loadavg().map((l) => round(l, 2)),
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    server.child.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
