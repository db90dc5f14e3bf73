/**
 * The New Incident trigger as the orchestrator runs it: a child process (`src/cli.ts run` with a
 * trigger_start message on stdin) polling an in-process simulator and POSTing trigger_event
 * envelopes to a dispatcher in this test. Every incident created after the start is emitted
 * exactly once and in order, through random faults, refused deliveries and restarts from the
 * state file; history and edits never fire; SIGTERM exits 0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { builtInSeed, startSimulator, type Simulator } from '../../src/simulator/index.js';
import { KEY, RO_KEY, SEED, assertNoSecret, startStack, type Json } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'src', 'cli.ts');
/** The seed's incidents are 10001-10007: the first one created in a test is 10008. */
const FIRST_NEW = 10008;

// Child processes and real waits: bounded, with room for a loaded machine (tap's default is 30 s a file).

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

interface Dispatcher {
  url: string;
  /** Accepted envelopes, in the order they arrived. */
  events: Json[];
  /** Deliveries answered (accepted or not). */
  attempts: number;
  /** Answer the next `n` deliveries with `status`. */
  failNext(n: number, status?: number): void;
  /** Refuse every delivery with 503 until set back to false. */
  refusing: boolean;
  /** Wait this long before accepting each delivery. */
  delayMs: number;
  numbers(): number[];
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

async function startDispatcher(): Promise<Dispatcher> {
  const state = { events: [] as Json[], attempts: 0, failures: 0, failStatus: 503, refusing: false, delayMs: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.attempts++;
      if (state.refusing || state.failures > 0) {
        if (!state.refusing) state.failures--;
        res.writeHead(state.refusing ? 503 : state.failStatus).end();
        return;
      }
      const accept = () => {
        state.events.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      };
      if (state.delayMs > 0) setTimeout(accept, state.delayMs);
      else accept();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const dispatcher: Dispatcher = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`,
    events: state.events,
    get attempts() {
      return state.attempts;
    },
    failNext(n, status = 503) {
      state.failures = n;
      state.failStatus = status;
    },
    get refusing() {
      return state.refusing;
    },
    set refusing(value: boolean) {
      state.refusing = value;
    },
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(value: number) {
      state.delayMs = value;
    },
    numbers: () => state.events.map((e) => (e.body as Json).output.incident.IncidentNumber as number),
    waitFor: (count, timeoutMs = 120_000) => until(`${count} events (have ${state.events.length})`, () => state.events.length >= count, timeoutMs),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return dispatcher;
}

interface TriggerProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** The step log lines the trigger wrote to stderr (pino JSON, `stepLog: true`). */
  stepLog(): string[];
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** SIGTERM, then the exit code (SIGKILL after 15 s). */
  stop(): Promise<number | null>;
}

function startTrigger(sim: Simulator, options: { dispatcher?: Dispatcher; input?: Json; stateFile?: string; debug?: boolean; key?: string }): TriggerProcess {
  const message = {
    version: 'v1',
    type: 'trigger_start',
    body: {
      trigger: 'new_incident',
      meta: { job: 'trigger-test' },
      connection: { credentials: { secretKey: options.key ?? KEY }, url: sim.url, ssl_verify: true },
      ...(options.dispatcher ? { dispatcher: { url: options.dispatcher.url, webhook_url: '' } } : {}),
      input: options.input ?? { frequency: 1 },
    },
  };
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info' };
  delete env.TRIGGER_STATE_FILE;
  if (options.stateFile) env.TRIGGER_STATE_FILE = options.stateFile;
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...(options.debug ? ['--debug'] : []), 'run'], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  child.stdin!.end(JSON.stringify(message));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const stepLog = () =>
    stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Json)
      .filter((entry) => entry.stepLog)
      .map((entry) => String(entry.msg));
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    stepLog,
    waitForLog: (pattern, timeoutMs = 120_000) =>
      until(`a log line matching ${pattern}`, () => {
        if (child.exitCode !== null) throw new Error(`the trigger exited (${child.exitCode}) before logging ${pattern}: ${stdout} ${stderr.slice(-2000)}`);
        return pattern.test(stderr);
      }, timeoutMs),
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode;
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.kill('SIGTERM');
      const [code] = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Incidents created in-process, as ISM would create them over the API. */
function createIncidents(sim: Simulator, count: number, fields: Json = {}): number[] {
  const numbers: number[] = [];
  for (let i = 0; i < count; i++) {
    const made = sim.store.createIncident({ Subject: `New ${sim.store.nextIncidentNumber()}`, Symptom: 'Created while the trigger runs', ProfileLink: SEED.exampleUser, ...fields });
    numbers.push(made.IncidentNumber as number);
  }
  return numbers;
}

/** An edit through the API (PATCH), as an analyst's change. */
async function edit(sim: Simulator, incidentNumber: number, fields: Json): Promise<void> {
  const recId = String(sim.store.findIncidentByNumber(incidentNumber)!.RecId);
  const res = await fetch(`${sim.url}/api/odata/businessobject/incidents('${recId}')`, {
    method: 'PATCH',
    headers: { Authorization: `rest_api_key=${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(fields),
  });
  if (res.status !== 200) throw new Error(`PATCH ${incidentNumber} answered ${res.status}: ${await res.text()}`);
}

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

async function simulator(): Promise<Simulator> {
  return startSimulator({ apiKeys: { [KEY]: 'Administrator', [RO_KEY]: 'SelfService' } });
}

/** A simulated tenant and a dispatcher, both closed when the test ends. */
async function tenantAndDispatcher(t: { teardown(fn: () => unknown): void }): Promise<{ sim: Simulator; dispatcher: Dispatcher }> {
  const sim = await simulator();
  const dispatcher = await startDispatcher();
  t.teardown(async () => {
    await dispatcher.close();
    await sim.close();
  });
  return { sim, dispatcher };
}

t.test('250 incidents in bursts under random faults: each emitted once, in order; history and edits never fire', async (t) => {
  const { sim, dispatcher } = await tenantAndDispatcher(t);
  const trigger = startTrigger(sim, { dispatcher, input: { frequency: 1 } });
  t.teardown(() => trigger.stop());
  await trigger.waitForLog(/Watching for incidents after 10007; existing incidents are not replayed/);

  // Every kind of fault but hang, on one read of incidents in ten. With this seed the first
  // ten reads already meet a 503, an empty 200 and a reset (the draws are reproducible).
  sim.faults.random({ seed: 316, rate: 0.1, method: 'GET', set: 'incidents' });
  const sizes = [40, 5, 60, 1, 24, 70, 10, 25, 15];
  for (const [burst, size] of sizes.entries()) {
    createIncidents(sim, size, burst % 2 === 1 ? { Status: 'Active', Category: 'Network', Owner: 'jdoe' } : {});
    // Edits to old incidents (and to new ones already seen) while it runs.
    await edit(sim, 10001 + (burst % 7), { Subject: `Edited in burst ${burst}` });
    if (burst > 0) await edit(sim, FIRST_NEW + burst, { Subject: `New one edited in burst ${burst}` });
    await sleep(300 + (burst % 3) * 400);
  }
  t.equal(sizes.reduce((a, b) => a + b, 0), 250);
  await dispatcher.waitFor(250, 180_000);
  // Two more polls: nothing else may come.
  await sleep(2_500);
  sim.faults.clear();
  const code = await trigger.stop();
  t.equal(code, 0, 'SIGTERM exits 0');

  const numbers = dispatcher.numbers();
  t.equal(numbers.length, 250, 'exactly 250 events');
  t.same(numbers, range(FIRST_NEW, 250), 'each new incident once, in ascending order; no seed incident, no edit');
  const faults = sim.faults.counts();
  t.ok(faults.total >= 3, `faults were injected on the trigger's reads (${JSON.stringify(faults)})`);
  t.ok(sim.journal.entries().some((e) => e.set === 'incidents' && e.method === 'GET' && e.fault?.kind === 'status'), 'status faults among them');

  for (const event of dispatcher.events) {
    t.match(event, { version: 'v1', type: 'trigger_event', body: { status: 'ok', meta: { job: 'trigger-test' } } });
  }
  const first = dispatcher.events[0]!.body as Json;
  t.match(first.log, /Trigger new_incident started/, 'the first event carries the start-up log');
  t.match(first.log, /New incident 10008\./);
  const incident = first.output.incident as Json;
  t.equal(incident.RecId, sim.store.findIncidentByNumber(FIRST_NEW)!.RecId);
  t.equal(incident.Symptom, 'Created while the trigger runs');
  t.notOk(Object.values(incident).some((v) => v === null || v === ''), 'nulls dropped');
  assertNoSecret(JSON.stringify(dispatcher.events), 'the events');
  assertNoSecret(trigger.stderr(), 'the trigger log');
  t.equal(trigger.stdout(), '', 'nothing on stdout: the events went to the dispatcher');
});

t.test('history is not replayed even when the first answer about it is lost', async (t) => {
  const { sim, dispatcher } = await tenantAndDispatcher(t);
  // The two first reads of incidents answer 200 with no body, like an empty tenant.
  sim.faults.script({ method: 'GET', set: 'incidents', times: 2, fault: { kind: 'empty-body' } });
  const trigger = startTrigger(sim, { dispatcher });
  t.teardown(() => trigger.stop());
  await trigger.waitForLog(/Watching for incidents after 10007/);
  t.match(trigger.stderr(), /asking again before watching from the first one/);
  createIncidents(sim, 3);
  await dispatcher.waitFor(3, 60_000);
  await sleep(1_500);
  t.same(dispatcher.numbers(), range(FIRST_NEW, 3), 'only the new ones');
  t.equal(await trigger.stop(), 0);

  // A tenant that is truly empty says so (@odata.count 0) and is believed at once.
  const empty = await startSimulator({ apiKeys: { [KEY]: 'Administrator' }, seed: { ...builtInSeed(), incidents: [], notes: [] } });
  t.teardown(() => empty.close());
  const second = await startDispatcher();
  t.teardown(() => second.close());
  const fresh = startTrigger(empty, { dispatcher: second });
  t.teardown(() => fresh.stop());
  await fresh.waitForLog(/Watching for incidents after 0/);
  t.notMatch(fresh.stderr(), /asking again/);
  const made = createIncidents(empty, 2);
  await second.waitFor(2, 60_000);
  t.same(second.numbers(), made);
  t.equal(await fresh.stop(), 0);
});

t.test('status and customer filters: only matching new incidents fire', async (t) => {
  const sim = await simulator();
  const byStatus = await startDispatcher();
  const byCustomer = await startDispatcher();
  t.teardown(async () => {
    await byStatus.close();
    await byCustomer.close();
    await sim.close();
  });
  const statusTrigger = startTrigger(sim, { dispatcher: byStatus, input: { frequency: 1, status: 'Active' } });
  const customerTrigger = startTrigger(sim, { dispatcher: byCustomer, input: { frequency: 1, customer: "siobhan.o'neill@example.com" } });
  t.teardown(() => Promise.all([statusTrigger.stop(), customerTrigger.stop()]));
  await statusTrigger.waitForLog(/Watching for incidents after 10007/);
  await customerTrigger.waitForLog(/Watching for incidents after 10007/);

  const active = { Status: 'Active', Category: 'Network', Owner: 'jdoe' };
  const expectedActive: number[] = [];
  const expectedSiobhan: number[] = [];
  for (let i = 0; i < 24; i++) {
    const fields = { ...(i % 3 === 0 ? active : {}), ProfileLink: i % 4 === 0 ? SEED.siobhan : SEED.exampleUser };
    const [n] = createIncidents(sim, 1, fields);
    if (i % 3 === 0) expectedActive.push(n!);
    if (i % 4 === 0) expectedSiobhan.push(n!);
    if (i % 8 === 7) await sleep(300);
  }
  await byStatus.waitFor(expectedActive.length, 120_000);
  await byCustomer.waitFor(expectedSiobhan.length, 120_000);
  // A Logged incident made Active after it was seen never fires: it was not Active when found.
  await edit(sim, FIRST_NEW + 1, { Status: 'Active', Category: 'Network', Owner: 'jdoe' });
  await sleep(2_000);
  t.same(byStatus.numbers(), expectedActive, 'only the Active ones');
  t.same(byCustomer.numbers(), expectedSiobhan, "only Siobhan O'Neill's");
  for (const e of byCustomer.events) t.equal((e.body as Json).output.incident.ProfileLink, SEED.siobhan);
  t.match(customerTrigger.stderr(), /Looking up the customer by email address/);
  t.equal(await statusTrigger.stop(), 0);
  t.equal(await customerTrigger.stop(), 0);
});

t.test('a dispatcher refusing deliveries delays events but loses none', async (t) => {
  const { sim, dispatcher } = await tenantAndDispatcher(t);
  const trigger = startTrigger(sim, { dispatcher });
  t.teardown(() => trigger.stop());
  await trigger.waitForLog(/Watching for incidents after 10007/);
  dispatcher.failNext(3, 503);
  const made = createIncidents(sim, 6);
  await dispatcher.waitFor(6, 120_000);
  t.same(dispatcher.numbers(), made, 'all, in order');
  t.equal(dispatcher.attempts, 9, 'three refusals, then each event accepted once');
  t.match(trigger.stderr(), /Delivering the event failed: the dispatcher answered 503/);
  // An envelope is sealed before it is sent: the refusals go with the next event's log.
  t.match((dispatcher.events[1]!.body as Json).log, /Delivering the event failed: the dispatcher answered 503/, 'the refusals are logged with the next event');
  t.equal(await trigger.stop(), 0);
});

t.test('restarted with its state file: nothing missed, nothing repeated; incidents of the downtime come after', async (t) => {
  const { sim, dispatcher } = await tenantAndDispatcher(t);
  const dir = await mkdtemp(join(tmpdir(), 'trigger-state-'));
  const stateFile = join(dir, 'state.json');
  t.teardown(() => rm(dir, { recursive: true, force: true }));

  // First run: stopped in the middle of a burst, with deliveries on their way.
  dispatcher.delayMs = 40;
  const first = startTrigger(sim, { dispatcher, stateFile });
  t.teardown(() => first.stop());
  await first.waitForLog(/Watching for incidents after 10007/);
  createIncidents(sim, 60);
  await dispatcher.waitFor(15, 120_000);
  t.equal(await first.stop(), 0, 'SIGTERM mid-burst exits 0');
  const beforeRestart = dispatcher.numbers();
  t.ok(beforeRestart.length < 60, `stopped mid-way (${beforeRestart.length} of 60 emitted)`);
  t.same(beforeRestart, range(FIRST_NEW, beforeRestart.length));
  const saved = JSON.parse(await readFile(stateFile, 'utf8')) as Json;
  t.match(saved.new_incident, { baseUrl: sim.url, last: beforeRestart.at(-1) }, 'the checkpoint is the last event accepted');

  // While it is down.
  createIncidents(sim, 20);

  // Second run, same state file.
  dispatcher.delayMs = 0;
  const second = startTrigger(sim, { dispatcher, stateFile });
  t.teardown(() => second.stop());
  await second.waitForLog(new RegExp(`Resuming after incident ${beforeRestart.at(-1)} \\(from the saved checkpoint\\)`));
  t.notMatch(second.stderr(), /existing incidents are not replayed/, 'it does not start over from the newest');
  await dispatcher.waitFor(80, 120_000);
  createIncidents(sim, 5);
  await dispatcher.waitFor(85, 120_000);
  await sleep(1_500);
  t.equal(await second.stop(), 0);
  t.same(dispatcher.numbers(), range(FIRST_NEW, 85), 'across the restart: each incident once, in order');
  const saved2 = JSON.parse(await readFile(stateFile, 'utf8')) as Json;
  t.equal(saved2.new_incident.last, FIRST_NEW + 84);
});

t.test('an event never accepted before SIGTERM is not checkpointed: the restart delivers it once', async (t) => {
  const { sim, dispatcher } = await tenantAndDispatcher(t);
  const dir = await mkdtemp(join(tmpdir(), 'trigger-state-'));
  const stateFile = join(dir, 'state.json');
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const first = startTrigger(sim, { dispatcher, stateFile });
  t.teardown(() => first.stop());
  await first.waitForLog(/Watching for incidents after 10007/);
  createIncidents(sim, 2);
  await dispatcher.waitFor(2, 60_000);
  dispatcher.refusing = true;
  createIncidents(sim, 1);
  await until('a refused delivery', () => dispatcher.attempts >= 4, 120_000);
  // stop() kills the process if it has not exited 15 s after SIGTERM (exit code null).
  t.equal(await first.stop(), 0, 'SIGTERM exits 0 even while deliveries are refused');
  t.same(dispatcher.numbers(), [FIRST_NEW, FIRST_NEW + 1]);
  t.equal((JSON.parse(await readFile(stateFile, 'utf8')) as Json).new_incident.last, FIRST_NEW + 1, 'the refused one is not behind the checkpoint');

  dispatcher.refusing = false;
  const second = startTrigger(sim, { dispatcher, stateFile });
  t.teardown(() => second.stop());
  await dispatcher.waitFor(3, 60_000);
  await sleep(1_500);
  t.equal(await second.stop(), 0);
  t.same(dispatcher.numbers(), range(FIRST_NEW, 3));
});

t.test('SIGTERM while a read of ISM hangs: the trigger stops at once, exit 0', async (t) => {
  const { sim, dispatcher } = await tenantAndDispatcher(t);
  const trigger = startTrigger(sim, { dispatcher });
  t.teardown(() => trigger.stop());
  await trigger.waitForLog(/Watching for incidents after 10007/);
  // From now on every read of incidents hangs (the connection's request_timeout is 60 s).
  sim.faults.script({ method: 'GET', set: 'incidents', times: 'always', fault: { kind: 'hang' } });
  const mark = sim.journal.total;
  await until('a hanging read', () => sim.journal.since(mark).some((e) => e.set === 'incidents' && e.fault?.kind === 'hang'), 120_000);
  // The read would time out after 60 s; stop() kills the process 15 s after SIGTERM (exit code
  // null), so exit 0 means the trigger stopped by itself without waiting for the read.
  t.equal(await trigger.stop(), 0, 'exit 0');
  t.same(dispatcher.events, []);
});

t.test('--debug writes the events to stdout, one envelope per line', async (t) => {
  const sim = await simulator();
  t.teardown(() => sim.close());
  const trigger = startTrigger(sim, { debug: true });
  t.teardown(() => trigger.stop());
  await trigger.waitForLog(/Watching for incidents after 10007/);
  const made = createIncidents(sim, 3);
  await until('3 lines on stdout', () => trigger.stdout().split('\n').filter(Boolean).length >= 3, 120_000);
  t.equal(await trigger.stop(), 0);
  const lines = trigger.stdout().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Json);
  t.same(lines.map((l) => l.body.output.incident.IncidentNumber), made);
  for (const line of lines) t.match(line, { type: 'trigger_event', body: { status: 'ok' } });
});

t.test('a bad start is one error envelope and exit 1', async (t) => {
  const sim = await simulator();
  t.teardown(() => sim.close());
  const zero = startTrigger(sim, { input: { frequency: 0 }, dispatcher: { url: 'http://127.0.0.1:9/events' } as Dispatcher });
  const [code] = (await once(zero.child, 'exit')) as [number | null];
  t.equal(code, 1);
  t.match(JSON.parse(zero.stdout()), { type: 'trigger_event', body: { status: 'error', error: /frequency/ } });
});

t.test('a rejected API key stops the trigger after three tries: exit 1, saying why', async (t) => {
  const { sim, dispatcher } = await tenantAndDispatcher(t);
  const wrongKey = 'NOT-A-KEY-THE-TENANT-KNOWS-0123456789';
  const trigger = startTrigger(sim, { dispatcher, key: wrongKey });
  t.teardown(() => trigger.stop());
  const [code] = (await once(trigger.child, 'exit')) as [number | null];
  t.equal(code, 1, 'exit 1');
  const lines = trigger.stepLog();
  t.equal(lines.filter((l) => /ISM rejected the API key/.test(l)).length, 3, 'three tries');
  t.match(lines.at(-1), /failed 3 times in a row: .*rejected the API key.* the trigger stops; fix the connection or the input/);
  t.equal(sim.journal.entries().filter((e) => e.status === 401).length, 3, 'three requests, then no more');
  t.match(trigger.stderr(), /trigger stopped by an error/);
  t.notOk(trigger.stderr().includes(wrongKey), 'the key is not logged');
  t.same(dispatcher.events, []);
});

t.test('an input ISM cannot be asked about stops the trigger the same way, before any request', async (t) => {
  const sim = await simulator();
  t.teardown(() => sim.close());
  const trigger = startTrigger(sim, { dispatcher: { url: 'http://127.0.0.1:9/events' } as Dispatcher, input: { frequency: 1, customer: '$NULL' } });
  t.teardown(() => trigger.stop());
  const [code] = (await once(trigger.child, 'exit')) as [number | null];
  t.equal(code, 1);
  t.match(trigger.stepLog().at(-1), /failed 3 times in a row: .*no value/);
  t.equal(sim.journal.entries().filter((e) => e.set === 'employees').length, 0, 'ISM was never asked');
});

t.test('POST /triggers/new_incident/test tests the connection', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const message = (secretKey: string) => ({
    version: 'v1',
    type: 'trigger_start',
    body: { trigger: 'new_incident', meta: { job: 'test' }, connection: stack.connection({ credentials: { secretKey } }), input: { frequency: 1 } },
  });
  for (const prefix of ['', '/api/v1']) {
    const res = await fetch(`${stack.url}${prefix}/triggers/new_incident/test`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message(KEY)) });
    const body = (await res.json()) as Json;
    t.equal(res.status, 200, prefix);
    t.match(body, { type: 'trigger_event', body: { status: 'ok', output: { success: true }, meta: { job: 'test' } } });
  }
  t.same(stack.sim.journal.entries().map((e) => `${e.method} ${e.set}`), ['GET employees', 'GET employees'], 'one cheap read each, nothing else');
  const wrong = await fetch(`${stack.url}/triggers/new_incident/test`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message('wr0ng-K3Y-5ecret-77e1')) });
  const text = await wrong.text();
  t.equal(wrong.status, 400);
  t.match(JSON.parse(text), { body: { status: 'error', error: /rejected the API key/ } });
  t.notOk(text.includes('wr0ng-K3Y-5ecret-77e1'));
});
