/**
 * The New Incident trigger's soak: the shipped trigger (`node dist/cli.js run`, as the image
 * runs it) polls the simulator at frequency 1 for a while (10 minutes in the full bench) while
 * incidents keep arriving, and POSTs each event to a dispatcher in this process. A probe
 * preloaded into the trigger's process (bench/soak-probe.mjs) reports its heap after a full GC
 * and its RSS every few seconds; the slopes per hour come from a least-squares line through the
 * samples after a warm-up. Every incident created must be delivered exactly once.
 *
 *   tsx bench/soak.ts [--minutes N] [--samples FILE]     # on its own (after npm run build)
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import { Client, processEnv, root, startSimulatorProcess } from './harness.js';

export interface SoakResult {
  seconds: number;
  frequencySeconds: number;
  /** ISM requests the trigger made (each poll makes one or more). */
  triggerRequests: number;
  samples: number;
  warmUpSeconds: number;
  heapStartMiB: number;
  heapEndMiB: number;
  heapSlopeMiBPerHour: number;
  /** The same without compiled code, which grows while V8 optimises and then levels off. */
  dataHeapSlopeMiBPerHour: number;
  codeStartMiB: number;
  codeEndMiB: number;
  rssStartMiB: number;
  rssEndMiB: number;
  rssSlopeMiBPerHour: number;
  /** RSS's parts (Linux): anonymous memory, and mapped files' pages (the node binary's). */
  rssAnonSlopeMiBPerHour: number;
  rssFileSlopeMiBPerHour: number;
  /** The heap V8 has committed, and what it has allocated with malloc (its compilers' zones). */
  heapCommittedSlopeMiBPerHour: number;
  mallocedSlopeMiBPerHour: number;
  incidentsCreated: number;
  eventsDelivered: number;
  duplicates: number;
  missed: number;
  nonJsonStderrLines: number;
}

interface Sample {
  at: number;
  heapUsed: number;
  code: number;
  heapTotal: number;
  malloced: number;
  rss: number;
  rssAnon: number | null;
  rssFile: number | null;
}

/** The slope of the least-squares line through (x, y), in y units per x unit. */
export function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den === 0 ? NaN : num / den;
}

const MiB = 1024 * 1024;
const q = (s: string) => encodeURIComponent(s).replace(/'/g, '%27');

/** samplesFile: where to keep every sample, one JSON line each, to see the curves behind the slopes. */
export async function runSoak(opts: { seconds: number; say: (text: string) => void; samplesFile?: string }): Promise<SoakResult> {
  const { seconds, say } = opts;
  const frequency = 1;
  const apiKey = `SOAK${randomBytes(12).toString('hex').toUpperCase()}`;
  const sim = await startSimulatorProcess(apiKey);
  const ism = new Client({ authorization: `rest_api_key=${apiKey}`, accept: 'application/json' });
  const odata = `${sim.url}/api/odata/businessobject/`;
  const stateDir = mkdtempSync(join(tmpdir(), 'soak-'));

  // The dispatcher: counts each delivered incident by number.
  const delivered = new Map<number, number>();
  const dispatcher = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const envelope = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { body?: { output?: { incident?: { IncidentNumber?: number } } } };
        const n = Number(envelope.body?.output?.incident?.IncidentNumber);
        if (Number.isFinite(n)) delivered.set(n, (delivered.get(n) ?? 0) + 1);
      } catch {
        // counted as missing below
      }
      res.writeHead(200).end('{}');
    });
  });
  dispatcher.listen(0, '127.0.0.1');
  await once(dispatcher, 'listening');
  const dispatcherUrl = `http://127.0.0.1:${(dispatcher.address() as AddressInfo).port}/events`;

  const people = await ism.json<{ value: { RecId: string }[] }>('GET', `${odata}employees?$filter=${q("PrimaryEmail eq 'user@example.com'")}&$select=RecId&$top=1`);
  const customer = people.json.value[0]!.RecId;
  const created = new Set<number>();
  const createIncident = async (i: number) => {
    const r = await ism.json<{ IncidentNumber: number }>('POST', `${odata}incidents`, {
      Subject: `Soak incident ${i}`,
      Symptom: 'Created while the trigger soaks',
      ProfileLink: customer,
      Status: 'Logged',
      TypeOfIncident: 'Failure',
    });
    if (r.status >= 300) throw new Error(`creating a soak incident: ${r.status}`);
    created.add(Number(r.json.IncidentNumber));
  };
  // The trigger starts from the newest incident: one created before it starts is not news.
  await createIncident(0);
  const before = new Set(created);

  const probeMs = seconds >= 300 ? 5000 : 1000;
  const child = spawn(process.execPath, ['--expose-gc', '--import', pathToFileURL(join(root, 'bench/soak-probe.mjs')).href, 'dist/cli.js', 'run'], {
    cwd: root,
    stdio: ['pipe', 'ignore', 'pipe', 'pipe'],
    env: processEnv({ TRIGGER_STATE_FILE: join(stateDir, 'state.json'), SOAK_PROBE_MS: String(probeMs), LOG_LEVEL: 'info' }),
  });
  const samples: Sample[] = [];
  if (opts.samplesFile) writeFileSync(opts.samplesFile, '');
  createInterface({ input: child.stdio[3] as NodeJS.ReadableStream }).on('line', (line) => {
    samples.push(JSON.parse(line) as Sample);
    if (opts.samplesFile) appendFileSync(opts.samplesFile, `${line}\n`);
  });
  let nonJson = 0;
  const tail: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => {
    if (tail.length > 20) tail.shift();
    tail.push(line);
    try {
      JSON.parse(line);
    } catch {
      nonJson++;
    }
  });
  child.stdin!.end(
    JSON.stringify({
      version: 'v1',
      type: 'trigger_start',
      body: { trigger: 'new_incident', meta: {}, connection: { credentials: { secretKey: apiKey }, url: sim.url }, dispatcher: { url: dispatcherUrl }, input: { frequency } },
    }),
  );

  const exited = once(child, 'exit');
  // The trigger's place is the newest incident when it first polls: incidents are created only
  // after that first poll, so each one is news.
  const requestsBefore = await tenantRequests(sim.url);
  const startBy = Date.now() + 30_000;
  while ((await tenantRequests(sim.url)) === requestsBefore) {
    if (child.exitCode !== null || Date.now() > startBy) throw new Error(`the trigger did not poll: ${tail.join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 500));
  say(`trigger polling at frequency ${frequency} s for ${seconds} s`);
  const t0 = Date.now();
  const createdBefore = created.size;
  let i = 1;
  // Incidents arrive in small bursts a few seconds apart while the trigger runs.
  while (Date.now() - t0 < seconds * 1000) {
    if (child.exitCode !== null) throw new Error(`the trigger exited during the soak: ${tail.join('\n')}`);
    const burst = 1 + (i % 3);
    for (let k = 0; k < burst; k++) await createIncident(i++);
    await new Promise((r) => setTimeout(r, 3000));
  }
  // Time for the last incidents to be seen and delivered.
  const settle = Date.now() + 15_000;
  while (Date.now() < settle && [...created].some((n) => !before.has(n) && !delivered.has(n))) await new Promise((r) => setTimeout(r, 250));
  const triggerRequests = (await tenantRequests(sim.url)) - requestsBefore - (created.size - createdBefore);
  child.kill('SIGTERM');
  const [code] = await exited;
  dispatcher.close();
  ism.close();
  await sim.stop();
  rmSync(stateDir, { recursive: true, force: true });
  if (code !== 0) throw new Error(`the trigger exited with ${code}: ${tail.join('\n')}`);

  const warmUp = Math.min(180, seconds / 4);
  const start = samples[0]?.at ?? t0;
  const measured = samples.filter((s) => (s.at - start) / 1000 >= warmUp);
  const perHour = (pick: (s: Sample) => number) => slope(measured.map((s) => ({ x: (s.at - start) / 3_600_000, y: pick(s) / MiB })));
  const expected = [...created].filter((n) => !before.has(n));
  return {
    seconds,
    frequencySeconds: frequency,
    triggerRequests,
    samples: samples.length,
    warmUpSeconds: warmUp,
    heapStartMiB: (measured[0]?.heapUsed ?? NaN) / MiB,
    heapEndMiB: (measured.at(-1)?.heapUsed ?? NaN) / MiB,
    heapSlopeMiBPerHour: perHour((s) => s.heapUsed),
    dataHeapSlopeMiBPerHour: perHour((s) => s.heapUsed - s.code),
    codeStartMiB: (measured[0]?.code ?? NaN) / MiB,
    codeEndMiB: (measured.at(-1)?.code ?? NaN) / MiB,
    rssStartMiB: (measured[0]?.rss ?? NaN) / MiB,
    rssEndMiB: (measured.at(-1)?.rss ?? NaN) / MiB,
    rssSlopeMiBPerHour: perHour((s) => s.rss),
    rssAnonSlopeMiBPerHour: perHour((s) => s.rssAnon ?? NaN),
    rssFileSlopeMiBPerHour: perHour((s) => s.rssFile ?? NaN),
    heapCommittedSlopeMiBPerHour: perHour((s) => s.heapTotal),
    mallocedSlopeMiBPerHour: perHour((s) => s.malloced),
    incidentsCreated: expected.length,
    eventsDelivered: [...delivered.values()].reduce((a, b) => a + b, 0),
    duplicates: [...delivered.values()].filter((c) => c > 1).length,
    missed: expected.filter((n) => !delivered.has(n)).length,
    nonJsonStderrLines: nonJson,
  };
}

/** Requests the tenant has answered so far (admin routes not counted). */
async function tenantRequests(simUrl: string): Promise<number> {
  const r = await fetch(`${new URL(simUrl).origin}/__sim/stats`);
  return ((await r.json()) as { requests: number }).requests;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const at = process.argv.indexOf('--minutes');
  const minutes = at === -1 ? 10 : Number(process.argv[at + 1]);
  const samplesAt = process.argv.indexOf('--samples');
  const samplesFile = samplesAt === -1 ? undefined : process.argv[samplesAt + 1];
  const result = await runSoak({ seconds: minutes * 60, say: (text) => process.stderr.write(`[soak] ${text}\n`), samplesFile });
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}
