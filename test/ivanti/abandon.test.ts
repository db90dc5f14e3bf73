/**
 * A step whose caller hangs up sends ISM no write it has not already sent: a slow lookup is
 * followed by nothing, a read is abandoned at once, and a write already on its way is awaited
 * and its outcome logged.
 */
import { getEventListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { createIvantiPlugin } from '../../src/ivanti/plugin.js';
import type { IsmConnection } from '../../src/ivanti/ism-connection.js';
import { RECORDS, SEED, sampleInput, startStack, type Json, type Stack } from './helpers.js';

const create = { summary: 'Phishing report', description: 'Reported by the SOC', customer: 'user@example.com', status: 'Logged', type: 'Failure' };

/**
 * Posts a step and gives up after `ms`, as an orchestrator whose own timeout fires; on a busy
 * machine it waits longer, until the step's first request (`method set`) has reached ISM.
 */
async function hangUpAfter(stack: Stack, action: string, input: Json, ms: number, first: [method: string, set: string]): Promise<void> {
  const message = { version: 'v1', type: 'action_start', body: { action, meta: {}, connection: stack.connection(), input } };
  const mark = stack.sim.journal.total;
  const caller = new AbortController();
  const res = fetch(`${stack.url}/actions/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message), signal: caller.signal });
  const answered = res.then(
    () => {
      throw new Error('the step answered before the caller hung up');
    },
    (err: Error) => {
      if (err.name !== 'AbortError') throw err;
    },
  );
  await sleep(ms);
  while (!stack.sim.journal.since(mark).some((e) => e.method === first[0] && e.set === first[1])) await sleep(5);
  caller.abort();
  await answered;
}

/** Waits for the runtime to log the end of the step (liveness only: no time limit is asserted). */
async function stepEnded(stack: Stack, count = 1): Promise<Json[]> {
  for (;;) {
    const ended = stack.logText().split('\n').filter((l) => /"msg":"step (finished|failed)"/.test(l));
    if (ended.length >= count) return ended.map((l) => JSON.parse(l) as Json);
    await sleep(20);
  }
}

// Child processes and waits in the tenant take a while on a busy machine; every wait is still bounded.

t.test('a slow lookup, the caller hangs up after 300 ms: ISM holds no new incident 3 s later', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const before = stack.sim.store.counts().incidents;
  stack.sim.faults.script({ method: 'GET', set: 'employees', fault: { kind: 'latency', ms: 1_500 } });
  const mark = stack.sim.journal.total;
  await hangUpAfter(stack, 'create_incident', create, 300, ['GET', 'employees']);
  await sleep(3_000);
  t.equal(stack.sim.store.counts().incidents, before, 'no incident was created');
  t.same(stack.sim.journal.since(mark).filter((e) => e.method !== 'GET'), [], 'no write reached ISM');
  const [ended] = await stepEnded(stack);
  t.equal(ended!.status, 'error');
  t.match(ended!.cause, /The caller closed the connection before the step finished/);
});

t.test('every write action stops before its write when the caller hangs up during its lookup', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const steps: [string, Json][] = [
    ['update_incident', { incident_number: 10002, category: 'Software' }],
    ['add_note', { incident_number: 10002, summary: 'late note' }],
    ['add_attachment', { incident_number: 10002, attachment: { filename: 'late.txt', content: Buffer.from('x').toString('base64') } }],
    ['create_incident', sampleInput('create_incident')],
    ['delete_incident', { incident_number: 10003 }],
    ['link_records', { object: 'Incident', record_id: SEED.incident10002, relationship: 'IncidentAssociatesCI', related_record_id: RECORDS.laptopLondon }],
    ['run_quick_action', { object: 'Incident', record_id: SEED.incident10002, action: 'Clone Incident' }],
    ['delete_attachment', sampleInput('delete_attachment')],
  ];
  // Every lookup waits 2 s in the tenant; the callers hang up once each step's lookup is there.
  stack.sim.faults.script({ method: 'GET', times: 'always', fault: { kind: 'latency', ms: 2_000 } });
  const mark = stack.sim.journal.total;
  const callers = steps.map(() => new AbortController());
  const answers = steps.map(([action, input], i) => {
    const message = { version: 'v1', type: 'action_start', body: { action, meta: {}, connection: stack.connection(), input } };
    return fetch(`${stack.url}/actions/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message), signal: callers[i]!.signal }).then(
      () => 'answered',
      (err: Error) => err.name,
    );
  });
  await sleep(200);
  while (stack.sim.journal.since(mark).filter((e) => e.method === 'GET').length < steps.length) await sleep(5);
  for (const caller of callers) caller.abort();
  t.same(await Promise.all(answers), steps.map(() => 'AbortError'), 'every caller hung up before its answer');
  await stepEnded(stack, steps.length);
  // The held lookups are answered after the steps ended; nothing may follow them.
  await sleep(2_500);
  t.same(stack.sim.journal.since(mark).filter((e) => e.method !== 'GET').map((e) => `${e.method} ${e.set}`), [], 'no write reached ISM');
  t.ok(stack.sim.store.findIncidentByNumber(10003), 'the incident was not deleted');
  t.ok(stack.sim.store.findAttachmentByRecId(sampleInput('delete_attachment').attachment_id), 'nor the attachment');
});

t.test('a read the caller no longer waits for is abandoned at once', async (t) => {
  const stack = await startStack({ connection: { request_timeout: 600 } });
  t.teardown(() => stack.close());
  stack.sim.faults.script({ method: 'GET', set: 'incidents', fault: { kind: 'hang' } });
  await hangUpAfter(stack, 'get_incident', { incident_number: 10001 }, 300, ['GET', 'incidents']);
  // ISM never answers and the request timeout is 10 minutes: only abandoning the read ends the step.
  const [ended] = await stepEnded(stack);
  t.match(ended!.cause, /The caller closed the connection before the step finished/);
});

t.test('a write already on its way is awaited, applied once, and its outcome logged', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const before = stack.sim.store.counts().incidents;
  stack.sim.faults.script({ method: 'POST', set: 'incidents', fault: { kind: 'latency', ms: 1_000 } });
  const mark = stack.sim.journal.total;
  await hangUpAfter(stack, 'create_incident', create, 300, ['POST', 'incidents']);
  await stepEnded(stack);
  const posts = stack.sim.journal.since(mark).filter((e) => e.method === 'POST');
  t.equal(posts.length, 1, 'sent once, never again');
  t.equal(posts[0]!.applied, true, 'ISM applied it');
  t.equal(stack.sim.store.counts().incidents, before + 1);
  t.match(stack.logText(), /The step was stopped while POST incidents was on its way to ISM; ISM answered 201/);
});

t.test('the listener a request adds to a long-lived signal is removed when the request ends', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const connection = (await createIvantiPlugin().connect(stack.connection() as never, { debug() {}, info() {}, warn() {}, error() {} })) as IsmConnection;
  t.teardown(() => connection.close());
  const stop = new AbortController();
  const client = connection.client.forStep(stop.signal);
  const log = { debug() {}, info() {}, warn() {}, error() {} };
  const before = getEventListeners(stop.signal, 'abort').length;
  for (let i = 0; i < 50; i++) await client.list("incidents?$top=1", log);
  for (let i = 0; i < 10; i++) await client.request('POST', 'journal__notess', log, { ParentLink_RecID: String(stack.sim.store.findIncidentByNumber(10001)!.RecId), ParentLink_Category: 'Incident', Subject: `n${i}` });
  t.equal(getEventListeners(stop.signal, 'abort').length, before, 'no listener left behind by 60 requests');
  stop.abort(new Error('stopped'));
  await t.rejects(client.list('incidents?$top=1', log), /stopped/, 'an aborted signal stops the next read');
  await t.rejects(client.request('POST', 'journal__notess', log, { Subject: 'x' }), /stopped/, 'and the next write before it is sent');
});
