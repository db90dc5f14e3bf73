/**
 * Customer and assignee in one request: what settles both at once, and what sends each
 * identifier back to its own lookup (so every error and tie is decided as before).
 */
import t from 'tap';
import type { JournalEntry } from '../../src/simulator/index.js';
import type { IsmClient, IsmRecord } from '../../src/ivanti/client.js';
import { findEmployees } from '../../src/ivanti/lookups.js';
import type { StepLogger } from '../../src/runtime/step-log.js';
import { SEED, shape, startStack, type Json } from './helpers.js';

const base = { summary: 'Combined lookup test', description: 'Created by the combined lookup tests', status: 'Logged', type: 'Failure' };
const employeeLookups = (entries: JournalEntry[]) => entries.filter((e) => e.set === 'employees');
/** The combined lookup's filter, then the filters of the lookups that followed it, sorted (they run side by side). */
const lookupFilters = (entries: JournalEntry[]) => {
  const [first, ...rest] = employeeLookups(entries).map((e) => String(e.query.$filter));
  return [first, ...rest.sort()];
};

t.test('end to end', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const create = (customer: string, assignee: string) => stack.run('create_incident', { ...base, customer, assignee });
  const posted = (entries: JournalEntry[]) => entries.find((e) => e.method === 'POST')?.body as Json;

  t.test('two people: one lookup, one create', async (t) => {
    const r = await create('user@example.com', 'John Doe');
    t.equal(r.status, 200, r.body.error ?? 'answered 200');
    t.same(shape(r.entries), ['GET employees', 'POST incidents']);
    t.same(posted(r.entries), { ...posted(r.entries), ProfileLink: SEED.exampleUser, Owner: 'jdoe' });
    t.match(r.body.log, /Looking up the customer by email address or login ID and the assignee by login ID or display name, in one request\./);
    t.match(r.body.log, /Found the customer: .*\n.*Found the assignee: John Doe \(login jdoe\)/);
  });

  t.test('one person in both roles: one row settles both', async (t) => {
    const r = await create('john.doe@example.com', 'JDOE');
    t.equal(r.status, 200, r.body.error ?? 'answered 200');
    t.same(shape(r.entries), ['GET employees', 'POST incidents']);
    t.equal(posted(r.entries).ProfileLink, SEED.johnDoe);
    t.equal(posted(r.entries).Owner, 'jdoe', 'the login as ISM has it, whatever case was given');
  });

  t.test('the same address twice is asked for once', async (t) => {
    const r = await create('John.Doe@example.com', 'john.doe@example.com');
    t.equal(r.status, 200, r.body.error ?? 'answered 200');
    t.same(employeeLookups(r.entries).map((e) => e.query.$filter), ["PrimaryEmail eq 'John.Doe@example.com' or LoginID eq 'John.Doe@example.com'"]);
  });

  t.test('an assignee that names nobody: looked up alone, the same error as ever', async (t) => {
    const r = await create('user@example.com', 'nobody-here');
    t.equal(r.status, 400);
    t.match(r.body.exception.cause, /No ISM employee has the login ID or display name 'nobody-here' \(the assignee input\)/);
    t.same(lookupFilters(r.entries), [
      "PrimaryEmail eq 'user@example.com' or LoginID eq 'user@example.com' or LoginID eq 'nobody-here' or DisplayName eq 'nobody-here'",
      "LoginID eq 'nobody-here' or DisplayName eq 'nobody-here'",
      "PrimaryEmail eq 'user@example.com' or LoginID eq 'user@example.com'",
    ]);
    t.notOk(r.entries.some((e) => e.method === 'POST'), 'nothing created');
  });

  t.test('a customer that names nobody is reported before the assignee', async (t) => {
    const r = await create('nobody@example.com', 'nobody-either');
    t.equal(r.status, 400);
    t.match(r.body.exception.cause, /\(the customer input\)/);
  });

  t.test('a display name two people share: the page fills, each is looked up alone', async (t) => {
    const r = await create('user@example.com', 'Chris Taylor');
    t.equal(r.status, 400);
    t.match(r.body.exception.cause, /Several ISM employees have the login ID or display name 'Chris Taylor' \(the assignee input\)/);
    t.same(
      lookupFilters(r.entries),
      [
        "PrimaryEmail eq 'user@example.com' or LoginID eq 'user@example.com' or LoginID eq 'Chris Taylor' or DisplayName eq 'Chris Taylor'",
        "LoginID eq 'Chris Taylor'",
        "LoginID eq 'Chris Taylor' or DisplayName eq 'Chris Taylor'",
        "PrimaryEmail eq 'user@example.com' or LoginID eq 'user@example.com'",
      ],
      'the combined lookup, then one each (and the login alone, as ever)',
    );
  });

  t.test('a bad identifier is refused before any request', async (t) => {
    const r = await create('user@example.com', '$null');
    t.equal(r.status, 400);
    t.match(r.body.exception.cause, /'\$null' is ISM's word for no value/);
    t.same(r.entries, [], 'no request at all');
  });
});

/** A client that answers each employee query from a script, and remembers the queries. */
function scripted(...answers: IsmRecord[][]) {
  const paths: string[] = [];
  const client = {
    async list(path: string): Promise<IsmRecord[]> {
      paths.push(decodeURIComponent(path));
      const answer = answers.shift();
      if (!answer) throw new Error(`no answer scripted for ${path}`);
      return answer;
    },
  } as unknown as IsmClient;
  return { client, paths };
}

const lines: string[] = [];
const log: StepLogger = { debug: (m) => lines.push(m), info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
const row = (recId: string, login: string, display: string, email: string): IsmRecord => ({ RecId: recId, LoginID: login, DisplayName: display, PrimaryEmail: email, Status: 'Active' });
const ann = row('A0000000000000000000000000000001', 'ann', 'Ann Lee', 'ann@example.com');
const bob = row('B0000000000000000000000000000002', 'bob', 'Bob Roy', 'bob@example.com');
const wanted = [
  { identifier: 'ANN@example.com', role: 'customer' as const },
  { identifier: 'Bob Roy', role: 'assignee' as const },
];

t.test('decided from the one answer', async (t) => {
  const { client, paths } = scripted([bob, ann]);
  const [customer, assignee] = await findEmployees(client, wanted, log);
  t.equal(customer?.recId, ann.RecId, 'rows matched to identifiers ignoring case, in any order');
  t.equal(assignee?.loginId, 'bob');
  t.equal(paths.length, 1);
  t.match(paths[0], /\$top=3/);
});

t.test('a row no identifier accounts for: each looked up alone', async (t) => {
  // ISM matched a row the plugin's comparison does not explain (a collation it does not
  // know): the plugin cannot tell whose it is, so it asks for each identifier alone.
  const odd = row('C0000000000000000000000000000003', 'bob.r', 'Bob  Roy', 'other@example.com');
  const { client, paths } = scripted([ann, odd], [ann], [odd]);
  const [customer, assignee] = await findEmployees(client, wanted, log);
  t.equal(customer?.recId, ann.RecId);
  t.equal(assignee?.recId, odd.RecId, "ISM's own answer for the assignee alone decides");
  t.equal(paths.length, 3);
});

t.test('a full page: each looked up alone', async (t) => {
  const third = row('D0000000000000000000000000000004', 'bob2', 'Bob Roy', 'bob2@example.com');
  const { client, paths } = scripted([ann, bob, third], [ann], [bob, third], []);
  await t.rejects(findEmployees(client, wanted, log), { message: /Several ISM employees have the login ID or display name 'Bob Roy'/ });
  t.equal(paths.length, 4, 'combined, customer, assignee, and the assignee as a login alone');
});

t.test('one identifier: the single lookup, two rows', async (t) => {
  const { client, paths } = scripted([ann]);
  const [customer] = await findEmployees(client, [wanted[0]!], log);
  t.equal(customer?.recId, ann.RecId);
  t.match(paths[0], /\$top=2/);
  t.match(paths[0], /\$filter=PrimaryEmail eq 'ANN@example.com' or LoginID eq 'ANN@example.com'&/, "the email's two keys only");
});
