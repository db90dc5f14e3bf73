import t from 'tap';
import { ADMIN_KEY, READONLY_KEY, SEED, call, incidentPayload, start } from './helpers.js';

const UNAUTHORIZED = '{"code":"ISM_4001","description":"Invalid session key or session timed out","message":["Authentication required"]}';

t.test('both prefixes are served by default', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  t.equal(sim.url, `${sim.origin}/HEAT`);
  for (const base of [`${sim.origin}/HEAT/api/odata/businessobject/`, `${sim.origin}/api/odata/businessobject/`]) {
    const r = await call(sim, 'GET', 'incidents?$top=1', { base });
    t.equal(r.status, 200, base);
    t.equal(r.json()['@odata.count'], 7);
  }
});

t.test('only /HEAT: the bare /api path answers 404', async (t) => {
  const sim = await start({ prefix: '/HEAT' });
  t.teardown(() => sim.close());
  t.equal((await call(sim, 'GET', 'incidents', { base: `${sim.origin}/HEAT/api/odata/businessobject/` })).status, 200);
  const r = await call(sim, 'GET', 'incidents', { base: `${sim.origin}/api/odata/businessobject/` });
  t.equal(r.status, 404);
  t.equal(r.json().code, 'ISM_4004');
});

t.test("prefix '': no /HEAT, and url is the origin", async (t) => {
  const sim = await start({ prefix: '' });
  t.teardown(() => sim.close());
  t.equal(sim.url, sim.origin);
  t.equal((await call(sim, 'GET', 'incidents', { base: `${sim.origin}/api/odata/businessobject/` })).status, 200);
  const r = await call(sim, 'GET', 'incidents', { base: `${sim.origin}/HEAT/api/odata/businessobject/` });
  t.equal(r.status, 404);
  t.equal(r.json().code, 'ISM_4004');
});

t.test('401 with exactly ISM body when the key is missing, wrong or badly written', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const variants: Array<Record<string, string>> = [{}, { Authorization: 'rest_api_key=nope' }, { Authorization: `rest_api_key= ${ADMIN_KEY}` }, { Authorization: `Bearer ${ADMIN_KEY}` }, { Authorization: ADMIN_KEY }, { Authorization: `REST_API_KEY=${ADMIN_KEY}` }];
  for (const headers of variants) {
    const r = await call(sim, 'GET', 'incidents', { key: null, headers });
    t.equal(r.status, 401, JSON.stringify(headers));
    t.equal(r.text, UNAUTHORIZED);
  }
});

t.test('set names are case-insensitive; singular and unknown sets answer 404 ISM_4004', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  for (const set of ['Incidents', 'INCIDENTS', 'EMPLOYEES', 'Journal__Notess']) {
    t.equal((await call(sim, 'GET', `${set}?$top=1`)).status, 200, set);
  }
  for (const path of ['incident', 'employee', 'journal__notes', 'changes', 'incidentss', '', 'incidents/extra/segments']) {
    const r = await call(sim, 'GET', path);
    t.equal(r.status, 404, path);
    t.same(r.json(), { code: 'ISM_4004', description: 'Requested resource does not exist', message: ['Invalid Path'], help: '' });
  }
});

t.test('unknown paths anywhere answer a JSON 404', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  for (const path of ['/', '/favicon.ico', '/HEAT', '/HEAT/api/rest/foo', '/api/odata/$metadata', '/__sim/journal']) {
    const r = await call(sim, 'GET', path);
    t.equal(r.status, 404, path);
    t.equal(r.json().code, 'ISM_4004', path);
    t.match(r.headers.get('content-type'), /application\/json/);
  }
});

t.test('a SelfService key reads but gets the role message on every write', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  t.equal((await call(sim, 'GET', 'incidents', { key: READONLY_KEY })).status, 200);
  const cases: Array<[string, string, unknown, string]> = [
    ['POST', 'incidents', incidentPayload(), 'Role SelfService does not have rights to create object Incident#.'],
    ['PUT', `incidents('${SEED.incident10001}')`, { Subject: 'x' }, 'Role SelfService does not have rights to update object Incident#.'],
    ['PATCH', `incidents('${SEED.incident10001}')`, { Subject: 'x' }, 'Role SelfService does not have rights to update object Incident#.'],
    ['DELETE', `incidents('${SEED.incident10001}')`, undefined, 'Role SelfService does not have rights to delete object Incident#.'],
    ['POST', 'journal__notess', { ParentLink_RecID: SEED.incident10001, Subject: 's' }, 'Role SelfService does not have rights to create object Journal#Notes.'],
    ['PATCH', `journal__notess('6FE6714CDEC270F6B4C4DBF80CA36D9E')`, { Subject: 's' }, 'Role SelfService does not have rights to update object Journal#Notes.'],
    ['DELETE', `journal__notess('6FE6714CDEC270F6B4C4DBF80CA36D9E')`, undefined, 'Role SelfService does not have rights to delete object Journal#Notes.'],
  ];
  const before = sim.store.counts();
  for (const [method, path, body, message] of cases) {
    const r = await call(sim, method, path, { key: READONLY_KEY, body });
    t.equal(r.status, 400, `${method} ${path}`);
    t.same(r.json(), { code: 'ISM_4000', description: 'Invalid Request Payload', message: [message], help: '' });
  }
  t.same(sim.store.counts(), before, 'nothing was written');
  t.equal(sim.store.findIncidentByNumber(10001)?.Subject, 'Cannot connect to VPN from home');
});

t.test('keys can carry their own user and roles', async (t) => {
  const sim = await start({ apiKeys: { K1: { role: 'ServiceDeskAnalyst', user: 'ppatel' }, K2: { role: 'Auditor', readOnly: true } } });
  t.teardown(() => sim.close());
  const r = await call(sim, 'POST', 'incidents', { key: 'K1', body: incidentPayload() });
  t.equal(r.status, 201);
  t.equal(r.json().CreatedBy, 'ppatel');
  const denied = await call(sim, 'POST', 'incidents', { key: 'K2', body: incidentPayload() });
  t.same(denied.json().message, ['Role Auditor does not have rights to create object Incident#.']);
});

t.test('the default key is sim-admin-key with the Administrator role', async (t) => {
  const { startSimulator } = await import('../../src/simulator/index.js');
  const sim = await startSimulator();
  t.teardown(() => sim.close());
  t.equal(sim.apiKey, 'sim-admin-key');
  t.equal((await call(sim, 'POST', 'incidents', { key: 'sim-admin-key', body: incidentPayload() })).status, 201);
});

t.test('unsupported methods answer 405', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  t.equal((await call(sim, 'PUT', 'incidents', { body: { Subject: 'x' } })).status, 405);
  t.equal((await call(sim, 'POST', `incidents('${SEED.incident10001}')`, { body: { Subject: 'x' } })).status, 405);
  t.equal((await call(sim, 'POST', 'employees', { body: { LoginID: 'x' } })).status, 405);
});
