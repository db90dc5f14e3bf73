/**
 * Exact lookups of customers, assignees and incidents, seen from the simulator's journal:
 * `$filter` equality (never `$search`), quotes doubled inside one literal, exactly one match,
 * and errors that name the identifier, the input and what to do.
 */
import t from 'tap';
import { builtInSeed, type JournalEntry } from '../../src/simulator/index.js';
import { SEED, employee, filterOf, shape, startStack, stringLiterals, type Json, type StepAnswer } from './helpers.js';

const base = { summary: 'Lookup test', description: 'Created by the lookup tests', status: 'Logged', type: 'Failure' };

const employeeLookups = (entries: JournalEntry[]) => entries.filter((e) => e.set === 'employees');

t.test('lookups', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());

  const create = (customer: string, assignee?: string): Promise<StepAnswer> =>
    stack.run('create_incident', { ...base, customer, ...(assignee === undefined ? {} : { assignee }) });
  const posted = (r: StepAnswer): Json => r.entries.find((e) => e.method === 'POST')?.body as Json;

  t.test('every lookup uses $filter, never $search', async (t) => {
    const both = await create('user@example.com', 'jdoe');
    t.equal(both.status, 200, both.body.error ?? 'answered 200');
    const customerOnly = await create('user@example.com');
    t.equal(customerOnly.status, 200, customerOnly.body.error ?? 'answered 200');
    for (const e of [...employeeLookups(both.entries), ...employeeLookups(customerOnly.entries)]) {
      t.ok(e.query.$filter, 'a $filter');
      t.notOk('$search' in e.query, 'no $search');
    }
    const [combined] = employeeLookups(both.entries);
    t.equal(employeeLookups(both.entries).length, 1, 'customer and assignee in one request');
    t.equal(combined!.query.$filter, "PrimaryEmail eq 'user@example.com' or LoginID eq 'user@example.com' or LoginID eq 'jdoe' or DisplayName eq 'jdoe'");
    t.equal(combined!.query.$top, '3', 'one row each, and a third would show there are more');
    t.equal(employeeLookups(customerOnly.entries)[0]!.query.$top, '2', 'two rows tell one from several');
  });

  t.test('an email address matches PrimaryEmail (or LoginID) exactly', async (t) => {
    const r = await create('user@example.com');
    t.equal(r.status, 200, r.body.error ?? 'answered 200');
    const [lookup] = employeeLookups(r.entries);
    t.equal(filterOf(lookup), "(PrimaryEmail eq 'user@example.com' or LoginID eq 'user@example.com')");
    t.equal(posted(r).ProfileLink, SEED.exampleUser);
  });

  t.test('an email that is a prefix of another names only its owner', async (t) => {
    const co = await create('alex@example.co');
    t.equal(co.status, 200, co.body.error ?? 'answered 200');
    t.equal(posted(co).ProfileLink, SEED.alexKim, 'alex@example.co is Alex Kim');
    const com = await create('alex@example.com');
    t.equal(com.status, 200, com.body.error ?? 'answered 200');
    t.equal(posted(com).ProfileLink, SEED.alexMorgan, 'alex@example.com is Alex Morgan');
    const upper = await create('ALEX@EXAMPLE.CO');
    t.equal(posted(upper).ProfileLink, SEED.alexKim, 'ISM compares case-insensitively');
  });

  t.test('a login ID', async (t) => {
    const r = await create('user@example.com', 'jsmith');
    t.equal(r.status, 200, r.body.error ?? 'answered 200');
    const assignee = employeeLookups(r.entries).find((e) => e.query.$filter?.includes('jsmith'))!;
    t.equal(assignee.query.$filter, "PrimaryEmail eq 'user@example.com' or LoginID eq 'user@example.com' or LoginID eq 'jsmith' or DisplayName eq 'jsmith'");
    t.same(stringLiterals(assignee.filter?.ast), ['user@example.com', 'user@example.com', 'jsmith', 'jsmith'], 'ISM reads four literals');
    t.equal(posted(r).Owner, 'jsmith');
  });

  t.test('a display name: Owner is the login ID, never the display name', async (t) => {
    const r = await create('user@example.com', 'John Doe');
    t.equal(r.status, 200, r.body.error ?? 'answered 200');
    t.equal(posted(r).Owner, 'jdoe');
    t.equal(r.body.output.incident.Owner, 'jdoe');
  });

  t.test('apostrophes: doubled inside one literal', async (t) => {
    const byEmail = await create("siobhan.o'neill@example.com");
    t.equal(byEmail.status, 200, byEmail.body.error ?? 'answered 200');
    const [lookup] = employeeLookups(byEmail.entries);
    t.equal(lookup!.query.$filter, "PrimaryEmail eq 'siobhan.o''neill@example.com' or LoginID eq 'siobhan.o''neill@example.com'", 'the quote is written twice');
    t.same(stringLiterals(lookup!.filter?.ast), ["siobhan.o'neill@example.com", "siobhan.o'neill@example.com"], 'ISM reads the whole address in each literal');
    t.equal(posted(byEmail).ProfileLink, SEED.siobhan);

    const byName = await create('user@example.com', "Siobhan O'Neill");
    t.equal(byName.status, 200, byName.body.error ?? 'answered 200');
    const assignee = employeeLookups(byName.entries).find((e) => e.query.$filter?.includes('Neill'))!;
    t.equal(assignee.query.$filter, "PrimaryEmail eq 'user@example.com' or LoginID eq 'user@example.com' or LoginID eq 'Siobhan O''Neill' or DisplayName eq 'Siobhan O''Neill'");
    t.same(stringLiterals(assignee.filter?.ast), ['user@example.com', 'user@example.com', "Siobhan O'Neill", "Siobhan O'Neill"]);
    t.equal(posted(byName).Owner, 'soneill');

    const conor = await stack.run('update_incident', { incident_number: 10001, customer: "Conor O'Brien" });
    t.equal(conor.status, 200, conor.body.error ?? 'answered 200');
    t.equal(conor.body.output.incident.ProfileLink, SEED.conor);
  });

  t.test('an injection attempt is one literal and matches nobody', async (t) => {
    const attack = "x' or 'a' eq 'a";
    const r = await create('user@example.com', attack);
    t.equal(r.status, 400);
    const lookups = employeeLookups(r.entries).filter((e) => e.query.$filter?.includes(attack.replace(/'/g, "''")));
    t.equal(lookups.length, 2, 'looked up with the customer, then alone');
    for (const lookup of lookups) {
      t.notOk(lookup.filter?.error, 'the filter parses');
      t.same(stringLiterals(lookup.filter?.ast).filter((s) => s !== 'user@example.com'), [attack, attack], 'compared literally');
    }
    t.match(r.body.exception.cause, /No ISM employee has the login ID or display name 'x' or 'a' eq 'a'/);
    t.notOk(r.entries.some((e) => e.method === 'POST'), 'nothing created');
  });

  t.test('over-matching names: exact only', async (t) => {
    const smith = await create('user@example.com', 'John Smith');
    t.equal(smith.status, 200, smith.body.error ?? 'answered 200');
    t.equal(posted(smith).Owner, 'jsmith', 'not John Smithson');
    const smithson = await create('user@example.com', 'John Smithson');
    t.equal(posted(smithson).Owner, 'jsmithson');
    const scott = await create('user@example.com', 'Scott Johnson');
    t.equal(posted(scott).Owner, 'sjohnson');
    for (const partial of ['John', 'Smith', 'Johnson', 'john.smith']) {
      const r = await create('user@example.com', partial);
      t.equal(r.status, 400, `'${partial}' names nobody exactly`);
      t.match(r.body.exception.cause, new RegExp(`No ISM employee has the login ID or display name '${partial}' \\(the assignee input\\)`));
      t.notOk(r.entries.some((e) => e.method === 'POST'));
    }
  });

  t.test('none found: the error names the identifier and the input', async (t) => {
    const customer = await create('nobody@example.com');
    t.equal(customer.status, 400);
    t.equal(customer.body.status, 'error');
    t.match(customer.body.exception.cause, /No ISM employee has the email address or login ID 'nobody@example\.com' \(the customer input\)/);
    t.match(customer.body.exception.assistance, /exact email address/);
    t.same(shape(customer.entries), ['GET employees'], 'one lookup, no create');

    const assignee = await create('user@example.com', 'nobody@example.com');
    t.equal(assignee.status, 400);
    t.match(assignee.body.exception.cause, /'nobody@example\.com' \(the assignee input\)/);
    t.notOk(assignee.entries.some((e) => e.method === 'POST'));
  });

  t.test('several found: the error says so and what to do', async (t) => {
    const r = await create('user@example.com', 'Chris Taylor');
    t.equal(r.status, 400);
    t.match(r.body.exception.cause, /Several ISM employees have the login ID or display name 'Chris Taylor' \(the assignee input\)/);
    t.match(r.body.exception.assistance, /login ID or email address/);
    t.match(r.body.exception.data, /ctaylor\b/);
    t.match(r.body.exception.data, /ctaylor2/);
    t.notOk(r.entries.some((e) => e.method === 'POST'), 'nothing created');
    const byLogin = await create('user@example.com', 'ctaylor2');
    t.equal(posted(byLogin).Owner, 'ctaylor2', 'the login ID names one of them');
    const byEmail = await create('user@example.com', 'christopher.taylor@example.com');
    t.equal(posted(byEmail).Owner, 'ctaylor2');
  });

  t.test('incident not found names the number', async (t) => {
    for (const [action, input] of [
      ['update_incident', { incident_number: 424242, category: 'Email' }],
      ['delete_incident', { incident_number: 424242 }],
      ['add_note', { incident_number: 424242, summary: 'x' }],
    ] as const) {
      const r = await stack.run(action, input);
      t.equal(r.status, 400, action);
      t.match(r.body.exception.cause, /No incident has the number 424242/);
      t.same(shape(r.entries), ['GET incidents'], `${action}: one lookup, no write`);
      t.equal(filterOf(r.entries[0]), 'IncidentNumber eq 424242');
    }
  });

  t.test('no repeated lookups within one action', async (t) => {
    const create = await stack.run('create_incident', { ...base, customer: 'user@example.com', assignee: 'jdoe' });
    t.equal(create.entries.length, 2, 'customer and assignee, create');
    const update = await stack.run('update_incident', {
      incident_number: 10003,
      customer: 'user@example.com',
      assignee: 'ppatel',
      category: 'Email',
    });
    t.equal(update.status, 200, update.body.error ?? 'answered 200');
    t.equal(update.entries.length, 3, 'incident, customer and assignee, patch');
    t.same(shape(update.entries.filter((e) => e.method === 'GET')).sort(), ['GET employees', 'GET incidents']);
    const note = await stack.run('add_note', { incident_number: 10003, summary: 'x' });
    t.equal(note.entries.length, 2, 'incident, note');
    const del = await stack.run('delete_incident', { incident_number: 10003 });
    t.equal(del.entries.length, 2, 'incident, delete');
    // A second run of the same step looks up again (no stale cache across steps).
    const again = await stack.run('add_note', { incident_number: 10002, summary: 'y' });
    t.same(shape(again.entries), ['GET incidents', 'POST journal__notess']);
  });
});

t.test('a login ID wins over display names it shares, even past the first rows', async (t) => {
  // Three people answer "mlee": two by display name, one by login ID. Whatever order ISM
  // returns them in, the login ID names one person.
  const seed = builtInSeed();
  const person = (recId: string, login: string, display: string, email: string) => employee(seed, recId, login, display, email);
  // The login's owner is added first, so with ISM's newest-first order it is not among the first two rows.
  seed.employees.push(
    person('A1000000000000000000000000000003', 'mlee', 'Morgan Lee', 'morgan.lee@example.com'),
    person('A1000000000000000000000000000001', 'mlee.one', 'mlee', 'first.mlee@example.com'),
    person('A1000000000000000000000000000002', 'mlee.two', 'mlee', 'second.mlee@example.com'),
  );
  const stack = await startStack({ sim: { seed } });
  t.teardown(() => stack.close());
  const r = await stack.run('create_incident', { ...base, customer: 'user@example.com', assignee: 'mlee' });
  t.equal(r.status, 200, r.body.error ?? 'answered 200');
  const post = r.entries.find((e) => e.method === 'POST');
  t.equal((post?.body as Json | undefined)?.Owner, 'mlee', 'the login ID was chosen');
  t.same(
    employeeLookups(r.entries).filter((e) => e.query.$filter?.includes('mlee')).map((e) => e.query.$filter),
    [
      "PrimaryEmail eq 'user@example.com' or LoginID eq 'user@example.com' or LoginID eq 'mlee' or DisplayName eq 'mlee'",
      "LoginID eq 'mlee' or DisplayName eq 'mlee'",
      "LoginID eq 'mlee'",
    ],
    'a full page settles nothing: the assignee alone, then, two display-name rows without the login, the login alone',
  );
  // A display name shared by two people, with no login ID equal to it, stays ambiguous.
  seed.employees.splice(-3, 1);
  const stack2 = await startStack({ sim: { seed } });
  t.teardown(() => stack2.close());
  const ambiguous = await stack2.run('create_incident', { ...base, customer: 'user@example.com', assignee: 'mlee' });
  t.equal(ambiguous.status, 400);
  t.match(ambiguous.body.exception.cause, /Several ISM employees/);
});
