/**
 * Hostile input: OData injection through every text input that reaches a query (create's and
 * update's customer and assignee), proved with the simulator's parsed filters; incident numbers
 * refused as text; CR/LF and quotes never reaching a header; `../` and `')` never reaching a
 * URL path, even when ISM itself returns them as a RecId.
 */
import t from 'tap';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { recordPath, collectionPath, literal } from '../../src/ivanti/odata.js';
import type { FilterNode, JournalEntry } from '../../src/simulator/index.js';
import { CANARY, canaryHits, recordResults, startStack, type Json, type StepAnswer } from './helpers.js';

const INJECTIONS = [
  "x' or 'a' eq 'a",
  "') or (1 eq 1",
  "jdoe' or 'x' eq 'x",
  "x' or LoginID ne '",
  "' or 1 eq 1 or '",
  "user@example.com' or 'a' eq 'a",
  "jdoe'--@example.com",
  '%27',
  "''",
  "''''",
  '\u0027',
  "\\'",
  '$filter=',
  '&$top=100',
  '?$top=1&$skip=0',
  '#',
  '*',
  'x)',
  'a\r\nb',
  'jdoe\r\nX-Injected: 1',
  'a\u0000b',
  'a/../b',
  "O'Neill",
  '\u202ejdoe',
  "'$NULL'",
  "x' or 'a' eq 'a ".repeat(15).trim(),
];

/** ISM's word for null: never a name, refused before any request. */
const NULL_WORDS = ['$NULL', '$null', ' $NULL '];

type Place = { action: 'create_incident' | 'update_incident' | 'search_incidents'; input: 'customer' | 'assignee' };
const PLACES: Place[] = [
  { action: 'create_incident', input: 'customer' },
  { action: 'create_incident', input: 'assignee' },
  { action: 'update_incident', input: 'customer' },
  { action: 'update_incident', input: 'assignee' },
  { action: 'search_incidents', input: 'customer' },
  { action: 'search_incidents', input: 'assignee' },
];

const createInput = (extra: Json) => ({ summary: 'injection probe', description: 'd', customer: 'user@example.com', status: 'Logged', type: 'Failure', ...extra });
const updateInput = (extra: Json) => ({ incident_number: 10001, ...extra });
const inputAt = (place: Place, value: string): Json =>
  place.action === 'create_incident'
    ? createInput({ [place.input]: value })
    : place.action === 'update_incident'
      ? updateInput({ [place.input]: value })
      : { [place.input]: value, max_results: 5 };

function compares(node: FilterNode | undefined): Extract<FilterNode, { type: 'compare' }>[] {
  if (!node) return [];
  if (node.type === 'compare') return [node];
  return [...compares(node.left), ...compares(node.right)];
}

/** A value as an assertion names it: JSON, with everything outside ASCII escaped (a raw U+2028 would split the TAP line). */
const label = (value: string) => JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const writes = (entries: JournalEntry[]) => entries.filter((e) => e.method !== 'GET');

t.test('OData injection through customer and assignee: each value is one literal', async (t) => {
  const stack = await startStack({ sim: { journalLimit: 5_000 } });
  t.teardown(() => stack.close());
  const figures = { values: 0, steps: 0, filtersChecked: 0, malformedFilters: 0, widenedMatches: 0, refusedUpFront: 0, secretsFound: 0 };
  const before = stack.sim.store.counts();

  for (const place of PLACES) {
    for (const value of [...INJECTIONS, ...NULL_WORDS]) {
      figures.steps++;
      const r = await stack.run(place.action, inputAt(place, value));
      figures.secretsFound += canaryHits(r.text) + canaryHits(stack.logText());
      const where = `${place.action}.${place.input} = ${label(value).slice(0, 60)}`;
      t.equal(r.status, 400, `${where}: refused (${r.body.error})`);
      t.equal(writes(r.entries).length, 0, `${where}: nothing was written`);
      const expected = value.trim();
      const lookups = r.entries.filter((e) => e.method === 'GET' && e.set === 'employees');
      const carrying = lookups.filter((e) => compares(e.filter?.ast).some((c) => c.value.kind === 'string' && c.value.value === expected));
      if (NULL_WORDS.includes(value)) {
        figures.refusedUpFront++;
        t.equal(carrying.length, 0, `${where}: never asked ISM (it means null)`);
        t.match(r.body.error, new RegExp(`${place.input}.*(null|no value)|(null|no value).*${place.input}`, 'i'));
        continue;
      }
      figures.values++;
      t.match(r.body.exception.cause, new RegExp(`No ISM employee has .* \\(the ${place.input} input\\)`), `${where}: not found`);
      t.ok(carrying.length >= 1, `${where}: the value reached a filter`);
      for (const entry of lookups) {
        figures.filtersChecked++;
        if (!entry.filter?.ast) {
          figures.malformedFilters++;
          t.fail(`${where}: a filter that does not parse: ${entry.filter?.error}`);
          continue;
        }
        const nodes = compares(entry.filter.ast);
        const ok = nodes.every((c) => c.op === 'eq' && ['PrimaryEmail', 'LoginID', 'DisplayName'].includes(c.field) && c.value.kind === 'string');
        const literals = nodes.map((c) => (c.value.kind === 'string' ? c.value.value : `<${c.value.kind}>`));
        const own = literals.filter((l) => l !== 'user@example.com');
        // One identifier's comparisons (two joined by 'or'), or a customer's and an assignee's
        // joined by 'or' (at most four): never an 'and', never anything nested deeper.
        const onlyOr = (n: typeof entry.filter.ast): boolean => n.type === 'compare' || (n.type === 'or' && onlyOr(n.left) && onlyOr(n.right));
        const shape = onlyOr(entry.filter.ast) && nodes.length <= 4;
        if (!ok || !shape || !own.every((l) => l === expected)) figures.widenedMatches++;
        t.ok(ok && shape, `${where}: only 'eq' on an employee key, at most four joined by 'or' (${JSON.stringify(entry.query.$filter).slice(0, 120)})`);
        t.ok(own.every((l) => l === expected), `${where}: the literal is the whole value, unchanged`);
        t.equal(entry.status, 200, `${where}: ISM parsed it`);
      }
    }
  }
  t.same(stack.sim.store.counts(), before, 'no incident, note or employee was added or removed');

  await t.test('positive control: a quote in a real address still finds the employee', async (t) => {
    const r = await stack.run('create_incident', createInput({ customer: "siobhan.o'neill@example.com" }));
    t.equal(r.status, 200, r.body.error ?? 'ok');
    const lookup = r.entries.find((e) => e.set === 'employees');
    t.same(compares(lookup?.filter?.ast).map((c) => [c.field, c.value.kind === 'string' && c.value.value]), [
      ['PrimaryEmail', "siobhan.o'neill@example.com"],
      ['LoginID', "siobhan.o'neill@example.com"],
    ]);
    t.equal(lookup?.query.$filter, "PrimaryEmail eq 'siobhan.o''neill@example.com' or LoginID eq 'siobhan.o''neill@example.com'");
  });

  await t.test('an identifier too long to name anyone is refused before any request', async (t) => {
    for (const place of PLACES) {
      const value = "x' or 'a' eq 'a".repeat(400);
      const r = await stack.run(place.action, inputAt(place, value));
      t.equal(r.status, 400);
      t.match(r.body.error, new RegExp(`${place.input}.*too long`));
      const carrying = r.entries.filter((e) => e.set === 'employees' && compares(e.filter?.ast).some((c) => c.value.kind === 'string' && c.value.value === value));
      t.equal(carrying.length, 0, `${place.action}.${place.input}: never sent to ISM`);
      t.ok(r.body.error.length < 600, 'the message does not repeat the value');
      figures.refusedUpFront++;
    }
  });

  await t.test("search's keyword is one $search value: it never adds an option or a filter", async (t) => {
    for (const value of INJECTIONS) {
      const r = await stack.run('search_incidents', { keyword: value, max_results: 5 });
      t.equal(r.status, 200, `keyword ${label(value).slice(0, 60)}: a search (${r.body.error ?? 'ok'})`);
      const searches = r.entries.filter((e) => e.method === 'GET' && e.set === 'incidents');
      t.ok(searches.length >= 1);
      for (const e of searches) {
        figures.filtersChecked++;
        t.equal(e.query.$search, value.trim() === '' ? undefined : value, 'the keyword arrived whole, as the $search value');
        // A later request (here, the one row that tells whether more than max_results match)
        // adds only the key it starts after.
        const { $filter, ...rest } = e.query;
        t.same(Object.keys(rest).sort(), ['$orderby', '$search', '$top'], 'and added no query option');
        if ($filter !== undefined) t.match($filter, /^IncidentNumber gt \d+$/, 'a filter only for the key it starts after');
      }
      figures.values++;
    }
  });

  await t.test("an attachment's file name never reaches a multipart header unchecked", async (t) => {
    for (const filename of ['a\r\nContent-Type: text/html\r\n\r\n<x>', 'a"; name="ObjectID', '../../etc/passwd', '..\\..\\boot.ini', '..', 'x\u0000.txt', '/abs.txt']) {
      const r = await stack.run('add_attachment', { incident_number: 10001, attachment: { filename, content: 'aGVsbG8=' } });
      t.equal(r.status, 400, `${label(filename)}: refused`);
      t.match(r.body.error, /filename/);
      t.equal(r.entries.length, 0, 'before any request');
      figures.refusedUpFront++;
    }
  });

  await t.test('incident numbers are integers: text is refused before any request', async (t) => {
    for (const action of ['update_incident', 'add_note', 'delete_incident', 'get_incident']) {
      for (const value of ['10001', '10001 or 1 eq 1', "10001' or 'a' eq 'a", '10001)', ' 10001 ', '0x2711', '1e4']) {
        const input = action === 'update_incident' ? { incident_number: value, category: 'Software' } : action === 'add_note' ? { incident_number: value, summary: 's' } : { incident_number: value };
        const r = await stack.run(action, input);
        t.equal(r.status, 400, `${action} ${JSON.stringify(value)}`);
        t.match(r.body.error, /'incident_number' must be an integer, not a string/);
        t.equal(r.entries.length, 0, 'nothing reached ISM');
        figures.refusedUpFront++;
      }
    }
  });

  await t.test('CR/LF and quotes in inputs never reach a header', async (t) => {
    const marker = 'X-Smuggled: yes';
    const mark = stack.sim.journal.total;
    const inputs: [string, Json][] = [
      ['create_incident', createInput({ summary: `a\r\n${marker}\r\n\r\n`, description: `"\r\n${marker}`, category: `\r\n${marker}` })],
      ['add_note', { incident_number: 10001, summary: `s\r\n${marker}`, notes: `"quoted"\r\n${marker}` }],
      ['update_incident', updateInput({ resolution: `r\n${marker}`, category: `Software\r\n${marker}` })],
    ];
    for (const [action, input] of inputs) await stack.run(action, input);
    const entries = stack.sim.journal.since(mark);
    t.ok(entries.length >= 4, `${entries.length} requests reached ISM`);
    for (const entry of entries) {
      const names = Object.keys(entry.headers);
      t.notOk(names.some((n) => /smuggled/i.test(n)), `${entry.method} ${entry.path}: no injected header`);
      t.notOk(JSON.stringify(entry.headers).includes(marker), 'no header value carries input text');
      t.notMatch(entry.path, /[\r\n"]/, 'nor the path');
    }
  });

  recordResults('hostile', {
    injectionStrings: INJECTIONS.length + NULL_WORDS.length,
    placesPerString: PLACES.length,
    steps: figures.steps,
    valuesProvedLiteral: figures.values,
    filtersChecked: figures.filtersChecked,
    malformedFilters: figures.malformedFilters,
    widenedMatches: figures.widenedMatches,
    refusedBeforeAnyRequest: figures.refusedUpFront,
    secretsFound: figures.secretsFound,
  });
  t.equal(figures.widenedMatches, 0, 'no filter widened the match');
  t.equal(figures.secretsFound, 0, 'the canary never appears');
});

t.test('an API key with a line break, NUL or non-ASCII is refused before any request', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  // A line break at either end is trimmed away like any whitespace (and so never sent); inside, it is refused.
  const keys = [`${CANARY}\r\nX-Evil: 1`, `${CANARY}\nX`, `a\rb${CANARY}`, `${CANARY}\u0000`, `${CANARY}\u2028x`, `${CANARY}\u00e9`, `${CANARY} x`, `${CANARY}\t1`];
  let refused = 0;
  for (const key of keys) {
    const mark = stack.sim.journal.total;
    for (const r of [await stack.test(stack.connection({ credentials: { secretKey: key } })), await stack.run('add_note', { incident_number: 10001, summary: 's' }, stack.connection({ credentials: { secretKey: key } }))]) {
      t.equal(r.status, 400, label(key.replace(CANARY, 'KEY')));
      t.match(r.body.exception.cause, /API key/);
      t.equal(canaryHits(r.text), 0);
      refused++;
    }
    t.same(stack.sim.journal.since(mark), [], 'the journal is empty: nothing was sent');
  }
  recordResults('headerInjection', { keysTried: keys.length, stepsRefusedBeforeAnyRequest: refused, requestsSent: 0 });
});

t.test('recordPath: only a 32-hex RecId reaches a URL path', async (t) => {
  t.equal(recordPath('incidents', 'BC6E2562367D08417D67FAECB5841C25'), "incidents('BC6E2562367D08417D67FAECB5841C25')");
  const bad = ['../x', "')", "BC6E2562367D08417D67FAECB5841C2')", "x')/IncidentContainsJournal('y", '%2e%2e%2f', '', 'BC6E2562367D08417D67FAECB5841C2', 'BC6E2562367D08417D67FAECB5841C255', 'BC6E2562367D08417D67FAECB5841C2G', 'BC6E2562367D08417D67FAECB5841C2\n', '../../../../etc/passwd', 'BC6E2562367D08417D67FAECB5841C25?$top=1'];
  for (const id of bad) t.throws(() => recordPath('incidents', id), /invalid RecId/, JSON.stringify(id));
  for (const set of ['../incidents', "incidents('x')", 'incidents/x', '', 'incidents?']) t.throws(() => collectionPath(set), /invalid business object set/, set);
  t.throws(() => literal('$NULL'), /\$NULL/, "a string equal to ISM's null word is never written as a literal");
});

interface Seen {
  method: string;
  url: string;
}

/** A tiny hostile ISM: every lookup answers a row whose RecId is `recId`; anything else is recorded and refused. */
async function hostileIsm(recId: string): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '' });
    req.resume();
    const path = decodeURIComponent((req.url ?? '').split('?')[0]!);
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    if (req.method === 'GET' && /\/employees$/.test(path)) {
      return send(200, { value: [{ RecId: recId, LoginID: 'jdoe', DisplayName: 'John Doe', PrimaryEmail: 'user@example.com', Status: 'Active' }] });
    }
    if (req.method === 'GET' && /\/incidents$/.test(path)) return send(200, { value: [{ RecId: recId, IncidentNumber: 10001 }] });
    send(500, { code: 'ISM_5000', message: ['this fake only answers lookups'] });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/HEAT`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

t.test("end to end: ISM answers a RecId like '../x' and it never reaches a URL path or a body", async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const recIds = ['../x', "x')", "BC6E2562367D08417D67FAECB5841C25')/IncidentContainsJournal('x", '..%2F..%2Fx', 'BC6E2562367D08417D67FAECB5841C2/'];
  let steps = 0;
  for (const recId of recIds) {
    const ism = await hostileIsm(recId);
    const conn = stack.connection({ url: ism.url });
    const runs: [string, Json][] = [
      ['update_incident', { incident_number: 10001, category: 'Software' }],
      ['delete_incident', { incident_number: 10001 }],
      ['add_note', { incident_number: 10001, summary: 's' }],
      ['create_incident', createInput({})],
    ];
    for (const [action, input] of runs) {
      const r: StepAnswer = await stack.run(action, input, conn);
      steps++;
      t.equal(r.status, 400, `${action} with RecId ${JSON.stringify(recId)}`);
      t.match(r.body.exception.cause, /without a valid RecId/);
    }
    t.same([...new Set(ism.seen.map((s) => s.method))], ['GET'], `RecId ${JSON.stringify(recId)}: only lookups were sent`);
    for (const s of ism.seen) {
      const path = decodeURIComponent(s.url.split('?')[0]!);
      t.notOk(path.includes('..') || path.includes("')") || path.includes("('"), `${s.method} ${path}: a clean path`);
    }
    await ism.close();
  }
  recordResults('pathInjection', { hostileRecIds: recIds.length, steps, writesSent: 0 });
});
