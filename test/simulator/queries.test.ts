import t from 'tap';
import { builtInSeed } from '../../src/simulator/index.js';
import { SEED, call, enc, start } from './helpers.js';

type Employee = { RecId: string; LoginID: string; DisplayName: string; PrimaryEmail: string; LastName: string; FirstName: string };

const sim = await start();
t.teardown(() => sim.close());

async function employees(query: string) {
  return call(sim, 'GET', `employees?${query}`);
}
async function filterEmployees(filter: string, extra = ''): Promise<Employee[]> {
  const r = await employees(`$filter=${enc(filter)}${extra}`);
  if (r.text === '') return [];
  t.equal(r.status, 200, filter);
  return r.json().value as Employee[];
}

t.test('employee lookups by PrimaryEmail, LoginID, DisplayName, RecId and other fields', async (t) => {
  t.same((await filterEmployees("PrimaryEmail eq 'user@example.com'", '&$top=2')).map((e) => e.LoginID), ['user']);
  t.same((await filterEmployees("PrimaryEmail eq 'USER@Example.COM'")).map((e) => e.LoginID), ['user'], 'case-insensitive');
  t.same((await filterEmployees("PrimaryEmail eq 'alex@example.co'")).map((e) => e.LoginID), ['akim'], 'no prefix match');
  t.same((await filterEmployees("PrimaryEmail eq 'alex@example.com'")).map((e) => e.LoginID), ['alex']);
  t.same((await filterEmployees("PrimaryEmail eq 'siobhan.o''neill@example.com'")).map((e) => e.DisplayName), ["Siobhan O'Neill"]);
  t.same((await filterEmployees("LastName eq 'O''Brien'")).map((e) => e.LoginID), ['cobrien']);
  t.same((await filterEmployees("LoginID eq 'jdoe'")).map((e) => e.DisplayName), ['John Doe']);
  t.same((await filterEmployees(`RecId eq '${SEED.johnDoe}'`)).map((e) => e.LoginID), ['jdoe']);
  t.same((await filterEmployees("DisplayName eq 'Chris Taylor'")).map((e) => e.LoginID).sort(), ['ctaylor', 'ctaylor2'], 'two people, one name');
  t.same((await filterEmployees("Department eq 'Finance'")).map((e) => e.LoginID).sort(), ['ctaylor', 'jsmithson', 'soneill']);
  t.same((await filterEmployees("LoginID eq 'jdoe' or LoginID eq 'ppatel'")).map((e) => e.LoginID).sort(), ['jdoe', 'ppatel']);
  t.same((await filterEmployees("LoginID eq 'jdoe' and Status eq 'Active'")).map((e) => e.LoginID), ['jdoe']);
  t.same(await filterEmployees("LoginID eq 'jdoe' and Status eq 'Inactive'"), []);
  t.same((await filterEmployees("Team eq 'Security Operations' and (LoginID eq 'dwhitfield' or LoginID eq 'jdoe')")).map((e) => e.LoginID), ['dwhitfield']);
});

t.test('$select returns only the asked fields, in order', async (t) => {
  const r = await employees(`$filter=${enc("LoginID eq 'jdoe'")}&$select=RecId,LoginID,DisplayName,PrimaryEmail,Status`);
  const body = r.json();
  t.same(body.value, [{ RecId: SEED.johnDoe, LoginID: 'jdoe', DisplayName: 'John Doe', PrimaryEmail: 'john.doe@example.com', Status: 'Active' }]);
  t.equal(body['@odata.context'], `${sim.origin}/HEAT/api/odata/$metadata#employees(RecId,LoginID,DisplayName,PrimaryEmail,Status)`);
  const bad = await employees('$select=RecId,Nope');
  t.equal(bad.status, 400);
  const empty = await employees('$select=');
  t.equal(empty.status, 500);
  t.equal(empty.json().code, 'ISM_5000');
});

t.test('an injection attempt fails to parse; escaped it matches literally (nothing)', async (t) => {
  const attack = "x' or 'a' eq 'a";
  const r = await employees(`$filter=${enc(`PrimaryEmail eq '${attack}'`)}`);
  t.equal(r.status, 400);
  t.match(r.json(), { code: 'ISM_4000', description: 'Invalid Request Payload' });
  t.match(r.json().message[0], /^The \$filter expression is invalid: /);
  const escaped = await employees(`$filter=${enc(`PrimaryEmail eq '${attack.replace(/'/g, "''")}'`)}`);
  t.equal(escaped.status, 200);
  t.equal(escaped.text, '');
});

t.test('filters that do not parse, or name unknown fields, answer 400', async (t) => {
  for (const filter of ["PrimaryEmail eq 'unterminated", "LoginID eq 'a' LoginID", "LoginID like 'a'", "Nope eq 'x'", "LoginID eq 'a' and", '']) {
    const r = await employees(`$filter=${enc(filter)}`);
    t.equal(r.status, 400, filter);
    t.match(r.json().message[0], /filter expression is invalid/, filter);
  }
  t.match((await employees(`$filter=${enc("Nope eq 'x'")}`)).json().message[0], /Could not find a property named 'Nope' on type 'Employee'/);
});

t.test('incidents by number, by date, by boolean and null', async (t) => {
  const one = await call(sim, 'GET', `incidents?$filter=${enc('IncidentNumber eq 10006')}`);
  t.equal(one.json()['@odata.count'], 1);
  t.equal(one.json().value[0].RecId, SEED.incident10006);
  t.equal((await call(sim, 'GET', `incidents?$filter=${enc("IncidentNumber eq '10006'")}`)).json()['@odata.count'], 1);
  const none = await call(sim, 'GET', `incidents?$filter=${enc('IncidentNumber eq 10023')}`);
  t.equal(none.status, 200);
  t.equal(none.text, '', 'a filter matching nothing: empty body');
  const recent = await call(sim, 'GET', `incidents?$filter=${enc('CreatedDateTime gt 2026-11-10T00:00:00Z')}&$orderby=IncidentNumber&$select=IncidentNumber`);
  t.same(recent.json().value, [{ IncidentNumber: 10006 }, { IncidentNumber: 10007 }]);
  const vip = await call(sim, 'GET', `incidents?$filter=${enc('IsVIP eq true')}&$select=IncidentNumber`);
  t.same(vip.json().value, [{ IncidentNumber: 10006 }]);
  const unowned = await call(sim, 'GET', `incidents?$filter=${enc("Owner eq '$NULL'")}&$select=IncidentNumber`);
  t.same(unowned.json().value, [{ IncidentNumber: 10001 }]);
  const open = await call(sim, 'GET', `incidents?$filter=${enc("Status ne 'Closed' and Status ne 'Resolved' and Priority le 3")}&$orderby=IncidentNumber&$select=IncidentNumber,Priority`);
  t.same(open.json().value, [{ IncidentNumber: 10001, Priority: '3' }, { IncidentNumber: 10002, Priority: '3' }, { IncidentNumber: 10006, Priority: '1' }, { IncidentNumber: 10007, Priority: '2' }]);
});

t.test('$top defaults to 25 and is capped at 100; $skip pages; @odata.count is the total', async (t) => {
  const all = await employees('');
  t.equal(all.json()['@odata.count'], 26);
  t.equal(all.json().value.length, 25);
  t.equal((await employees('$top=100')).json().value.length, 26);
  t.equal((await employees('$top=3')).json().value.length, 3);
  t.equal((await employees('$top=3')).json()['@odata.count'], 26);
  const page = await employees('$skip=20&$top=10');
  t.equal(page.json().value.length, 6);
  t.equal(page.json()['@odata.count'], 26);
  for (const bad of ['101', 'abc', '-1', '2.5', '']) {
    const r = await employees(`$top=${bad}`);
    t.equal(r.status, 400, `$top=${bad}`);
    t.equal(r.json().code, 'ISM_4000');
  }
  t.equal((await employees('$skip=x')).status, 400);
  t.equal((await employees('$count=true&$top=1')).json()['@odata.count'], 26);
  const zero = await employees('$top=0');
  t.same(zero.json().value, []);
  t.equal(zero.json()['@odata.count'], 26);
});

t.test('paging with $skip visits every row once', async (t) => {
  const seen: string[] = [];
  for (let skip = 0; ; skip += 7) {
    const r = await employees(`$top=7&$skip=${skip}&$orderby=LoginID`);
    if (r.text === '') break;
    const rows = r.json().value as Employee[];
    seen.push(...rows.map((e) => e.LoginID));
    if (rows.length < 7) break;
  }
  t.equal(seen.length, 26);
  t.equal(new Set(seen).size, 26);
});

t.test('$orderby: one field, desc, several fields; unknown field 204; empty 500', async (t) => {
  const asc = (await employees('$orderby=LastName&$top=3&$select=LastName')).json().value;
  t.same(asc, [{ LastName: 'Administrator' }, { LastName: 'Álvarez' }, { LastName: 'Brown' }]);
  const desc = (await employees('$orderby=LastName desc&$top=2&$select=LastName')).json().value;
  t.same(desc, [{ LastName: 'Wilson' }, { LastName: 'Whitfield' }]);
  const multi = (await employees(`$filter=${enc("FirstName eq 'John' or FirstName eq 'Chris'")}&$orderby=FirstName desc,LastName asc&$select=DisplayName,PrimaryEmail`)).json().value;
  t.same(multi.map((e: Employee) => e.DisplayName), ['John Doe', 'John Smith', 'John Smithson', 'Chris Taylor', 'Chris Taylor']);
  const numbers = (await call(sim, 'GET', '$orderby=IncidentNumber desc&$top=2&$select=IncidentNumber'.replace(/^/, 'incidents?'))).json().value;
  t.same(numbers, [{ IncidentNumber: 10007 }, { IncidentNumber: 10006 }]);
  const unknown = await employees('$orderby=Nope');
  t.equal(unknown.status, 204);
  t.equal(unknown.text, '');
  const empty = await employees('$orderby=');
  t.equal(empty.status, 500);
  t.same(empty.json().code, 'ISM_5000');
  t.equal((await employees('$orderby=LastName sideways')).status, 400);
});

t.test('$search over-matches on word prefixes, case-insensitively', async (t) => {
  const john = (await employees('$search=John&$select=DisplayName&$orderby=DisplayName')).json();
  t.same(john.value.map((e: Employee) => e.DisplayName), ['John Doe', 'John Smith', 'John Smithson', 'Scott Johnson']);
  t.equal(john['@odata.count'], 4);
  t.same((await employees('$search=SMITH&$select=LoginID&$orderby=LoginID')).json().value.map((e: Employee) => e.LoginID), ['jsmith', 'jsmithson']);
  t.same((await employees('$search=doe%20okafor&$select=LoginID&$orderby=LoginID')).json().value.map((e: Employee) => e.LoginID), ['jdoe', 'kokafor'], 'any word');
  t.equal((await employees('$search=zzzz')).text, '', 'nothing found: empty body');
  const inc = (await call(sim, 'GET', '$search=printer&$select=IncidentNumber'.replace(/^/, 'incidents?'))).json();
  t.same(inc.value, [{ IncidentNumber: 10004 }]);
  t.same((await call(sim, 'GET', 'incidents?$search=10006&$select=IncidentNumber')).json().value, [{ IncidentNumber: 10006 }]);
  t.same((await call(sim, 'GET', `incidents?$search=suspicious&$filter=${enc("Status eq 'Active'")}&$select=IncidentNumber`)).json().value, [{ IncidentNumber: 10006 }]);
});

t.test('default order: most recently created or modified first', async (t) => {
  const local = await start();
  t.teardown(() => local.close());
  const first = (await call(local, 'GET', 'incidents?$select=IncidentNumber&$top=2')).json().value;
  t.same(first, [{ IncidentNumber: 10007 }, { IncidentNumber: 10006 }]);
  await call(local, 'PATCH', `incidents('${SEED.incident10001}')`, { body: { Subject: 'touched' } });
  const after = (await call(local, 'GET', 'incidents?$select=IncidentNumber&$top=2')).json().value;
  t.same(after, [{ IncidentNumber: 10001 }, { IncidentNumber: 10007 }]);
});

t.test('no-rows encodings, as ISM and forced by the switch', async (t) => {
  const seed = builtInSeed();
  seed.incidents = [];
  seed.notes = [];
  const empty = await start({ seed });
  t.teardown(() => empty.close());
  const local = await start();
  t.teardown(() => local.close());
  const filtered = `incidents?$filter=${enc('IncidentNumber eq 99999')}`;
  const pastEnd = 'incidents?$skip=500';
  const navigation = `incidents('${SEED.incident10001}')/IncidentContainsJournal`;

  t.equal((await call(local, 'GET', filtered)).text, '');
  t.equal((await call(local, 'GET', pastEnd)).text, '');
  t.equal((await call(empty, 'GET', 'incidents')).text, '{"@odata.count":0,"value":[]}');
  t.equal((await call(local, 'GET', navigation)).text, '{"value":"No instances found."}');

  const expected: Record<string, [string, string, string, string]> = {
    'empty-body': ['', '', '', ''],
    'empty-array': ['{"@odata.count":0,"value":[]}', '{"@odata.count":7,"value":[]}', '{"@odata.count":0,"value":[]}', '{"@odata.count":0,"value":[]}'],
    'string-value': Array(4).fill('{"value":"No instances found."}') as [string, string, string, string],
  };
  for (const [mode, [f, p, u, n]] of Object.entries(expected)) {
    local.behaviour.noRows = mode as 'empty-body';
    empty.behaviour.noRows = mode as 'empty-body';
    const answers = [await call(local, 'GET', filtered), await call(local, 'GET', pastEnd), await call(empty, 'GET', 'incidents'), await call(local, 'GET', navigation)];
    t.same(answers.map((a) => a.status), [200, 200, 200, 200], mode);
    t.same(answers.map((a) => a.text), [f, p, u, n], mode);
  }
});
