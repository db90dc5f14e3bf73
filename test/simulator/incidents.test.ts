import t from 'tap';
import { READONLY_KEY, SEED, call, incidentPayload, start } from './helpers.js';
import { REFERENCE_INCIDENT_FIELDS } from './fixtures.js';

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
