/**
 * The retry policy: idempotent requests retried on 429/502/503/504, resets and timeouts,
 * honouring Retry-After (capped), at most 3 retries; a POST retried only when it provably never
 * reached ISM, so a create is never performed twice. Plus keep-alive: steps share sockets.
 */
import t from 'tap';
import { IsmClient, IsmRequestError } from '../../src/ivanti/client.js';
import { DEFAULT_RETRY, resolveSettings } from '../../src/ivanti/connection.js';
import type { StepLogger } from '../../src/runtime/step-log.js';
import { startSimulator, type JournalEntry } from '../../src/simulator/index.js';
import { KEY, closedPort, sampleInput, shape, startStack, tcpProxy } from './helpers.js';

const createInput = () => sampleInput('create_incident', { assignee: '' });
const posts = (entries: JournalEntry[]) => entries.filter((e) => e.method === 'POST');

t.test('the production policy', async (t) => {
  t.same(DEFAULT_RETRY, { retries: 3, baseDelayMs: 200, maxDelayMs: 5_000, retryAfterCapMs: 10_000 });
  t.ok(Object.isFrozen(DEFAULT_RETRY), 'tests cannot change it by accident');
});

t.test('retries', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const { sim } = stack;
  t.afterEach(() => sim.faults.clear());

  t.test('a GET answering 503 twice is retried and the step succeeds', async (t) => {
    sim.faults.script({ method: 'GET', set: 'employees', times: 2, fault: { kind: 'status', status: 503 } });
    const r = await stack.test();
    t.equal(r.status, 200, r.body.error ?? 'ok');
    t.same(r.entries.map((e) => e.status), [503, 503, 200]);
    t.match(r.body.log, /failed: ISM or a gateway in front of it is unavailable \(503\)\. Retrying in \d+ ms \(retry 1 of 3\)/);
    t.match(r.body.log, /retry 2 of 3/);
  });

  t.test('429, 502, 504, a reset and invalid JSON on a GET are retried too', async (t) => {
    sim.faults.script([
      { method: 'GET', set: 'incidents', fault: { kind: 'status', status: 429 } },
      { method: 'GET', set: 'incidents', fault: { kind: 'status', status: 502 } },
      { method: 'GET', set: 'incidents', fault: { kind: 'status', status: 504 } },
    ]);
    const a = await stack.run('add_note', { incident_number: 10001, summary: 'after 429, 502, 504' });
    t.equal(a.status, 200, a.body.error ?? 'ok');
    t.same(a.entries.map((e) => `${e.method} ${e.status}`), ['GET 429', 'GET 502', 'GET 504', 'GET 200', 'POST 201']);
    sim.faults.script([
      { method: 'GET', set: 'incidents', fault: { kind: 'reset-before' } },
      { method: 'GET', set: 'incidents', fault: { kind: 'reset-after' } },
      { method: 'GET', set: 'incidents', fault: { kind: 'invalid-json' } },
    ]);
    const b = await stack.run('add_note', { incident_number: 10001, summary: 'after resets' });
    t.equal(b.status, 200, b.body.error ?? 'ok');
    t.equal(b.entries.filter((e) => e.method === 'GET').length, 4);
    t.equal(posts(b.entries).length, 1);
  });

  t.test('at most 3 retries (4 attempts), then the error of the last answer', async (t) => {
    sim.faults.script({ method: 'GET', set: 'employees', times: 'always', fault: { kind: 'status', status: 503 } });
    const r = await stack.test();
    t.equal(r.status, 400);
    t.match(r.body.exception.cause, /unavailable \(503\)/);
    t.equal(r.entries.length, 4);
    t.notMatch(r.body.log, /retry 4 of/);
  });

  t.test('Retry-After is honoured', async (t) => {
    sim.faults.script({ method: 'GET', set: 'employees', fault: { kind: 'status', status: 503, retryAfter: 1 } });
    const r = await stack.test();
    t.equal(r.status, 200, r.body.error ?? 'ok');
    t.match(r.body.log, /Retrying in 1000 ms/);
    const gap = Date.parse(r.entries[1]!.time) - Date.parse(r.entries[0]!.time);
    t.ok(gap >= 950 && gap < 2_500, `the retry came about 1 s later (${gap} ms)`);
  });

  t.test('a POST is not retried after a reset once the write was applied: one incident', async (t) => {
    const before = sim.store.counts().incidents;
    sim.faults.script({ method: 'POST', set: 'incidents', fault: { kind: 'reset-after' } });
    const r = await stack.run('create_incident', createInput());
    t.equal(r.status, 400);
    t.match(r.body.exception.cause, /closed before ISM answered/);
    t.match(r.body.exception.assistance, /check ISM first: it may have been saved/);
    const p = posts(r.entries);
    t.equal(p.length, 1, 'exactly one POST');
    t.equal(p[0]!.applied, true, 'which was applied');
    t.equal(sim.store.counts().incidents, before + 1, 'exactly one new incident');
  });

  t.test('a POST is not retried after a reset before the write either (ISM cannot be asked)', async (t) => {
    const before = sim.store.counts().incidents;
    sim.faults.script({ method: 'POST', set: 'journal__notess', fault: { kind: 'reset-before' } });
    const r = await stack.run('add_note', { incident_number: 10001, summary: 'x' });
    t.equal(r.status, 400);
    t.equal(posts(r.entries).length, 1);
    t.equal(sim.store.counts().incidents, before);
  });

  t.test('a POST is not retried after 503 or 429, even with Retry-After', async (t) => {
    for (const status of [503, 429] as const) {
      const before = sim.store.counts().incidents;
      sim.faults.script({ method: 'POST', set: 'incidents', fault: { kind: 'status', status, retryAfter: 0 } });
      const r = await stack.run('create_incident', createInput());
      t.equal(r.status, 400, `${status}`);
      t.equal(posts(r.entries).length, 1, `${status}: one POST`);
      t.equal(sim.store.counts().incidents, before);
    }
  });

  t.test('a POST that times out is not retried', async (t) => {
    const before = sim.store.counts().incidents;
    sim.faults.script({ method: 'POST', set: 'incidents', fault: { kind: 'latency', ms: 1_500 } });
    const r = await stack.run('create_incident', createInput(), stack.connection({ request_timeout: 1 }));
    t.equal(r.status, 400);
    t.match(r.body.exception.cause, /did not answer within 1 s/);
    t.equal(posts(r.entries).length, 1);
    // Whether ISM still saves the abandoned request is up to it; never twice.
    await new Promise((resolve) => setTimeout(resolve, 700));
    const applied = posts(sim.journal.since(r.entries[0]!.seq - 1)).filter((e) => e.applied).length;
    t.ok(applied <= 1);
    t.equal(sim.store.counts().incidents, before + applied, 'at most one incident');
  });

  t.test('a GET that times out is retried', async (t) => {
    sim.faults.script({ method: 'GET', set: 'employees', fault: { kind: 'hang' } });
    const r = await stack.test(stack.connection({ request_timeout: 1 }));
    t.equal(r.status, 200, r.body.error ?? 'ok');
    t.equal(r.entries.length, 2);
    t.match(r.body.log, /did not answer within 1 s/);
  });

  t.test('PATCH is retried on 503', async (t) => {
    sim.faults.script({ method: 'PATCH', set: 'incidents', fault: { kind: 'status', status: 503 } });
    const r = await stack.run('update_incident', { incident_number: 10003, category: 'Software' });
    t.equal(r.status, 200, r.body.error ?? 'ok');
    const patches = r.entries.filter((e) => e.method === 'PATCH');
    t.same(patches.map((e) => [e.status, e.applied]), [[503, false], [200, true]]);
    t.equal(r.body.output.incident.Category, 'Software');
  });

  t.test('DELETE is retried on 503', async (t) => {
    sim.faults.script({ method: 'DELETE', set: 'incidents', fault: { kind: 'status', status: 503 } });
    const r = await stack.run('delete_incident', { incident_number: 10003 });
    t.equal(r.status, 200, r.body.error ?? 'ok');
    t.same(shape(r.entries), ['GET incidents', 'DELETE incidents(1D06FD699C46F90DC135D4F9D6DC8565)', 'DELETE incidents(1D06FD699C46F90DC135D4F9D6DC8565)']);
    t.notOk(sim.store.findIncidentByNumber(10003));
  });

  t.test('a DELETE applied, then reset, is reported as success when the retry finds it gone', async (t) => {
    sim.faults.script({ method: 'DELETE', set: 'incidents', fault: { kind: 'reset-after' } });
    const r = await stack.run('delete_incident', { incident_number: 10006 });
    t.equal(r.status, 200, r.body.error ?? 'ok');
    t.same(r.body.output, { success: true });
    const deletes = r.entries.filter((e) => e.method === 'DELETE');
    t.same(deletes.map((e) => [e.status, e.applied]), [[null, true], [400, false]], 'applied then reset; the retry finds nothing');
    t.match(r.body.log, /already gone: an earlier attempt of this request deleted it/);
    t.notOk(sim.store.findIncidentByNumber(10006));
  });

  t.test('a create is never performed twice, whatever the network does', async (t) => {
    sim.faults.random({ seed: 20261127, rate: 0.35, kinds: ['status', 'reset-before', 'reset-after', 'invalid-json', 'empty-body', { kind: 'latency', ms: 5 }] });
    t.teardown(() => sim.faults.clear());
    let ok = 0;
    let applied = 0;
    const before = sim.store.counts().incidents;
    for (let i = 0; i < 25; i++) {
      const r = await stack.run('create_incident', { ...createInput(), summary: `chaos ${i}` });
      const p = posts(r.entries);
      t.ok(p.length <= 1, `run ${i}: at most one POST (${p.length})`);
      applied += p.filter((e) => e.applied).length;
      if (r.status === 200) ok++;
      else t.equal(r.status, 400, `run ${i}: a plugin error, not a crash (${r.body.error})`);
    }
    t.equal(sim.store.counts().incidents - before, applied, 'one incident per applied POST');
    t.ok(ok > 0, `${ok} of 25 succeeded despite the faults`);
  });
});

t.test('Retry-After is capped', async (t) => {
  const stack = await startStack({ retry: { retryAfterCapMs: 150 } });
  t.teardown(() => stack.close());
  stack.sim.faults.script({ method: 'GET', set: 'employees', fault: { kind: 'status', status: 429, retryAfter: 30 } });
  const r = await stack.test();
  t.equal(r.status, 200, r.body.error ?? 'ok');
  t.match(r.body.log, /Retrying in 150 ms/);
});

t.test('a POST is retried after a connection refused: it never reached ISM', async (t) => {
  const port = await closedPort();
  const settings = resolveSettings(
    { credentials: { secretKey: KEY }, url: `http://127.0.0.1:${port}/HEAT`, ssl_verify: true, connect_timeout: 5, request_timeout: 5, attachment_size_limit: 20, response_size_limit: 32 },
    { ...DEFAULT_RETRY, baseDelayMs: 600, maxDelayMs: 600 },
  );
  const client = new IsmClient(settings);
  t.teardown(() => client.close());
  let refused!: () => void;
  const firstRefusal = new Promise<void>((resolve) => (refused = resolve));
  const lines: string[] = [];
  const log: StepLogger = {
    debug: () => {},
    info: (m) => {
      lines.push(m);
      if (/refused the connection.*Retrying/.test(m)) refused();
    },
    warn: () => {},
    error: () => {},
  };
  const body = {
    Subject: 'Created after a refusal',
    Symptom: 'The first attempt found the port closed.',
    ProfileLink: '9C3DD5203AB14D857E11FCFB2A3FBDDA',
    Status: 'Logged',
    TypeOfIncident: 'Failure',
  };
  const pending = client.request('POST', 'incidents', log, body);
  await firstRefusal;
  // ISM comes up on that port while the client waits to retry (300 to 600 ms).
  const sim = await startSimulator({ apiKeys: { [KEY]: 'Administrator' }, port });
  t.teardown(() => sim.close());
  const answer = await pending;
  t.equal(answer.status, 201);
  t.equal((answer.body as { Subject: string }).Subject, 'Created after a refusal');
  t.equal(posts(sim.journal.entries()).length, 1, 'one POST reached ISM');
  t.ok(client.stats.retries >= 1, `retried after the refusal (${client.stats.retries})`);
  t.match(lines.join('\n'), /refused the connection/);
});

t.test('a POST is not retried after a reset: unit check of the flag a DELETE relies on', async (t) => {
  const sim = await startSimulator({ apiKeys: { [KEY]: 'Administrator' } });
  t.teardown(() => sim.close());
  const client = new IsmClient(
    resolveSettings({ credentials: { secretKey: KEY }, url: sim.url, ssl_verify: true, connect_timeout: 5, request_timeout: 5, attachment_size_limit: 20, response_size_limit: 32 }, { ...DEFAULT_RETRY, baseDelayMs: 1 }),
  );
  t.teardown(() => client.close());
  const silent: StepLogger = { debug() {}, info() {}, warn() {}, error() {} };
  sim.faults.script({ method: 'POST', fault: { kind: 'reset-after' } });
  const err = await client.request('POST', 'journal__notess', silent, { ParentLink_RecID: 'BC6E2562367D08417D67FAECB5841C25', Subject: 's' }).catch((e: unknown) => e);
  t.ok(err instanceof IsmRequestError);
  t.equal((err as IsmRequestError).earlierAttemptMayHaveApplied, false, 'no earlier attempt');
  t.equal(client.stats.requests, 1);
  sim.faults.script({ method: 'DELETE', times: 'always', fault: { kind: 'status', status: 502 } });
  const del = await client.request('DELETE', "incidents('BC6E2562367D08417D67FAECB5841C25')", silent).catch((e: unknown) => e);
  t.equal((del as IsmRequestError).status, 502);
  t.equal((del as IsmRequestError).earlierAttemptMayHaveApplied, true, 'a 502 may hide an applied write');
  sim.faults.clear();
  sim.faults.script({ method: 'DELETE', times: 'always', fault: { kind: 'status', status: 503 } });
  const unavailable = await client.request('DELETE', "incidents('BC6E2562367D08417D67FAECB5841C25')", silent).catch((e: unknown) => e);
  t.equal((unavailable as IsmRequestError).earlierAttemptMayHaveApplied, false, 'a 503 was never applied');
});

t.test('keep-alive: steps reuse sockets', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const proxy = await tcpProxy(stack.sim.port);
  t.teardown(() => proxy.close());
  const connection = stack.connection({ url: `http://127.0.0.1:${proxy.port}/HEAT` });
  let requests = 0;
  for (let i = 0; i < 5; i++) {
    const note = await stack.run('add_note', { incident_number: 10001, summary: `keep-alive ${i}` }, connection);
    t.equal(note.status, 200, note.body.error ?? 'ok');
    requests += note.entries.length;
    const test = await stack.test(connection);
    requests += test.entries.length;
  }
  t.equal(requests, 15);
  t.equal(proxy.connections, 1, `15 requests over ${proxy.connections} connection(s)`);
  const create = await stack.run('create_incident', sampleInput('create_incident'), connection);
  t.equal(create.status, 200, create.body.error ?? 'ok');
  t.ok(proxy.connections <= 2, 'two lookups side by side need at most a second socket');
});
