// Business objects beyond incidents: problems, changes, assignment tasks, computers, a custom
// object and the base types, each with ISM's answers for mandatory fields, validation lists,
// unknown records and collections, the no-rows encodings, and its schema at `$metadata`.
import t from 'tap';
import { READONLY_KEY, SEED, call, enc, start } from './helpers.js';

const PROBLEM_5001 = 'DB6C5EF674754DF7047054037533958A';
const CHANGE_7001 = '93FE593C9CA650D690C5D2AD8B300D30';
const LAPTOP_USER = '9EFDD86E4BBC00B07B639F52737B8BBF';
const TASK_30001 = '63211AC0B584B7037329BFA67CD8F57B';
const UNKNOWN = 'ABCDEF0123456789ABCDEF0123456789';

t.test('every object is seeded and answers as a collection, by record and by filter', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const counts: Record<string, number> = { problems: 3, changes: 2, task__assignments: 3, tasks: 3, ci__computers: 6, cis: 6, frs_indicators: 3 };
  for (const [set, count] of Object.entries(counts)) {
    const r = await call(sim, 'GET', set);
    t.equal(r.status, 200, set);
    t.equal(r.json()['@odata.count'], count, `${set}: ${count} records`);
    t.equal(r.json()['@odata.context'], `${sim.origin}/HEAT/api/odata/$metadata#${set}`);
  }
  const problem = (await call(sim, 'GET', `problems('${PROBLEM_5001}')`)).json();
  t.match(problem, { ProblemNumber: 5001, Status: 'Investigation', Owner: 'srivera', Priority: '3', RecId: PROBLEM_5001 });
  t.match(problem.Status_Valid, /^[0-9A-F]{32}$/);
  t.equal(problem.Owner_Valid, '50E1226BAB1DF2E785E77E06B431F1B1', "the owner's RecId");
  const byName = (await call(sim, 'GET', `CI__Computers?$filter=${enc("Name eq 'lt-sf-0042'")}`)).json();
  t.same(byName.value.map((r: { RecId: string }) => r.RecId), [LAPTOP_USER], 'CI__Computers, any case; eq ignores case');
  const custom = (await call(sim, 'GET', `frs_Indicators?$filter=${enc("IndicatorType eq 'Domain'")}&$select=IndicatorValue`)).json();
  t.same(custom.value, [{ IndicatorValue: 'login-microsoftonline.example.net' }]);
  const search = (await call(sim, 'GET', 'changes?$search=certificate')).json();
  t.same(search.value.map((r: { ChangeNumber: number }) => r.ChangeNumber), [7001]);
});

t.test('create numbers the record, fills the derived fields and answers 201 with it', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const r = await call(sim, 'POST', 'problems', { body: { Subject: 'Printers drop off the network', Description: 'Every Monday.', Category: 'network', Impact: 'High', Urgency: 'medium', Owner: 'JSMITH' } });
  t.equal(r.status, 201);
  const created = r.json();
  t.match(created, { ProblemNumber: 5004, Category: 'Network', Urgency: 'Medium', Priority: '2', Status: 'Logged', Owner: 'jsmith', OwnerTeam: 'Network Operations', CreatedBy: 'admin' });
  t.match(created.RecId, /^[0-9A-F]{32}$/);
  t.equal(created['@odata.context'], `${sim.origin}/HEAT/api/odata/$metadata#problems/$entity`);
  t.same(sim.store.findRecord('problems', created.RecId)?.Subject, 'Printers drop off the network');
  const indicator = await call(sim, 'POST', 'frs_indicators', { body: { IndicatorValue: 'evil.example', IndicatorType: 'Domain', Hits: '4', IsBlocked: 'true' } });
  t.equal(indicator.status, 201);
  t.match(indicator.json(), { Hits: 4, IsBlocked: true, Confidence: 'Medium', Status: 'Active' }, 'values coerced to the field types; defaults');
});

t.test("ISM's 400s: mandatory fields, validation lists, unknown fields, prompts, empty bodies", async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const cases: Array<[string, string, unknown, string[]]> = [
    ['POST', 'problems', { Subject: 's' }, ['Problem((new)).NotEmpty: Required field Problem.Description value must be provided.', 'Problem((new)).NotEmpty: Required field Problem.Category value must be provided.']],
    ['POST', 'changes', { Subject: 's', Description: 'd', TypeOfChange: 'Sideways' }, ["UndefinedValidatedValue: 'Sideways' is not in the validation list of validated field Change.TypeOfChange"]],
    ['POST', 'changes', { Subject: 's', Description: 'd', TypeOfChange: 'Normal', Status: 'Scheduled' }, ["DataLayer.PromptException: Change (new): Status 'Scheduled' requires values for the fields: ScheduledStartDateTime, ScheduledEndDateTime"]],
    ['POST', 'ci__computers', { Name: 'x', Colour: 'red' }, ["The property 'Colour' does not exist on type 'CI#Computer'. Make sure to only use property names that are defined by the type."]],
    ['POST', 'ci__computers', { Name: 'x', Owner: 'nobody' }, ["UndefinedValidatedValue: 'nobody' is not in the validation list of validated field CI#Computer.Owner"]],
    ['POST', 'frs_indicators', {}, ['Message body cannot be empty']],
    ['POST', 'task__assignments', { Subject: 'orphan' }, ['Task#Assignment((new)).NotEmpty: Required field Task#Assignment.ParentLink value must be provided.']],
    ['POST', 'task__assignments', { Subject: 's', ParentLink_RecID: UNKNOWN, ParentLink_Category: 'Problem' }, [`Record '${UNKNOWN}' cannot be found in the business object 'problem'`]],
    ['PATCH', `problems('${PROBLEM_5001}')`, { Status: 'Resolved' }, [`DataLayer.PromptException: Problem(5001): Status 'Resolved' requires values for the fields: Resolution`]],
    ['PATCH', `problems('${PROBLEM_5001}')`, { Subject: '  ' }, ['Problem(5001).NotEmpty: Required field Problem.Summary value must be provided.']],
    ['POST', 'tasks', { Subject: 's', ParentLink_RecID: SEED.incident10001 }, ['Cannot create a record of the base type Task#: create a record of one of its subtypes, such as Task#Assignment.']],
  ];
  for (const [method, path, body, message] of cases) {
    const r = await call(sim, method, path, { body });
    t.equal(r.status, 400, `${method} ${path} ${JSON.stringify(body)}`);
    t.same(r.json(), { code: 'ISM_4000', description: 'Invalid Request Payload', message, help: '' });
  }
  t.equal(sim.store.records('problems')?.length, 3, 'nothing was written');
  t.equal(sim.store.records('task__assignments')?.length, 3);
});

t.test('unknown records answer 400, unknown collections 404, read-only keys the role message', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  for (const [set, object] of [['problems', 'problem'], ['ci__computers', 'ci__computer'], ['cis', 'ci'], ['frs_indicators', 'frs_indicator'], ['tasks', 'task']]) {
    for (const method of ['GET', 'PATCH', 'DELETE']) {
      const r = await call(sim, method, `${set}('${UNKNOWN}')`, method === 'PATCH' ? { body: { Description: 'x' } } : {});
      t.equal(r.status, 400, `${method} ${set}`);
      t.same(r.json().message, [`Record '${UNKNOWN}' cannot be found in the business object '${object}'`]);
    }
  }
  for (const set of ['problem', 'frs_indicator', 'ci__computer', 'CI#Computers', 'computers', 'frs_unknowns']) {
    const r = await call(sim, 'GET', set);
    t.equal(r.status, 404, set);
    t.equal(r.json().code, 'ISM_4004');
  }
  const denied = await call(sim, 'POST', 'changes', { key: READONLY_KEY, body: { Subject: 's', Description: 'd', TypeOfChange: 'Normal' } });
  t.same(denied.json().message, ['Role SelfService does not have rights to create object Change#.']);
});

t.test('no rows: an empty body for a filter, an empty array for an empty collection', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const none = await call(sim, 'GET', `problems?$filter=${enc("Status eq 'Closed'")}`);
  t.equal(none.status, 200);
  t.equal(none.text, '');
  t.equal((await call(sim, 'GET', 'frs_indicators?$skip=50')).text, '');
  for (const r of sim.store.records('frs_indicators') ?? []) await call(sim, 'DELETE', `frs_indicators('${r.RecId}')`);
  t.equal((await call(sim, 'GET', 'frs_indicators')).text, '{"@odata.count":0,"value":[]}');
});

t.test('updates and deletes; a base type reads and writes its subtype', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const patched = await call(sim, 'PATCH', `cis('${LAPTOP_USER}')`, { body: { Status: 'quarantined' } });
  t.equal(patched.status, 200);
  t.equal(patched.json().Status, 'Quarantined');
  t.equal(sim.store.findRecord('ci__computers', LAPTOP_USER)?.Status, 'Quarantined');
  sim.behaviour.updateAnswer = 'no-content';
  t.equal((await call(sim, 'PATCH', `changes('${CHANGE_7001}')`, { body: { Risk: 'High' } })).status, 204);
  t.equal(sim.store.findRecord('changes', CHANGE_7001)?.Risk, 'High');
  t.equal((await call(sim, 'DELETE', `tasks('${TASK_30001}')`)).status, 204);
  t.equal(sim.store.findRecord('task__assignments', TASK_30001), undefined);
});

t.test('a task belongs to an incident, a problem or a change', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const r = await call(sim, 'POST', 'task__assignments', { body: { Subject: 'Reimage the laptop', ParentLink: SEED.incident10001, Owner: 'lwilson' } });
  t.equal(r.status, 201);
  t.match(r.json(), { AssignmentID: 30004, ParentLink_RecID: SEED.incident10001, ParentLink_Category: 'Incident', OwnerTeam: 'Desktop Support', Priority: '3' });
  const onChange = await call(sim, 'POST', 'task__assignments', { body: { Subject: 'Schedule the outage', ParentLink_RecID: CHANGE_7001, ParentLink_Category: 'Change#' } });
  t.equal(onChange.json().ParentLink_Category, 'Change');
});

t.test('a note may belong to a problem', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const r = await call(sim, 'POST', 'journal__notess', { body: { ParentLink_RecID: PROBLEM_5001, ParentLink_Category: 'Problem', Subject: 'Root cause found' } });
  t.equal(r.status, 201);
  t.equal(r.json().ParentLink_Category, 'Problem');
  t.same((await call(sim, 'GET', `problems('${PROBLEM_5001}')/ProblemContainsJournal`)).json().value.map((n: { Subject: string }) => n.Subject), ['Root cause found']);
});

t.test('$metadata: CSDL XML with the fields, the relationships and the quick actions', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const r = await call(sim, 'GET', `${sim.url}/api/odata/Incidents/$metadata`, { headers: { Accept: 'application/json' } });
  t.equal(r.status, 200);
  t.match(r.headers.get('content-type'), /^application\/xml/);
  t.match(r.text, /^<\?xml version="1.0" encoding="utf-8"\?>/);
  t.match(r.text, '<EntityType Name="Incident">');
  t.match(r.text, '<Property Name="IncidentNumber" Type="Edm.Int32"/>');
  t.match(r.text, '<Property Name="CreatedDateTime" Type="Edm.DateTimeOffset"/>');
  t.match(r.text, '<NavigationProperty Name="IncidentAssociatesCI" Type="Collection(HEAT.Services.OData.CI)"/>');
  t.match(r.text, '<EntitySet Name="incidents" EntityType="HEAT.Services.OData.Incident"/>');
  const ci = await call(sim, 'GET', `${sim.url}/api/odata/ci__computers/$metadata`);
  t.match(ci.text, '<EntityType Name="CI__Computer">');
  t.match(ci.text, '<NavigationProperty Name="CIAssociatesIncident"');
  t.equal((await call(sim, 'GET', `${sim.url}/api/odata/frs_unknowns/$metadata`)).status, 404);
  t.equal((await call(sim, 'GET', `${sim.url}/api/odata/problems/$metadata`, { key: null })).status, 401);
  t.equal((await call(sim, 'POST', `${sim.url}/api/odata/problems/$metadata`)).status, 405);
});

t.test('the admin routes list any collection and find one record', async (t) => {
  const sim = await start({ admin: true });
  t.teardown(() => sim.close());
  const admin = (path: string) => call(sim, 'GET', path, { key: null });
  t.equal((await admin('/__sim/store/records/CIs')).json().length, 6);
  t.match((await admin(`/__sim/store/records/problems/${PROBLEM_5001}`)).json(), { ProblemNumber: 5001 });
  t.equal((await admin(`/__sim/store/records/problems/${UNKNOWN}`)).status, 404);
  t.equal((await admin('/__sim/store/records/releases')).status, 404);
});
