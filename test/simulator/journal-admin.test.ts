import t from 'tap';
import { ADMIN_KEY, READONLY_KEY, SEED, call, enc, incidentPayload, start } from './helpers.js';

t.test('the journal records each request: what was asked and what was answered', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  await call(sim, 'GET', `employees?$filter=${enc("PrimaryEmail eq 'user@example.com'")}&$top=2`);
  await call(sim, 'POST', 'incidents', { body: incidentPayload({ Subject: 'journalled' }) });
  await call(sim, 'GET', `incidents('${SEED.incident10001}')`, { key: 'wrong-key' });
  await call(sim, 'GET', 'incidents', { key: null });
  await call(sim, 'GET', `incidents?$filter=${enc("Subject eq 'x' or 'a' eq 'a'")}`);
  await call(sim, 'POST', 'incidents', { key: READONLY_KEY, body: incidentPayload() });

  const [lookup, create, wrongKey, noKey, badFilter, denied] = sim.journal.entries();
  t.match(lookup, {
    seq: 1,
    method: 'GET',
    path: '/HEAT/api/odata/businessobject/employees',
    prefix: '/HEAT',
    set: 'employees',
    key: null,
    query: { $filter: "PrimaryEmail eq 'user@example.com'", $top: '2' },
    filter: { ast: { type: 'compare', field: 'PrimaryEmail', op: 'eq', value: { kind: 'string', value: 'user@example.com' } } },
    headers: { authorization: 'present/valid' },
    body: null,
    status: 200,
    applied: false,
    fault: null,
  });
  t.match(lookup?.time, /^\d{4}-\d{2}-\d{2}T/);
  t.type(lookup?.durationMs, 'number');
  t.match(create, { seq: 2, method: 'POST', set: 'incidents', body: { Subject: 'journalled' }, status: 201, applied: true });
  t.match(wrongKey, { key: SEED.incident10001, status: 401, headers: { authorization: 'present/invalid' }, applied: false });
  t.equal(noKey?.status, 401);
  t.notOk(noKey && 'authorization' in noKey.headers, 'absent when not sent');
  t.match(badFilter, { status: 400, filter: { error: /expected a field name/ } });
  t.match(denied, { status: 400, applied: false, headers: { authorization: 'present/valid' } });

  const text = JSON.stringify(sim.journal.entries());
  for (const secret of [ADMIN_KEY, READONLY_KEY, 'wrong-key', 'rest_api_key']) t.notMatch(text, secret, `never holds ${secret}`);
});

t.test('the journal is a bounded ring buffer', async (t) => {
  const sim = await start({ journalLimit: 3 });
  t.teardown(() => sim.close());
  for (let i = 0; i < 5; i++) await call(sim, 'GET', `incidents?$top=${i + 1}`);
  t.equal(sim.journal.size, 3);
  t.equal(sim.journal.total, 5);
  t.same(sim.journal.entries().map((e) => e.seq), [3, 4, 5]);
  t.equal(sim.journal.last()?.seq, 5);
  t.same(sim.journal.last(2).map((e) => e.seq), [4, 5]);
  t.same(sim.journal.since(3).map((e) => e.seq), [4, 5]);
  sim.journal.clear();
  t.same(sim.journal.entries(), []);
  t.equal(sim.journal.last(), undefined);
  await call(sim, 'GET', 'incidents');
  t.equal(sim.journal.last()?.seq, 6, 'numbering goes on after a clear');
});

t.test('journalLimit 0 disables the journal', async (t) => {
  const sim = await start({ journalLimit: 0 });
  t.teardown(() => sim.close());
  await call(sim, 'GET', 'incidents');
  t.same(sim.journal.entries(), []);
  t.equal(sim.journal.last(), undefined);
});

t.test('admin routes do not exist unless enabled', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  for (const [method, path] of [['GET', '/__sim/journal'], ['POST', '/__sim/faults'], ['DELETE', '/__sim/faults'], ['POST', '/__sim/behaviour'], ['GET', '/__sim/store/counts']] as const) {
    const r = await call(sim, method, path, { key: null, ...(method === 'POST' ? { body: {} } : {}) });
    t.equal(r.status, 404, `${method} ${path}`);
    t.equal(r.json().code, 'ISM_4004');
  }
});

t.test('admin routes control faults, behaviour and the store, and read the journal', async (t) => {
  const sim = await start({ admin: true });
  t.teardown(() => sim.close());
  const admin = (method: string, path: string, body?: unknown) => call(sim, method, path, { key: null, ...(body !== undefined ? { body } : {}) });

  const scripted = await admin('POST', '/__sim/faults', { script: [{ method: 'GET', set: 'employees', times: 2, fault: { kind: 'status', status: 503, retryAfter: 1 } }] });
  t.equal(scripted.status, 200);
  t.match(scripted.json(), { scripted: [{ set: 'employees', remaining: 2 }] });
  t.equal((await call(sim, 'GET', 'employees')).status, 503);
  t.match((await admin('GET', '/__sim/faults')).json(), { scripted: [{ remaining: 1 }], counts: { status: 1, total: 1 } });
  t.equal((await admin('DELETE', '/__sim/faults')).json().scripted.length, 0);
  t.equal((await call(sim, 'GET', 'employees')).status, 200);

  t.equal((await admin('POST', '/__sim/faults', { fault: { kind: 'empty-body' } })).status, 200, 'a bare rule');
  t.equal((await call(sim, 'GET', 'employees')).text, '');
  t.match((await admin('POST', '/__sim/faults', { random: { seed: 1, rate: 0.2 } })).json(), { random: { seed: 1, rate: 0.2 } });
  await admin('DELETE', '/__sim/faults');
  const bad = await admin('POST', '/__sim/faults', { fault: { kind: 'status', status: 418 } });
  t.equal(bad.status, 400);
  t.match(bad.json().error, /status/);

  t.same((await admin('POST', '/__sim/behaviour', { noRows: 'string-value', createStatus: 200 })).json(), {
    createStatus: 200, updateAnswer: 'record', deleteAnswer: 'no-content', noRows: 'string-value',
  });
  t.equal(sim.behaviour.noRows, 'string-value');
  t.equal((await call(sim, 'POST', 'incidents', { body: incidentPayload() })).status, 200);
  t.equal((await admin('POST', '/__sim/behaviour', { noRows: 'sometimes' })).status, 400);

  t.match((await admin('GET', '/__sim/store/counts')).json(), { incidents: 8, notes: 5, employees: 26, nextIncidentNumber: 10009 });
  t.match((await admin('GET', '/__sim/store/incidents/10006')).json(), { RecId: SEED.incident10006, notes: [{}, {}] });
  t.match((await admin('GET', `/__sim/store/incidents/${SEED.incident10001}`)).json(), { IncidentNumber: 10001 });
  t.equal((await admin('GET', '/__sim/store/incidents/99999')).status, 404);
  t.equal((await admin('GET', '/__sim/store/incidents')).json().length, 8);
  t.equal((await admin('GET', '/__sim/store/employees')).json().length, 26);
  t.equal((await admin('GET', '/__sim/store/notes')).json().length, 5);
  t.match((await admin('POST', '/__sim/store/reset')).json(), { incidents: 7 });

  const journal = (await admin('GET', '/__sim/journal')).json();
  t.ok(journal.total >= 4);
  t.notOk(journal.entries.some((e: { path: string }) => e.path.startsWith('/__sim')), 'admin calls are not journalled');
  t.equal((await admin('GET', '/__sim/journal?last=1')).json().entries.length, 1);
  t.equal((await admin('DELETE', '/__sim/journal')).status, 200);
  t.equal((await admin('GET', '/__sim/journal')).json().entries.length, 0);
  t.equal((await admin('GET', '/__sim/nothing')).status, 404);
});

t.test('a given logger receives one line per request', async (t) => {
  const lines: Array<Record<string, unknown>> = [];
  const sim = await start({ logger: { info: (obj: object) => lines.push(obj as Record<string, unknown>) } });
  t.teardown(() => sim.close());
  await call(sim, 'GET', 'incidents?$top=1');
  await call(sim, 'GET', 'incidents', { key: 'bad' });
  t.match(lines, [{ method: 'GET', status: 200 }, { method: 'GET', status: 401 }]);
  t.notMatch(JSON.stringify(lines), ADMIN_KEY);
});
