/**
 * Get Incident end to end: the whole record in one ISM request, ISM's nulls and empty strings
 * dropped; an incident that does not exist is an error naming its number.
 */
import t from 'tap';
import { RO_KEY, SEED, shape, startStack, type Json } from './helpers.js';

t.test('get_incident', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const { sim } = stack;

  t.test('found: the whole record, nulls and empty strings dropped, in one request', async (t) => {
    const r = await stack.run('get_incident', { incident_number: 10001 });
    t.equal(r.status, 200, r.body.error ?? 'answered 200');
    t.equal(r.body.status, 'ok');
    t.same(r.body.meta, { job: 't' });
    t.same(shape(r.entries), ['GET incidents'], 'one ISM request');
    const e = r.entries[0]!;
    t.equal(e.query.$filter, 'IncidentNumber eq 10001');
    t.notOk('$select' in e.query, 'the whole record, not a selection');
    t.notOk('$search' in e.query);

    const incident = r.body.output.incident as Json;
    const stored = sim.store.findIncidentByNumber(10001)!;
    const expected = Object.fromEntries(Object.entries(stored).filter(([, v]) => v !== null && v !== ''));
    t.same(incident, expected, 'every field ISM holds a value for, as ISM holds it');
    t.equal(incident.RecId, SEED.incident10001);
    t.equal(incident.Subject, 'Cannot connect to VPN from home');
    t.ok(Object.keys(stored).some((k) => stored[k] === null), 'the record has null fields...');
    for (const [key, value] of Object.entries(stored)) {
      if (value === null || value === '') t.notOk(key in incident, `...and ${key} is left out`);
    }
    t.type(incident.IsVIP, 'boolean', 'false is a value, kept');
  });

  t.test('a closed incident and a freshly created one are read the same way', async (t) => {
    const closed = await stack.run('get_incident', { incident_number: 10005 });
    t.equal(closed.status, 200);
    t.equal(closed.body.output.incident.RecId, SEED.incident10005Closed);
    t.equal(closed.body.output.incident.Status, 'Closed');
    const made = sim.store.createIncident({ Subject: 'Fresh', Symptom: 'Just made', ProfileLink: SEED.exampleUser });
    const fresh = await stack.run('get_incident', { incident_number: made.IncidentNumber as number });
    t.equal(fresh.body.output.incident.RecId, made.RecId);
    t.equal(fresh.body.output.incident.Subject, 'Fresh');
  });

  t.test('not found: a clear error naming the number, after one request', async (t) => {
    const r = await stack.run('get_incident', { incident_number: 99999 });
    t.equal(r.status, 400);
    t.equal(r.body.status, 'error');
    t.match(r.body.exception.cause, /No incident has the number 99999/);
    t.match(r.body.error, /99999/);
    t.same(shape(r.entries), ['GET incidents'], 'one request, not retried');
  });

  t.test('under every "no rows" encoding, not found is the same error', async (t) => {
    t.teardown(() => void (sim.behaviour.noRows = 'ism'));
    for (const mode of ['empty-body', 'empty-array', 'string-value'] as const) {
      sim.behaviour.noRows = mode;
      const r = await stack.run('get_incident', { incident_number: 88888 });
      t.equal(r.status, 400, mode);
      t.match(r.body.exception.cause, /No incident has the number 88888/, mode);
    }
  });

  t.test('numbers no incident can have are refused before any ISM call', async (t) => {
    for (const incident_number of [0, -5, 2_147_483_648]) {
      const r = await stack.run('get_incident', { incident_number });
      t.equal(r.status, 400, String(incident_number));
      t.match(r.body.error, /incident_number/);
      t.same(r.entries, [], 'nothing reached ISM');
    }
    const missing = await stack.run('get_incident', {});
    t.equal(missing.status, 400);
    t.match(missing.body.error, /incident_number/);
    t.same(missing.entries, []);
  });

  t.test('a read-only key can read', async (t) => {
    const r = await stack.run('get_incident', { incident_number: 10002 }, stack.connection({ credentials: { secretKey: RO_KEY } }));
    t.equal(r.status, 200);
    t.equal(r.body.output.incident.RecId, SEED.incident10002);
  });

  t.test('a 503 on the read is retried', async (t) => {
    sim.faults.script({ method: 'GET', set: 'incidents', fault: { kind: 'status', status: 503 } });
    const r = await stack.run('get_incident', { incident_number: 10002 });
    t.equal(r.status, 200);
    t.same(r.entries.map((e) => e.status), [503, 200]);
  });
});
