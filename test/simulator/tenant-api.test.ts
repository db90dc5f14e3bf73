// The business object API: authentication and roles, paths, incidents and journal notes.
import t from 'tap';
import { ADMIN_KEY, READONLY_KEY, SEED, call, enc, incidentPayload, start } from './helpers.js';
import { REFERENCE_INCIDENT_FIELDS, REFERENCE_NOTE_FIELDS } from './fixtures.js';

t.test('authentication, roles and paths', async (t) => {
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
    for (const path of ['incident', 'employee', 'journal__notes', 'change', 'releases', 'incidentss', '', 'incidents/extra/segments']) {
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

  t.test('requests a web framework would refuse are answered as ISM answers them', async (t) => {
    const sim = await start();
    t.teardown(() => sim.close());
    // Whatever the Content-Type (even one that is not a media type), the body is read as JSON.
    const odd = await call(sim, 'POST', 'incidents', { rawBody: JSON.stringify(incidentPayload()), headers: { 'Content-Type': 'json' } });
    t.equal(odd.status, 201);
    const plain = await call(sim, 'POST', 'incidents', { rawBody: '{"Subject": ', headers: { 'Content-Type': 'text/plain' } });
    t.equal(plain.status, 400);
    t.same(plain.json().message, ['Invalid Business Object.']);
    t.same((await call(sim, 'POST', 'incidents', { rawBody: '', headers: { 'Content-Type': 'application/json' } })).json().message, ['Message body cannot be empty']);
    // Methods the API does not have: ISM's 405 after authentication.
    for (const method of ['OPTIONS', 'MERGE']) {
      t.equal((await call(sim, method, 'incidents')).status, 405, method);
      t.equal((await call(sim, method, 'incidents', { key: 'wrong' })).status, 401, `${method} without a valid key`);
    }
    // A path that does not decode: ISM's 404.
    const undecodable = await call(sim, 'GET', `${sim.url}/api/odata/businessobject/incidents%E0%A4%A`);
    t.equal(undecodable.status, 404);
    t.equal(undecodable.json().code, 'ISM_4004');
    // Other casings of the prefix and of the path, and a trailing slash.
    t.equal((await call(sim, 'GET', `${sim.origin}/heat/API/OData/BusinessObject/incidents?$top=1`)).json()['@odata.count'], 8);
    t.equal((await call(sim, 'GET', 'incidents/?$top=1')).json()['@odata.count'], 8);
    t.equal(sim.journal.last()?.path, '/HEAT/api/odata/businessobject/incidents/');
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
      ['PATCH', `incidents('${SEED.incident10001}')/IncidentContainsJournal('6FE6714CDEC270F6B4C4DBF80CA36D9E')/$Ref`, {}, 'Role SelfService does not have rights to update object Incident#.'],
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
});

t.test('incidents', async (t) => {
  const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;
  const REC_ID = /^[0-9A-F]{32}$/;

  function error(messages: string[]): unknown {
    return { code: 'ISM_4000', description: 'Invalid Request Payload', message: messages, help: '' };
  }

  t.test('create answers 201 with the full record: all 110 fields, typed, plus the extras', async (t) => {
    const sim = await start();
    t.teardown(() => sim.close());
    t.equal(REFERENCE_INCIDENT_FIELDS.length, 110);
    const r = await call(sim, 'POST', 'incidents', { body: incidentPayload({ Owner: 'jdoe', Impact: 'Medium', Urgency: 'High' }) });
    t.equal(r.status, 201);
    const rec = r.json();
    for (const { key, type } of REFERENCE_INCIDENT_FIELDS) {
      t.ok(key in rec, `has ${key}`);
      const v = rec[key];
      if (v === null) continue;
      if (type === 'integer') t.ok(Number.isInteger(v), `${key} is an integer`);
      else if (type === 'boolean') t.type(v, 'boolean', `${key} is a boolean`);
      else t.type(v, 'string', `${key} is a string`);
    }
    for (const { key, type } of REFERENCE_INCIDENT_FIELDS) {
      if (type === 'boolean') t.type(rec[key], 'boolean', `${key} is never null`);
    }
    t.equal(rec['@odata.context'], `${sim.origin}/HEAT/api/odata/$metadata#incidents/$entity`);
    t.equal(rec.ResolvedByIncidentNumber, 0);
    t.equal(rec.TotalTimeSpent, 0);
    t.equal(rec.ReadOnly, false);
    t.equal(rec.ClosedDuration, 0);
    t.match(rec.RecId, REC_ID);
    t.equal(rec.IncidentNumber, 10008, 'the counter continues after the highest seeded number');
    t.equal(rec.Status, 'Logged');
    t.equal(rec.Priority, '2');
    t.equal(rec.SocialTextHeader, 'Incident 10008: Laptop will not boot');
    t.match(rec.CreatedDateTime, ISO_WITH_OFFSET);
    t.equal(rec.LastModDateTime, rec.CreatedDateTime);
    t.equal(rec.CreatedBy, 'admin');
    t.equal(rec.LastModBy, 'admin');
    t.equal(rec.IsInFinalState, false);
    t.equal(rec.ProgressBarPosition, '1');
    t.equal(sim.store.findIncidentByNumber(10008)?.RecId, rec.RecId, 'stored');
  });

  t.test('the record comes from the customer (ProfileLink) and the owner (Owner login)', async (t) => {
    const sim = await start();
    t.teardown(() => sim.close());
    const rec = (await call(sim, 'POST', 'incidents', { body: incidentPayload({ ProfileLink: SEED.siobhan, Owner: 'JDOE' }) })).json();
    t.match(rec, {
      ProfileLink: SEED.siobhan,
      ProfileLink_RecID: SEED.siobhan,
      ProfileLink_Category: 'Employee',
      ProfileFullName: "Siobhan O'Neill",
      Email: "siobhan.o'neill@example.com",
      Phone: '+353 1 555 0133',
      LoginId: 'soneill',
      IncidentNetworkUserName: 'soneill',
      CustomerLocation: 'Dublin',
      CustomerDepartment: 'Finance',
      OrganizationUnitID: 'Finance',
      OrgUnitLink_Category: 'OrganizationalUnit',
      Owner: 'jdoe',
      Owner_Valid: SEED.johnDoe,
      OwnerType: 'Employee',
      OwnerEmail: 'john.doe@example.com',
      OwnershipAssignmentEmail: 'john.doe@example.com',
      OwnerTeam: 'Service Desk',
      OwnerTeamEmail: 'servicedesk@example.com',
      TeamManagerEmail: 'marcus.reed@example.com',
      IsVIP: false,
    });
    t.match(rec.OrgUnitLink, REC_ID);
    t.equal(rec.OrgUnitLink_RecID, rec.OrgUnitLink);
    t.equal(rec.EntityLink_RecID, rec.OrgUnitLink);
    t.match(rec.CustomerLocation_Valid, REC_ID);
    const vip = (await call(sim, 'POST', 'incidents', { body: incidentPayload({ ProfileLink: SEED.ceo }) })).json();
    t.equal(vip.IsVIP, true);
  });

  t.test('_Valid RecIds are set for validated values and stable per value', async (t) => {
    const sim = await start();
    t.teardown(() => sim.close());
    const a = (await call(sim, 'POST', 'incidents', { body: incidentPayload({ Impact: 'High', Urgency: 'Low', Category: 'Network', Source: 'Email' }) })).json();
    const b = (await call(sim, 'POST', 'incidents', { body: incidentPayload({ Impact: 'High', Urgency: 'High', Category: 'Network', Source: 'Phone' }) })).json();
    for (const f of ['Status_Valid', 'Impact_Valid', 'Urgency_Valid', 'Category_Valid', 'Source_Valid', 'Priority_Valid', 'Service_Valid']) {
      t.match(a[f], REC_ID, f);
    }
    t.equal(a.Impact_Valid, b.Impact_Valid);
    t.equal(a.Category_Valid, b.Category_Valid);
    t.not(a.Urgency_Valid, b.Urgency_Valid);
    t.not(a.Source_Valid, b.Source_Valid);
    t.equal(a.CauseCode_Valid, null, 'null when the field is unset');
    t.equal(a.CauseCode, null);
  });

  t.test('Priority follows the Impact x Urgency matrix, Low/Low when unset', async (t) => {
    const sim = await start();
    t.teardown(() => sim.close());
    const matrix: Array<[string | undefined, string | undefined, string]> = [
      ['High', 'High', '1'],
      ['High', 'Medium', '2'],
      ['Medium', 'High', '2'],
      ['Medium', 'Medium', '3'],
      ['High', 'Low', '3'],
      ['Low', 'High', '3'],
      ['Medium', 'Low', '4'],
      ['Low', 'Medium', '4'],
      ['Low', 'Low', '5'],
      [undefined, undefined, '5'],
      ['High', undefined, '3'],
    ];
    for (const [impact, urgency, priority] of matrix) {
      const body = incidentPayload({ ...(impact ? { Impact: impact } : {}), ...(urgency ? { Urgency: urgency } : {}) });
      const rec = (await call(sim, 'POST', 'incidents', { body })).json();
      t.equal(rec.Priority, priority, `${impact}/${urgency}`);
      t.type(rec.Priority, 'string');
    }
  });

  t.test('IncidentNumber starts at 10001 on an empty tenant and never reuses numbers', async (t) => {
    const { builtInSeed } = await import('../../src/simulator/index.js');
    const seed = builtInSeed();
    seed.incidents = [];
    seed.notes = [];
    const sim = await start({ seed });
    t.teardown(() => sim.close());
    const first = (await call(sim, 'POST', 'incidents', { body: incidentPayload() })).json();
    t.equal(first.IncidentNumber, 10001);
    const second = (await call(sim, 'POST', 'incidents', { body: incidentPayload() })).json();
    t.equal(second.IncidentNumber, 10002);
    await call(sim, 'DELETE', `incidents('${second.RecId}')`);
    t.equal((await call(sim, 'POST', 'incidents', { body: incidentPayload() })).json().IncidentNumber, 10003);
  });

  t.test('create status is switchable to 200', async (t) => {
    const sim = await start({ behaviour: { createStatus: 200 } });
    t.teardown(() => sim.close());
    t.equal((await call(sim, 'POST', 'incidents', { body: incidentPayload() })).status, 200);
    sim.behaviour.createStatus = 201;
    t.equal((await call(sim, 'POST', 'incidents', { body: incidentPayload() })).status, 201);
  });

  t.test('validation errors answer ISM 400 bodies', async (t) => {
    const sim = await start();
    t.teardown(() => sim.close());
    const cases: Array<[string, unknown, string[], string?]> = [
      ['empty object', {}, ['Message body cannot be empty']],
      ['no body', undefined, ['Message body cannot be empty']],
      ['unknown field', incidentPayload({ Bogus: 1 }), ["The property 'Bogus' does not exist on type 'Incident'. Make sure to only use property names that are defined by the type."]],
      ['field names are case-sensitive', incidentPayload({ subject: 'x' }), ["The property 'subject' does not exist on type 'Incident'. Make sure to only use property names that are defined by the type."]],
      ['bad Status', incidentPayload({ Status: 'Bogus' }), ["UndefinedValidatedValue: 'Bogus' is not in the validation list of validated field Incident.Status"]],
      ['bad Impact', incidentPayload({ Impact: 'Huge' }), ["UndefinedValidatedValue: 'Huge' is not in the validation list of validated field Incident.Impact"]],
      ['bad Urgency', incidentPayload({ Urgency: 'Now' }), ["UndefinedValidatedValue: 'Now' is not in the validation list of validated field Incident.Urgency"]],
      ['bad TypeOfIncident', incidentPayload({ TypeOfIncident: 'Question' }), ["UndefinedValidatedValue: 'Question' is not in the validation list of validated field Incident.TypeOfIncident"]],
      ['bad Source', incidentPayload({ Source: 'Pigeon' }), ["UndefinedValidatedValue: 'Pigeon' is not in the validation list of validated field Incident.Source"]],
      ['bad Category', incidentPayload({ Category: 'Gardening' }), ["UndefinedValidatedValue: 'Gardening' is not in the validation list of validated field Incident.Category"]],
      ['bad CauseCode', incidentPayload({ CauseCode: 'Gremlins' }), ["UndefinedValidatedValue: 'Gremlins' is not in the validation list of validated field Incident.CauseCode"]],
      ['unknown Owner', incidentPayload({ Owner: 'John Doe' }), ["UndefinedValidatedValue: 'John Doe' is not in the validation list of validated field Incident.Owner"]],
      ['missing Symptom', incidentPayload({ Symptom: undefined }), ['Incident((new)).NotEmpty: Required field Incident.Description value must be provided.']],
      ['blank Subject', incidentPayload({ Subject: '  ' }), ['Incident((new)).NotEmpty: Required field Incident.Summary value must be provided.']],
      ['missing ProfileLink', incidentPayload({ ProfileLink: undefined }), ['Incident((new)).NotEmpty: Required field Incident.Customer value must be provided.']],
      ['unknown ProfileLink', incidentPayload({ ProfileLink: '00000000000000000000000000000000' }), ["Incident.ProfileLink: Record '00000000000000000000000000000000' cannot be found in the business object 'employee'"]],
      ['Active without Category and Owner', incidentPayload({ Status: 'Active' }), ["DataLayer.PromptException: Incident (new): Status 'Active' requires values for the fields: Category, Owner"]],
      ['Active without Owner', incidentPayload({ Status: 'Active', Category: 'Network' }), ["DataLayer.PromptException: Incident (new): Status 'Active' requires values for the fields: Owner"]],
      ['Resolved without CauseCode and Resolution', incidentPayload({ Status: 'Resolved' }), ["DataLayer.PromptException: Incident (new): Status 'Resolved' requires values for the fields: CauseCode, Resolution"]],
      ['Closed without Resolution', incidentPayload({ Status: 'Closed', CauseCode: 'Other' }), ["DataLayer.PromptException: Incident (new): Status 'Closed' requires values for the fields: Resolution"]],
      ['not JSON', undefined, ['Invalid Business Object.'], '{"Subject": '],
      ['an array', [incidentPayload()], ['Invalid Business Object.']],
      ['wrong type', incidentPayload({ IsVIP: 'maybe' }), ['Invalid value for field Incident.IsVIP: true or false expected.']],
    ];
    const before = sim.store.counts().incidents;
    for (const [name, body, messages, raw] of cases) {
      const r = await call(sim, 'POST', 'incidents', raw !== undefined ? { rawBody: raw } : { body });
      t.equal(r.status, 400, name);
      t.same(r.json(), error(messages), name);
    }
    const both = await call(sim, 'POST', 'incidents', { body: { Subject: 'only a subject' } });
    t.same(both.json().message, [
      'Incident((new)).NotEmpty: Required field Incident.Customer value must be provided.',
      'Incident((new)).NotEmpty: Required field Incident.Description value must be provided.',
    ]);
    t.equal(sim.store.counts().incidents, before, 'nothing was created');
    t.equal(sim.store.nextIncidentNumber(), 10008, 'no number was used up');
  });

  t.test('validated values are matched case-insensitively and stored as listed', async (t) => {
    const sim = await start();
    t.teardown(() => sim.close());
    const rec = (await call(sim, 'POST', 'incidents', { body: incidentPayload({ Status: 'active', Category: 'how-to', Owner: 'PPATEL', Impact: 'high' }) })).json();
    t.match(rec, { Status: 'Active', Category: 'How-To', Owner: 'ppatel', Impact: 'High' });
  });

  t.test('unknown or malformed RecIds answer 400, never 404', async (t) => {
    const sim = await start();
    t.teardown(() => sim.close());
    const missing = 'ABCDEF0123456789ABCDEF0123456789';
    for (const method of ['GET', 'PUT', 'PATCH', 'DELETE']) {
      const r = await call(sim, method, `incidents('${missing}')`, method === 'PUT' || method === 'PATCH' ? { body: { Subject: 'x' } } : {});
      t.equal(r.status, 400, method);
      t.same(r.json(), error([`Record '${missing}' cannot be found in the business object 'incident'`]), method);
    }
    t.same((await call(sim, 'GET', 'incidents(10001)')).json(), error(['Invalid key']));
    t.same((await call(sim, 'GET', `incidents('unterminated)`)).json(), error(['Invalid key']));
    t.same((await call(sim, 'GET', "incidents(' ')")).json(), error(['Key value cannot be empty']));
    t.same((await call(sim, 'GET', "journal__notess('nope')")).json(), error(["Record 'nope' cannot be found in the business object 'journal__notes'"]));
    t.same((await call(sim, 'GET', "employees('nope')")).json(), error(["Record 'nope' cannot be found in the business object 'employee'"]));
  });

  t.test("GET incidents('R') answers the record with its entity context", async (t) => {
    const sim = await start();
    t.teardown(() => sim.close());
    for (const key of [SEED.incident10006, SEED.incident10006.toLowerCase()]) {
      const r = await call(sim, 'GET', `incidents('${key}')`);
      t.equal(r.status, 200);
      const rec = r.json();
      t.equal(rec['@odata.context'], `${sim.origin}/HEAT/api/odata/$metadata#incidents/$entity`);
      t.equal(rec.IncidentNumber, 10006);
      t.equal(rec.Priority, '1');
      t.equal(rec.OwnerTeam, 'Security Operations');
    }
    const viaBare = await call(sim, 'GET', `incidents('${SEED.incident10006}')`, { base: `${sim.origin}/api/odata/businessobject/` });
    t.equal(viaBare.json()['@odata.context'], `${sim.origin}/api/odata/$metadata#incidents/$entity`);
    const emp = (await call(sim, 'GET', `employees('${SEED.johnDoe}')`)).json();
    t.equal(emp['@odata.context'], `${sim.origin}/HEAT/api/odata/$metadata#employees/$entity`);
    t.equal(emp.LoginID, 'jdoe');
  });

  t.test('PUT and PATCH change only the given fields and recompute what depends on them', async (t) => {
    const sim = await start({ clock: () => new Date('2026-11-20T12:00:00Z'), utcOffsetMinutes: -420 });
    t.teardown(() => sim.close());
    const before = sim.store.findIncidentByNumber(10001);
    for (const method of ['PUT', 'PATCH']) {
      const r = await call(sim, method, `incidents('${SEED.incident10001}')`, {
        body: { Subject: `Renamed by ${method}`, Impact: 'High', Urgency: 'High', Owner: 'dwhitfield', ProfileLink: SEED.siobhan },
      });
      t.equal(r.status, 200, method);
      const rec = r.json();
      t.equal(rec['@odata.context'], `${sim.origin}/HEAT/api/odata/$metadata#incidents/$entity`);
      t.match(rec, {
        Subject: `Renamed by ${method}`,
        Priority: '1',
        SocialTextHeader: `Incident 10001: Renamed by ${method}`,
        Owner: 'dwhitfield',
        OwnerTeam: 'Security Operations',
        OwnerEmail: 'dana.whitfield@example.com',
        Email: "siobhan.o'neill@example.com",
        ProfileFullName: "Siobhan O'Neill",
        LastModDateTime: '2026-11-20T05:00:00-07:00',
        LastModBy: 'admin',
        Symptom: before?.Symptom,
        CreatedDateTime: before?.CreatedDateTime,
        Category: 'Network',
        IncidentNumber: 10001,
        RecId: SEED.incident10001,
      });
    }
  });

  t.test('status changes: Resolved and Closed fill their fields; rules apply on update', async (t) => {
    const sim = await start();
    t.teardown(() => sim.close());
    const path = `incidents('${SEED.incident10001}')`;
    t.same((await call(sim, 'PATCH', path, { body: { Status: 'Active' } })).json(), error(["DataLayer.PromptException: Incident 10001: Status 'Active' requires values for the fields: Owner"]));
    t.equal((await call(sim, 'PATCH', path, { body: { Status: 'Active', Owner: 'jdoe' } })).json().Status, 'Active');
    t.same((await call(sim, 'PATCH', path, { body: { Status: 'Resolved' } })).json(), error(["DataLayer.PromptException: Incident 10001: Status 'Resolved' requires values for the fields: CauseCode, Resolution"]));
    const resolved = (await call(sim, 'PATCH', path, { body: { Status: 'Resolved', CauseCode: 'Configuration', Resolution: 'Re-issued the VPN profile.' } })).json();
    t.match(resolved, { Status: 'Resolved', ResolvedBy: 'admin', IsInFinalState: false, ProgressBarPosition: '4', ClosedBy: null });
    t.match(resolved.ResolvedDateTime, ISO_WITH_OFFSET);
    const closed = (await call(sim, 'PATCH', path, { body: { Status: 'Closed' } })).json();
    t.match(closed, { Status: 'Closed', ClosedBy: 'admin', IsInFinalState: true, ProgressBarPosition: '5', ResolvedBy: 'admin' });
    t.match(closed.ClosedDateTime, ISO_WITH_OFFSET);
    t.ok(closed.ClosedDuration > 0, 'minutes since creation');
    t.same((await call(sim, 'PATCH', path, { body: { Subject: '' } })).json(), error(['Incident(10001).NotEmpty: Required field Incident.Summary value must be provided.']));
    t.same((await call(sim, 'PATCH', path, { body: {} })).json(), error(['Message body cannot be empty']));
    t.same((await call(sim, 'PATCH', path, { body: { Category: 'Nope' } })).json(), error(["UndefinedValidatedValue: 'Nope' is not in the validation list of validated field Incident.Category"]));
  });

  t.test('system and derived fields sent by the client are ignored', async (t) => {
    const sim = await start();
    t.teardown(() => sim.close());
    const rec = (await call(sim, 'POST', 'incidents', { body: incidentPayload({ IncidentNumber: 5, RecId: 'X', Priority: '1', CreatedBy: 'mallory', '@odata.context': 'whatever' }) })).json();
    t.equal(rec.IncidentNumber, 10008);
    t.not(rec.RecId, 'X');
    t.equal(rec.Priority, '5');
    t.equal(rec.CreatedBy, 'admin');
  });

  t.test('update answers 204 without a body when switched', async (t) => {
    const sim = await start({ behaviour: { updateAnswer: 'no-content' } });
    t.teardown(() => sim.close());
    for (const method of ['PUT', 'PATCH']) {
      const r = await call(sim, method, `incidents('${SEED.incident10002}')`, { body: { Subject: `via ${method}` } });
      t.equal(r.status, 204);
      t.equal(r.text, '');
      t.equal(sim.store.findIncidentByNumber(10002)?.Subject, `via ${method}`);
    }
  });

  t.test('delete answers 204, or 200 {} when switched, and deletes the notes too', async (t) => {
    const sim = await start();
    t.teardown(() => sim.close());
    t.equal(sim.store.notesFor(SEED.incident10006).length, 2);
    const notesBefore = sim.store.counts().notes;
    const r = await call(sim, 'DELETE', `incidents('${SEED.incident10006}')`);
    t.equal(r.status, 204);
    t.equal(r.text, '');
    t.equal(sim.store.findIncidentByNumber(10006), undefined);
    t.equal(sim.store.notesFor(SEED.incident10006).length, 0);
    t.equal(sim.store.counts().notes, notesBefore - 2);
    t.same((await call(sim, 'GET', `incidents('${SEED.incident10006}')`)).json().message, [`Record '${SEED.incident10006}' cannot be found in the business object 'incident'`]);
    t.equal((await call(sim, 'GET', `journal__notess?$filter=ParentLink_RecID eq '${SEED.incident10006}'`)).text, '');

    sim.behaviour.deleteAnswer = 'empty-object';
    const second = await call(sim, 'DELETE', `incidents('${SEED.incident10002}')`);
    t.equal(second.status, 200);
    t.equal(second.text, '{}');
  });

  t.test('a closed incident cannot be deleted; a role without rights neither', async (t) => {
    const sim = await start();
    t.teardown(() => sim.close());
    const r = await call(sim, 'DELETE', `incidents('${SEED.incident10005Closed}')`);
    t.equal(r.status, 400);
    t.same(r.json(), error(['Incident 10005 is Closed: a closed record cannot be deleted.']));
    t.ok(sim.store.findIncidentByNumber(10005));
    t.equal(sim.store.notesFor(SEED.incident10005Closed).length, 1, 'notes kept');
    const ro = await call(sim, 'DELETE', `incidents('${SEED.incident10001}')`, { key: READONLY_KEY });
    t.same(ro.json(), error(['Role SelfService does not have rights to delete object Incident#.']));
  });

  t.test('sim.store.createIncident applies the same rules in-process', async (t) => {
    const sim = await start();
    t.teardown(() => sim.close());
    const rec = sim.store.createIncident(incidentPayload({ Owner: 'jdoe' }), { user: 'jdoe' });
    t.equal(rec.IncidentNumber, 10008);
    t.equal(rec.CreatedBy, 'jdoe');
    t.throws(() => sim.store.createIncident({ Subject: 'x' }), { name: 'IsmError' });
  });
});

t.test('journal notes', async (t) => {
  const REC_ID = /^[0-9A-F]{32}$/;

  t.test('POST journal__notess answers 201 with the whole note', async (t) => {
    const sim = await start();
    t.teardown(() => sim.close());
    const r = await call(sim, 'POST', 'journal__notess', {
      body: { ParentLink_RecID: SEED.incident10001, ParentLink_Category: 'Incident', Subject: 'Called the customer', NotesBody: 'No answer.', Category: 'Left Voice Mail', Source: 'Phone/Fax' },
    });
    t.equal(r.status, 201);
    const note = r.json();
    for (const { key, type } of REFERENCE_NOTE_FIELDS) {
      t.ok(key in note, `has ${key}`);
      if (note[key] !== null) t.type(note[key], type === 'integer' ? 'number' : type, key);
    }
    t.match(note, {
      '@odata.context': `${sim.origin}/HEAT/api/odata/$metadata#journal__notess/$entity`,
      JournalType: 'Notes',
      DisplayText: 'Called the customer No answer.',
      Subject: 'Called the customer',
      NotesBody: 'No answer.',
      Category: 'Left Voice Mail',
      Source: 'Phone/Fax',
      PublishToWeb: false,
      ParentLink_RecID: SEED.incident10001,
      ParentLink: SEED.incident10001,
      ParentLink_Category: 'Incident',
      CreatedBy: 'admin',
      LastModBy: 'admin',
      IsUnRead: true,
      ReadOnly: false,
    });
    t.match(note.RecId, REC_ID);
    t.match(note.Category_Valid, REC_ID);
    t.match(note.Source_Valid, REC_ID);
    t.match(note.CreatedDateTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
    t.equal(sim.store.notesFor(SEED.incident10001).length, 1);
  });

  t.test('a note defaults to Category Memo and PublishToWeb false', async (t) => {
    const sim = await start();
    t.teardown(() => sim.close());
    const note = (await call(sim, 'POST', 'journal__notess', { body: { ParentLink_RecID: SEED.incident10001, Subject: 'Only a subject' } })).json();
    t.match(note, { Category: 'Memo', PublishToWeb: false, DisplayText: 'Only a subject', NotesBody: null, Source: null, Source_Valid: null });
    const published = (await call(sim, 'POST', 'journal__notess', { body: { ParentLink_RecID: SEED.incident10001, Subject: 's', PublishToWeb: true } })).json();
    t.equal(published.PublishToWeb, true);
  });

  t.test('note validation: parent, lists, required fields', async (t) => {
    const sim = await start();
    t.teardown(() => sim.close());
    const cases: Array<[unknown, string]> = [
      [{ ParentLink_RecID: 'ABCDEF0123456789ABCDEF0123456789', Subject: 's' }, "Record 'ABCDEF0123456789ABCDEF0123456789' cannot be found in the business object 'incident'"],
      [{ Subject: 's' }, 'Journal#Notes((new)).NotEmpty: Required field Journal#Notes.ParentLink value must be provided.'],
      [{ ParentLink_RecID: SEED.incident10001 }, 'Journal#Notes((new)).NotEmpty: Required field Journal#Notes.Subject value must be provided.'],
      [{ ParentLink_RecID: SEED.incident10001, Subject: 's', Category: 'Gossip' }, "UndefinedValidatedValue: 'Gossip' is not in the validation list of validated field Journal#Notes.Category"],
      [{ ParentLink_RecID: SEED.incident10001, Subject: 's', Source: 'Carrier pigeon' }, "UndefinedValidatedValue: 'Carrier pigeon' is not in the validation list of validated field Journal#Notes.Source"],
      [{ ParentLink_RecID: SEED.incident10001, Subject: 's', Body: 'x' }, "The property 'Body' does not exist on type 'Journal#Notes'. Make sure to only use property names that are defined by the type."],
      [{ ParentLink_RecID: SEED.incident10001, ParentLink_Category: 'Change', Subject: 's' }, `Record '${SEED.incident10001}' cannot be found in the business object 'change'`],
      [{}, 'Message body cannot be empty'],
    ];
    for (const [body, message] of cases) {
      const r = await call(sim, 'POST', 'journal__notess', { body });
      t.equal(r.status, 400, message);
      t.same(r.json().message, [message]);
    }
    t.equal(sim.store.counts().notes, 5, 'nothing was written');
  });

  t.test('notes are listed by ParentLink_RecID', async (t) => {
    const sim = await start();
    t.teardown(() => sim.close());
    const r = await call(sim, 'GET', `journal__notess?$filter=${enc(`ParentLink_RecID eq '${SEED.incident10006}'`)}`);
    t.equal(r.status, 200);
    const body = r.json();
    t.equal(body['@odata.count'], 2);
    t.equal(body['@odata.context'], `${sim.origin}/HEAT/api/odata/$metadata#journal__notess`);
    t.same(body.value.map((n: { Subject: string }) => n.Subject).sort(), ['Containment', 'Update for the customer']);
    const none = await call(sim, 'GET', `journal__notess?$filter=${enc(`ParentLink_RecID eq '${SEED.incident10001}'`)}`);
    t.equal(none.status, 200);
    t.equal(none.text, '', 'no notes: empty body');
  });

  t.test('the IncidentContainsJournal navigation property', async (t) => {
    const sim = await start();
    t.teardown(() => sim.close());
    const r = await call(sim, 'GET', `incidents('${SEED.incident10006}')/IncidentContainsJournal`);
    t.equal(r.status, 200);
    t.equal(r.json()['@odata.count'], 2);
    const none = await call(sim, 'GET', `incidents('${SEED.incident10001}')/IncidentContainsJournal`);
    t.equal(none.status, 200);
    t.equal(none.text, '{"value":"No instances found."}');
    const missing = await call(sim, 'GET', "incidents('ABCDEF0123456789ABCDEF0123456789')/IncidentContainsJournal");
    t.equal(missing.status, 400);
    t.equal((await call(sim, 'GET', `incidents('${SEED.incident10001}')/SomethingElse`)).status, 404);
  });

  t.test('PATCH .../IncidentContainsJournal(N)/$Ref links a note and answers ISM_2000', async (t) => {
    const sim = await start();
    t.teardown(() => sim.close());
    const noteId = '6FE6714CDEC270F6B4C4DBF80CA36D9E';
    const r = await call(sim, 'PATCH', `incidents('${SEED.incident10001}')/IncidentContainsJournal('${noteId}')/$Ref`, { body: {} });
    t.equal(r.status, 200);
    t.same(r.json(), { code: 'ISM_2000', description: 'Ok', message: ['Successfully Created the link'], help: '' });
    t.equal(sim.store.findNoteByRecId(noteId)?.ParentLink_RecID, SEED.incident10001);
    t.equal(sim.store.notesFor(SEED.incident10001).length, 1);
    const bad = await call(sim, 'PATCH', `incidents('${SEED.incident10001}')/IncidentContainsJournal('nope')/$Ref`, { body: {} });
    t.same(bad.json().message, ["Record 'nope' cannot be found in the business object 'journal__notes'"]);
  });

  t.test('notes can be updated and deleted', async (t) => {
    const sim = await start();
    t.teardown(() => sim.close());
    const noteId = '6FE6714CDEC270F6B4C4DBF80CA36D9E';
    const updated = (await call(sim, 'PATCH', `journal__notess('${noteId}')`, { body: { NotesBody: 'New body' } })).json();
    t.equal(updated.DisplayText, 'Called the customer New body');
    t.equal((await call(sim, 'DELETE', `journal__notess('${noteId}')`)).status, 204);
    t.equal(sim.store.findNoteByRecId(noteId), undefined);
  });
});
