/**
 * `npm run bench [-- --quick] [-- --record] [-- --soak-minutes N | --no-soak | --soak-only]`:
 * the plugin's own cost next to the ISM calls it
 * must make. The simulator and the plugin server run as separate processes, on the Node that
 * runs the bench (run it on Node 24 with `PATH="$(bash ../shared/tools/node/node.sh 24):$PATH"`);
 * the same ISM calls are also made directly with keep-alive clients in the same run, so ratios
 * hold however fast the machine is. Prints a table; with --record it also writes
 * bench/results-node<major>.json and the README's table. Exits non-zero only when a run failed,
 * and lists the targets that were missed. Last comes the New Incident trigger's soak
 * (bench/soak.ts): 10 minutes at frequency 1 (30 seconds with --quick, too short for its slopes
 * to be judged).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { cpus, loadavg } from 'node:os';
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { canPin, Client, closedLoop, cpuMicros, GotClient, figure, median, processEnv, root, rssMiB, startPluginProcess, startSimulatorProcess } from './harness.js';
import { renderResults, resultsFile, updateReadme, type Results } from './readme.js';
import { runSoak, type SoakResult } from './soak.js';

const quick = process.argv.includes('--quick');
const record = process.argv.includes('--record');
const soakOnly = process.argv.includes('--soak-only');
const soakAt = process.argv.indexOf('--soak-minutes');
const soakMinutes = process.argv.includes('--no-soak') ? 0 : soakAt !== -1 ? Number(process.argv[soakAt + 1]) : quick ? 0.5 : 10;
/** The soak's slopes are judged only over a run this long: a shorter one is mostly warm-up. */
const SOAK_JUDGED_MINUTES = 5;
const RUNS = quick ? 3 : 5;
const started = performance.now();
// The machine's 1-minute load average when the bench starts: on a shared machine it says how far to trust absolute figures.
const loadAtStart = loadavg()[0]!;
const say = (text: string) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)}s] ${text}\n`);

const apiKey = `BENCH${randomBytes(12).toString('hex').toUpperCase()}`;
const EMPLOYEE_SELECT = '$select=RecId,LoginID,DisplayName,PrimaryEmail,Status&$top=2';
const EMPLOYEE_SELECT_BOTH = '$select=RecId,LoginID,DisplayName,PrimaryEmail,Status&$top=3';
const q = (s: string) => encodeURIComponent(s).replace(/'/g, '%27');

/** Runs the trigger soak; adds its targets. */
async function soak(targets: Results['targets'], fail: (what: string, detail: string) => void): Promise<SoakResult | undefined> {
  if (!(soakMinutes > 0)) return undefined;
  say(`trigger soak: New Incident at frequency 1 for ${soakMinutes} min, incidents arriving in bursts`);
  let result: SoakResult;
  try {
    result = await runSoak({ seconds: soakMinutes * 60, say });
  } catch (err) {
    fail('trigger soak', (err as Error).message);
    return undefined;
  }
  const t = (name: string, value: number, target: string, met: boolean) => targets.push({ name, value, target, met });
  t('trigger soak: incidents missed or delivered twice', result.missed + result.duplicates, '= 0', result.missed + result.duplicates === 0);
  t('trigger soak: stderr lines that are not JSON', result.nonJsonStderrLines, '= 0', result.nonJsonStderrLines === 0);
  if (soakMinutes >= SOAK_JUDGED_MINUTES) {
    // Judged without compiled code: V8 keeps optimising (and re-optimising) the trigger's code for
    // the first hour, which a heap-snapshot diff shows as the only growth; the objects do not grow.
    t('trigger soak: heap after GC without compiled code, slope (MiB per hour)', result.dataHeapSlopeMiBPerHour, '<= 1', result.dataHeapSlopeMiBPerHour <= 1);
    t('trigger soak: RSS slope (MiB per hour)', result.rssSlopeMiBPerHour, '<= 5', result.rssSlopeMiBPerHour <= 5);
  }
  return result;
}

async function main(): Promise<number> {
  if (soakOnly) {
    const targets: Results['targets'] = [];
    let failed = 0;
    const result = await soak(targets, (what, detail) => {
      failed++;
      say(`FAILED: ${what}: ${detail}`);
    });
    process.stdout.write(JSON.stringify({ soak: result, targets }, null, 2) + '\n');
    return failed ? 1 : 0;
  }
  say(`${quick ? 'quick' : 'full'} run: ${RUNS} runs per figure, ${cpus().length} cores, Node ${process.version}`);
  const sim = await startSimulatorProcess(apiKey);
  const ism = new Client({ authorization: `rest_api_key=${apiKey}`, accept: 'application/json' });
  const ismGot = new GotClient({ authorization: `rest_api_key=${apiKey}`, accept: 'application/json' });
  const orchestrator = new Client();
  const odata = `${sim.url}/api/odata/businessobject/`;
  const connection = { credentials: { secretKey: apiKey }, url: sim.url };
  let failures = 0;
  const fail = (what: string, detail: string) => {
    failures++;
    say(`FAILED: ${what}: ${detail}`);
  };

  const action = async (name: string, input: Record<string, unknown>, server: { url: string } = plugin) => {
    const r = await orchestrator.json<{ body: { status: string; output?: Record<string, unknown>; error?: string } }>(
      'POST',
      `${server.url}/actions/${name}`,
      { version: 'v1', type: 'action_start', body: { action: name, meta: {}, connection, input } },
    );
    if (r.status !== 200 || r.json.body.status !== 'ok') throw new Error(`${name}: ${r.status} ${r.json.body.error ?? ''}`);
    return r.json.body.output!;
  };
  interface Sender {
    send(method: string, url: string, body?: string): Promise<{ status: number; body: string }>;
  }
  const createInput = { summary: 'Benchmark incident', description: 'Created by the benchmark', customer: 'user@example.com', assignee: 'jdoe', type: 'Failure', status: 'Logged' };
  /** The same ISM calls as each action, made directly through a given client. */
  const directVia = (client: Sender) => {
    const get = async (path: string) => {
      const r = await client.send('GET', odata + path);
      if (r.status !== 200) throw new Error(`GET ${path}: ${r.status}`);
      return r.body ? (JSON.parse(r.body) as { value?: Record<string, unknown>[] }) : { value: [] };
    };
    const write = async (method: string, path: string, body: unknown) => {
      const r = await client.send(method, odata + path, JSON.stringify(body));
      if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.body.slice(0, 200)}`);
      return r.body ? (JSON.parse(r.body) as Record<string, unknown>) : {};
    };
    const findIncident = async (n: number) => {
      const rows = await get(`incidents?$filter=${q(`IncidentNumber eq ${n}`)}&$select=RecId,IncidentNumber&$top=2`);
      return String(rows.value![0]!.RecId);
    };
    return {
      /** As the plugin makes them: customer and assignee in one lookup, then the create. */
      async create() {
        const people = await get(`employees?$filter=${q("PrimaryEmail eq 'user@example.com' or LoginID eq 'jdoe' or DisplayName eq 'jdoe'")}&${EMPLOYEE_SELECT_BOTH}`);
        const customer = people.value!.find((e) => String(e.PrimaryEmail).toLowerCase() === 'user@example.com')!;
        const assignee = people.value!.find((e) => String(e.LoginID).toLowerCase() === 'jdoe')!;
        return write('POST', 'incidents', {
          Subject: createInput.summary,
          Symptom: createInput.description,
          ProfileLink: customer.RecId,
          Status: 'Logged',
          TypeOfIncident: 'Failure',
          Owner: assignee.LoginID,
        });
      },
      async update(n: number, status: string) {
        return write('PATCH', `incidents('${await findIncident(n)}')`, { Status: status });
      },
      async addNote(n: number) {
        return write('POST', 'journal__notess', { ParentLink_RecID: await findIncident(n), ParentLink_Category: 'Incident', Subject: 'Benchmark note', NotesBody: 'Note body' });
      },
    };
  };
  // 3. Cold start of one-shot processes, first: a step in a fresh container runs while no plugin
  // server exists, and the server and simulator of the later phases would still be collecting
  // garbage from their load for some seconds after it stops, competing with the process timed.
  say('cold start: run and info');
  const message = JSON.stringify({ version: 'v1', type: 'action_start', body: { action: 'create_incident', meta: {}, connection, input: createInput } });
  const timeProcess = async (args: string[], stdin?: string) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['pipe', 'pipe', 'ignore'], env: processEnv() });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stdin.end(stdin ?? '');
    const [code] = (await once(child, 'exit')) as [number];
    const ms = performance.now() - t0;
    if (code !== 0) throw new Error(`node ${args.join(' ')} exited ${code}: ${out.slice(0, 300)}`);
    return ms;
  };
  const coldRuns = quick ? 5 : 11;
  const cold = { run: [] as number[], info: [] as number[], node: [] as number[] };
  // Untimed: the file cache, and the simulator's first requests, warm.
  await timeProcess(['dist/cli.js', 'info']);
  await timeProcess(['dist/cli.js', 'run'], message);
  for (let i = 0; i < coldRuns; i++) {
    try {
      cold.run.push(await timeProcess(['dist/cli.js', 'run'], message));
      cold.info.push(await timeProcess(['dist/cli.js', 'info']));
      cold.node.push(await timeProcess(['-e', '0']));
    } catch (err) {
      fail('cold start', (err as Error).message);
    }
  }

  const plugin = await startPluginProcess();
  const direct = directVia(ism);
  const directGot = directVia(ismGot);
  const viaPlugin = {
    create: () => action('create_incident', createInput),
    update: (n: number, status: string) => action('update_incident', { incident_number: n, status }),
    addNote: (n: number) => action('add_note', { incident_number: n, summary: 'Benchmark note', notes: 'Note body' }),
  };

  // A pool of incidents for updates and notes.
  const pool: number[] = [];
  for (let i = 0; i < 64; i++) pool.push(Number((await direct.create()).IncidentNumber));
  const statuses = ['Waiting for Customer', 'Logged'];

  say('warming up');
  await closedLoop(4, { total: quick ? 200 : 600 }, async (i) => {
    await viaPlugin.create();
    await direct.create();
    await directGot.create();
    await viaPlugin.update(pool[i % pool.length]!, statuses[i % 2]!);
  });

  // 1. Overhead at concurrency 1.
  say('overhead: create_incident at concurrency 1, plugin vs direct');
  const perRun = quick ? 100 : 300;
  const overhead = { plugin: [] as number[], direct: [] as number[], added: [] as number[], directGot: [] as number[], addedGot: [] as number[] };
  for (let run = 0; run < RUNS; run++) {
    const p = await closedLoop(1, { total: perRun }, () => viaPlugin.create().then(() => undefined));
    const d = await closedLoop(1, { total: perRun }, () => direct.create().then(() => undefined));
    const g = await closedLoop(1, { total: perRun }, () => directGot.create().then(() => undefined));
    if (p.errors || d.errors || g.errors) fail('overhead run', p.firstError ?? d.firstError ?? g.firstError ?? '');
    const pm = median(p.latenciesMs);
    overhead.plugin.push(pm);
    overhead.direct.push(median(d.latenciesMs));
    overhead.added.push(pm - median(d.latenciesMs));
    overhead.directGot.push(median(g.latenciesMs));
    overhead.addedGot.push(pm - median(g.latenciesMs));
  }

  // 2. Throughput at concurrency 16.
  const seconds = quick ? 1 : 3;
  interface Throughput {
    plugin: number[];
    direct: number[];
    ratio: number[];
    directGot: number[];
    ratioGot: number[];
    /** CPU per action: the plugin server's (from /proc), and the bench's own while it makes the same ISM calls directly. */
    serverCpuMicros: number[];
    directCpuMicros: number[];
    directGotCpuMicros: number[];
    cpuRatio: number[];
  }
  const throughput: Record<string, Throughput> = {};
  type Work = (i: number) => Promise<unknown>;
  const work: Record<string, { plugin: Work; direct: Work; directGot: Work }> = {
    create_incident: { plugin: () => viaPlugin.create(), direct: () => direct.create(), directGot: () => directGot.create() },
    update_incident: {
      plugin: (i) => viaPlugin.update(pool[i % pool.length]!, statuses[i % 2]!),
      direct: (i) => direct.update(pool[i % pool.length]!, statuses[i % 2]!),
      directGot: (i) => directGot.update(pool[i % pool.length]!, statuses[i % 2]!),
    },
    add_note: {
      plugin: (i) => viaPlugin.addNote(pool[i % pool.length]!),
      direct: (i) => direct.addNote(pool[i % pool.length]!),
      directGot: (i) => directGot.addNote(pool[i % pool.length]!),
    },
  };
  for (const [name, fns] of Object.entries(work)) {
    say(`throughput: ${name} at concurrency 16`);
    const t: Throughput = { plugin: [], direct: [], ratio: [], directGot: [], ratioGot: [], serverCpuMicros: [], directCpuMicros: [], directGotCpuMicros: [], cpuRatio: [] };
    const ownCpu = () => {
      const u = process.cpuUsage();
      return u.user + u.system;
    };
    for (let run = 0; run < RUNS; run++) {
      const s0 = cpuMicros(plugin.pid);
      const p = await closedLoop(16, { seconds }, (i) => fns.plugin(i).then(() => undefined));
      const s1 = cpuMicros(plugin.pid);
      const d0 = ownCpu();
      const d = await closedLoop(16, { seconds }, (i) => fns.direct(i).then(() => undefined));
      const d1 = ownCpu();
      const g = await closedLoop(16, { seconds }, (i) => fns.directGot(i).then(() => undefined));
      const g1 = ownCpu();
      if (p.errors || d.errors || g.errors) fail(`${name} throughput`, p.firstError ?? d.firstError ?? g.firstError ?? '');
      t.plugin.push(p.perSecond);
      t.direct.push(d.perSecond);
      t.ratio.push(p.perSecond / d.perSecond);
      t.directGot.push(g.perSecond);
      t.ratioGot.push(p.perSecond / g.perSecond);
      const server = (s1 - s0) / p.count;
      const client = (d1 - d0) / d.count;
      t.serverCpuMicros.push(server);
      t.directCpuMicros.push(client);
      t.directGotCpuMicros.push((g1 - d1) / g.count);
      t.cpuRatio.push(server / client);
    }
    throughput[name] = t;
  }

  // 2b. The same at the default log level: each step's log lines also go to stderr.
  say('throughput: create_incident at concurrency 16, server at the default log level (info)');
  const chatty = await startPluginProcess({ logLevel: 'info' });
  const atInfo = { plugin: [] as number[], serverCpuMicros: [] as number[], linesPerAction: [] as number[] };
  try {
    await closedLoop(4, { total: quick ? 200 : 600 }, () => action('create_incident', createInput, chatty).then(() => undefined));
    for (let run = 0; run < RUNS; run++) {
      const [s0, l0] = [cpuMicros(chatty.pid), chatty.stderrLines];
      const p = await closedLoop(16, { seconds }, () => action('create_incident', createInput, chatty).then(() => undefined));
      // The bench reads the lines as they come: give the last ones a moment to arrive.
      await new Promise((r) => setTimeout(r, 100));
      const [s1, l1] = [cpuMicros(chatty.pid), chatty.stderrLines];
      if (p.errors) fail('create_incident throughput at info level', p.firstError ?? '');
      atInfo.plugin.push(p.perSecond);
      atInfo.serverCpuMicros.push((s1 - s0) / p.count);
      atInfo.linesPerAction.push((l1 - l0) / p.count);
    }
  } finally {
    await chatty.stop();
  }

  // 5. ISM calls per action and connections per 1,000 calls.
  say('ISM calls per action');
  const calls: Record<string, number> = {};
  const stats = async () => (await orchestrator.json<{ requests: number; connections: number }>('GET', `${sim.url.replace(/\/HEAT$/, '')}/__sim/stats`)).json;
  const perAction = async (name: string, n: number, fn: (i: number) => Promise<unknown>) => {
    const before = await stats();
    for (let i = 0; i < n; i++) await fn(i);
    const after = await stats();
    calls[name] = (after.requests - before.requests) / n;
    return after.connections - before.connections;
  };
  const created: number[] = [];
  const connectionsBefore = await stats();
  await perAction('create_incident (customer and assignee)', 50, async () => {
    const out = await viaPlugin.create();
    created.push(Number((out.incident as Record<string, unknown>).IncidentNumber));
  });
  await perAction('create_incident (customer only)', 50, async () => {
    const out = await action('create_incident', { ...createInput, assignee: '' });
    created.push(Number((out.incident as Record<string, unknown>).IncidentNumber));
  });
  await perAction('update_incident (status)', 50, (i) => viaPlugin.update(pool[i % pool.length]!, statuses[i % 2]!));
  await perAction('update_incident (status and assignee)', 50, (i) => action('update_incident', { incident_number: pool[i % pool.length]!, status: statuses[i % 2]!, assignee: 'jdoe' }));
  await perAction('add_note', 50, (i) => viaPlugin.addNote(pool[i % pool.length]!));
  await perAction('delete_incident', 50, (i) => action('delete_incident', { incident_number: created[i]! }));
  await perAction('get_incident', 50, (i) => action('get_incident', { incident_number: pool[i % pool.length]! }));
  await perAction('search_incidents (status, one page)', 20, () => action('search_incidents', { status: 'Waiting for Resolution', max_results: 100 }));
  await perAction('add_attachment', 20, (i) =>
    action('add_attachment', { incident_number: pool[i % pool.length]!, attachment: { filename: `evidence-${i}.txt`, content: Buffer.from(`evidence ${i}`).toString('base64') } }),
  );
  await perAction('connection test', 50, () => orchestrator.json('POST', `${plugin.url}/api/v1/connection/test`, { version: 'v1', type: 'connection_test', body: { connection } }));
  const connectionsAfter = await stats();
  const connectionsPer1000 = ((connectionsAfter.connections - connectionsBefore.connections) / Math.max(1, connectionsAfter.requests - connectionsBefore.requests)) * 1000;

  // 4. Memory of the plugin server across two identical rounds of mixed actions.
  const roundSize = quick ? 1_500 : 10_000;
  say(`memory: two rounds of ${roundSize} mixed actions`);
  const round = async () => {
    const mine: number[] = [];
    const r = await closedLoop(16, { total: roundSize }, async (i) => {
      const kind = i % 10;
      if (kind < 4) mine.push(Number(((await viaPlugin.create()).incident as Record<string, unknown>).IncidentNumber));
      else if (kind < 7) await viaPlugin.update(pool[i % pool.length]!, statuses[i % 2]!);
      else if (kind < 9) await viaPlugin.addNote(pool[i % pool.length]!);
      else {
        const victim = mine.shift();
        if (victim !== undefined) await action('delete_incident', { incident_number: victim });
        else await viaPlugin.addNote(pool[i % pool.length]!);
      }
    });
    if (r.errors) fail('memory round', r.firstError ?? '');
    return rssMiB(plugin.pid);
  };
  const rssStart = rssMiB(plugin.pid);
  const rss1 = await round();
  const rss2 = await round();
  const memory = { startMiB: rssStart, afterRound1MiB: rss1, afterRound2MiB: rss2, actions: roundSize * 2, growthPercent: ((rss2 - rss1) / rss1) * 100 };

  // 6. Output validation with the precompiled validators.
  say('output validation');
  const validators = (await import(pathToFileURL(`${root}/dist/generated/validators/actions/create_incident.js`).href)) as { output: (d: unknown) => boolean };
  const sample = (await viaPlugin.create()) as { incident: Record<string, unknown> };
  const thousand = Array.from({ length: 1000 }, (_, i) => ({ incident: { ...sample.incident, IncidentNumber: 20000 + i } }));
  const validation = { oneMicros: [] as number[], thousandMs: [] as number[], fields: Object.keys(sample.incident).length };
  for (let run = 0; run < RUNS; run++) {
    const n = 20_000;
    let t0 = performance.now();
    for (let i = 0; i < n; i++) if (!validators.output(sample)) fail('validation', 'a real incident failed its schema');
    validation.oneMicros.push(((performance.now() - t0) * 1000) / n);
    t0 = performance.now();
    for (const item of thousand) validators.output(item);
    validation.thousandMs.push(performance.now() - t0);
  }

  ism.close();
  ismGot.close();
  orchestrator.close();
  await plugin.stop();
  await sim.stop();

  // 7. The simulator alone: lookups per second on one core.
  say(`simulator: lookups per second${canPin ? ' pinned to one core' : ' (taskset not available: not pinned)'}`);
  const sim1 = await startSimulatorProcess(apiKey, canPin ? '0' : undefined);
  const lookupClient = new Client({ authorization: `rest_api_key=${apiKey}`, accept: 'application/json' });
  const lookupUrl = `${sim1.url}/api/odata/businessobject/employees?$filter=${q("PrimaryEmail eq 'user@example.com'")}&${EMPLOYEE_SELECT}`;
  await closedLoop(16, { total: 2000 }, () => lookupClient.send('GET', lookupUrl).then(() => undefined));
  const simulator = { perSecond: [] as number[], latencyMs: [] as number[] };
  for (let run = 0; run < RUNS; run++) {
    const r = await closedLoop(16, { seconds: quick ? 0.7 : 2 }, async () => {
      const res = await lookupClient.send('GET', lookupUrl);
      if (res.status !== 200) throw new Error(`lookup answered ${res.status}`);
    });
    if (r.errors) fail('simulator lookups', r.firstError ?? '');
    simulator.perSecond.push(r.perSecond);
    const single = await closedLoop(1, { total: 300 }, () => lookupClient.send('GET', lookupUrl).then(() => undefined));
    simulator.latencyMs.push(median(single.latenciesMs));
  }
  lookupClient.close();
  await sim1.stop();

  const results: Results = {
    date: new Date().toISOString(),
    quick,
    machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version, platform: `${process.platform} ${process.arch}`, pinned: canPin, loadAverage: { start: loadAtStart, end: loadavg()[0]! } },
    nodeOptions: processEnv().NODE_OPTIONS ?? '',
    overhead: {
      pluginMedianMs: figure(overhead.plugin),
      directMedianMs: figure(overhead.direct),
      addedMs: figure(overhead.added),
      directGotMedianMs: figure(overhead.directGot),
      addedGotMs: figure(overhead.addedGot),
    },
    throughput: Object.fromEntries(
      Object.entries(throughput).map(([k, v]) => [
        k,
        {
          pluginPerSecond: figure(v.plugin),
          directPerSecond: figure(v.direct),
          ratio: figure(v.ratio),
          directGotPerSecond: figure(v.directGot),
          ratioGot: figure(v.ratioGot),
          serverCpuMicros: figure(v.serverCpuMicros),
          directCpuMicros: figure(v.directCpuMicros),
          directGotCpuMicros: figure(v.directGotCpuMicros),
          cpuRatio: figure(v.cpuRatio),
        },
      ]),
    ),
    atInfoLevel: { pluginPerSecond: figure(atInfo.plugin), serverCpuMicros: figure(atInfo.serverCpuMicros), stderrLinesPerAction: figure(atInfo.linesPerAction) },
    coldStart: { runMs: figure(cold.run), infoMs: figure(cold.info), bareNodeMs: figure(cold.node) },
    memory,
    ismCallsPerAction: calls,
    connectionsPer1000Calls: connectionsPer1000,
    validation: { fields: validation.fields, oneIncidentMicros: figure(validation.oneMicros), thousandIncidentsMs: figure(validation.thousandMs) },
    simulator: { lookupsPerSecond: figure(simulator.perSecond), lookupLatencyMs: figure(simulator.latencyMs) },
    targets: [],
  };
  const t = (name: string, value: number, target: string, met: boolean) => results.targets.push({ name, value, target, met });
  const create = results.throughput.create_incident!;
  t('create_incident actions per second (c=16, one server process)', create.pluginPerSecond.median, '>= 1200', create.pluginPerSecond.median >= 1200);
  t('server CPU per create_incident / direct node:http client CPU for the same ISM calls', create.cpuRatio.median, '<= 3.0', create.cpuRatio.median <= 3);
  t('added latency at c=1, plugin median - direct median (ms)', results.overhead.addedMs.median, '<= 1.0', results.overhead.addedMs.median <= 1);
  t('cold start: run (ms)', results.coldStart.runMs.median, '<= 100', results.coldStart.runMs.median <= 100);
  t('cold start: info (ms)', results.coldStart.infoMs.median, '<= 50', results.coldStart.infoMs.median <= 50);
  t(`plugin RSS after ${memory.actions} mixed actions (MiB)`, memory.afterRound2MiB, '<= 100', memory.afterRound2MiB <= 100);
  t('RSS growth between identical rounds (%)', memory.growthPercent, '< 2', memory.growthPercent < 2);
  t('simulator lookups per second (one core)', results.simulator.lookupsPerSecond.median, '>= 5000', results.simulator.lookupsPerSecond.median >= 5000);

  results.soak = await soak(results.targets, fail);

  process.stdout.write(renderResults([results]) + '\n');
  if (record) {
    const file = resultsFile(process.versions.node);
    writeFileSync(`${root}/${file}`, JSON.stringify(results, null, 2) + '\n');
    updateReadme(`${root}/README.md`, root);
    say(`recorded in ${file} and the README`);
  }
  const missed = results.targets.filter((x) => !x.met);
  say(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (missed.length) process.stdout.write(`\nMissed targets:\n${missed.map((m) => `  - ${m.name}: ${m.value.toFixed(2)} (target ${m.target})`).join('\n')}\n`);
  if (failures) process.stdout.write(`\n${failures} run(s) failed.\n`);
  return failures ? 1 : 0;
}

process.exitCode = await main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
  return 1;
});
