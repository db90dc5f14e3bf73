// Faults that spoil a success: a 2xx status carrying an error body, and an answer far larger than any real one.
import t from 'tap';
import { ERROR_BODY_SHAPES } from '../../src/simulator/index.js';
import { call, incidentPayload, start } from './helpers.js';

t.test('error-body: a success status with an error body, and nothing applied', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const before = sim.store.counts().incidents;
  const expected: Record<string, (body: Record<string, any>) => boolean> = {
    errors: (b) => Array.isArray(b.Errors) && b.Errors.length === 1,
    ism: (b) => b.code === 'ISM_4000' && Array.isArray(b.message),
    odata: (b) => typeof b.error?.message?.value === 'string',
    exception: (b) => typeof b.ExceptionMessage === 'string',
  };
  for (const shape of ERROR_BODY_SHAPES) {
    sim.faults.script({ method: 'POST', set: 'incidents', fault: { kind: 'error-body', shape, status: 201 } });
    const r = await call(sim, 'POST', 'incidents', { body: incidentPayload() });
    t.equal(r.status, 201, shape);
    t.ok(expected[shape]!(r.json()), `${shape}: ${r.text}`);
  }
  sim.faults.script({ method: 'DELETE', set: 'incidents', fault: { kind: 'error-body', shape: 'errors' } });
  const recId = String(sim.store.findIncidentByNumber(10001)!.RecId);
  t.equal((await call(sim, 'DELETE', `incidents('${recId}')`)).status, 200, 'status 200 by default');
  t.ok(sim.store.findIncidentByNumber(10001), 'the delete was not applied');
  t.equal(sim.store.counts().incidents, before, 'no create was applied');
  t.equal(sim.faults.counts()['error-body'], ERROR_BODY_SHAPES.length + 1);
  t.throws(() => sim.faults.script({ fault: { kind: 'error-body', shape: 'nope' } as never }), /"shape" must be one of/);
  t.throws(() => sim.faults.script({ fault: { kind: 'error-body', shape: 'ism', status: 204 } as never }), /"status" must be 200 or 201/);
});

t.test('oversized: a 200 JSON answer of exactly the bytes asked for', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const bytes = 3 * 64 * 1024 + 123;
  sim.faults.script({ method: 'GET', set: 'incidents', fault: { kind: 'oversized', bytes } });
  const r = await call(sim, 'GET', 'incidents');
  t.equal(r.status, 200);
  t.equal(r.headers.get('content-length'), String(bytes));
  t.equal(Buffer.byteLength(r.text), bytes);
  const value = r.json().value as { Padding: string }[];
  t.match(value[0]!.Padding, /^x+$/);
  t.equal((await call(sim, 'GET', 'incidents')).status, 200, 'once, as scripted');
  t.throws(() => sim.faults.script({ fault: { kind: 'oversized', bytes: 3 } as never }), /at least 32/);
});
