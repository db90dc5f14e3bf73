/**
 * Identifiers that look like email addresses: a UPN-style login ID (`mchen@corp.local`) that
 * differs from the employee's PrimaryEmail is found by its LoginID. The ambiguity rules are the
 * ones every lookup follows: several employees answering one identifier is an error.
 */
import { readFileSync } from 'node:fs';
import t from 'tap';
import { builtInSeed, type JournalEntry } from '../../src/simulator/index.js';
import { SEED, employee, startStack, type Json, type StepAnswer } from './helpers.js';

const base = { summary: 'UPN test', description: 'Created by the UPN lookup tests', status: 'Logged', type: 'Failure' };
const MEI = 'B2000000000000000000000000000001';
const SAM = 'B2000000000000000000000000000002';
const CLASH_EMAIL = 'B2000000000000000000000000000003';
const CLASH_LOGIN = 'B2000000000000000000000000000004';

function seedWithUpns() {
  const seed = builtInSeed();
  const person = (recId: string, login: string, display: string, email: string) => employee(seed, recId, login, display, email);
  seed.employees.push(
    person(MEI, 'mchen@corp.local', 'Mei Chen', 'mei.chen@example.com'),
    person(SAM, 'sam.ortiz@example.com', 'Sam Ortiz', 'sam.ortiz@example.com'),
    person(CLASH_EMAIL, 'pat.one', 'Pat One', 'pat@corp.local'),
    person(CLASH_LOGIN, 'pat@corp.local', 'Pat Two', 'pat.two@example.com'),
  );
  return seed;
}

const employeeLookups = (entries: JournalEntry[]) => entries.filter((e) => e.set === 'employees');
const posted = (r: StepAnswer): Json => r.entries.find((e) => e.method === 'POST')?.body as Json;

t.test('UPN-style login IDs', async (t) => {
  const stack = await startStack({ sim: { seed: seedWithUpns() } });
  t.teardown(() => stack.close());

  t.test('a customer given by a UPN login ID is found by LoginID', async (t) => {
    const r = await stack.run('create_incident', { ...base, customer: 'mchen@corp.local' });
    t.equal(r.status, 200, r.body.error ?? 'created');
    t.equal(posted(r).ProfileLink, MEI);
    t.same(employeeLookups(r.entries).map((e) => e.query.$filter), ["PrimaryEmail eq 'mchen@corp.local' or LoginID eq 'mchen@corp.local'"]);
  });

  t.test('an assignee given by a UPN login ID, with a customer by email, in one request', async (t) => {
    const r = await stack.run('create_incident', { ...base, customer: 'user@example.com', assignee: 'MChen@Corp.Local' });
    t.equal(r.status, 200, r.body.error ?? 'created');
    t.equal(posted(r).Owner, 'mchen@corp.local', 'ISM gets the login ID as stored');
    t.equal(posted(r).ProfileLink, SEED.exampleUser);
    t.same(employeeLookups(r.entries).map((e) => e.query.$filter), [
      "PrimaryEmail eq 'user@example.com' or LoginID eq 'user@example.com' or PrimaryEmail eq 'MChen@Corp.Local' or LoginID eq 'MChen@Corp.Local'",
    ]);
  });

  t.test('an email address still finds its owner, also when it is the login ID as well', async (t) => {
    const byEmail = await stack.run('create_incident', { ...base, customer: 'mei.chen@example.com', assignee: 'sam.ortiz@example.com' });
    t.equal(byEmail.status, 200, byEmail.body.error ?? 'created');
    t.equal(posted(byEmail).ProfileLink, MEI);
    t.equal(posted(byEmail).Owner, 'sam.ortiz@example.com', 'one employee whose email and login are the same is one match');
  });

  t.test('update and search take UPN login IDs too', async (t) => {
    const update = await stack.run('update_incident', { incident_number: 10002, customer: 'mchen@corp.local', assignee: 'mchen@corp.local' });
    t.equal(update.status, 200, update.body.error ?? 'updated');
    const patch = update.entries.find((e) => e.method === 'PATCH')?.body as Json;
    t.same(patch, { Owner: 'mchen@corp.local', ProfileLink: MEI });
    const search = await stack.run('search_incidents', { customer: 'mchen@corp.local', max_results: 10 });
    t.equal(search.status, 200, search.body.error ?? 'searched');
    t.ok((search.body.output.count as number) >= 1, 'the updated incident is found by its customer');
  });

  t.test("one employee's email that is another's login ID is ambiguous", async (t) => {
    for (const role of ['customer', 'assignee'] as const) {
      const input = role === 'customer' ? { ...base, customer: 'pat@corp.local' } : { ...base, customer: 'user@example.com', assignee: 'pat@corp.local' };
      const r = await stack.run('create_incident', input);
      t.equal(r.status, 400, role);
      t.match(r.body.exception.cause, new RegExp(`Several ISM employees have the email address or login ID 'pat@corp\\.local' \\(the ${role} input\\)`));
      t.match(r.body.exception.data, /Pat One/);
      t.match(r.body.exception.data, /Pat Two/);
      t.notOk(r.entries.some((e) => e.method === 'POST'), 'nothing created');
    }
  });

  t.test('none found names both keys tried', async (t) => {
    const r = await stack.run('create_incident', { ...base, customer: 'ghost@corp.local' });
    t.equal(r.status, 400);
    t.match(r.body.exception.cause, /No ISM employee has the email address or login ID 'ghost@corp\.local' \(the customer input\)/);
  });
});

t.test('help.md says what an identifier is matched against', async (t) => {
  const help = readFileSync(new URL('../../help.md', import.meta.url), 'utf8');
  const rows = help.split('\n').filter((line) => /^\|(customer|assignee)\|/.test(line));
  t.ok(rows.length >= 6, 'every customer and assignee input');
  for (const row of rows) {
    t.match(row, /name@domain against PrimaryEmail or LoginID/, row.slice(0, 60));
    t.match(row, /otherwise against LoginID or DisplayName/, row.slice(0, 60));
  }
});
