/**
 * Hostile input to the generic record actions: object names, relationship names, record IDs and
 * field names that do not have their strict form are refused before any request (the HTTP
 * server and `run` refuse an `object` off its pattern through the input schema); values reach
 * ISM as one quoted literal, the keyword as one `$search` value, and written fields as JSON.
 */
import t from 'tap';
import type { FilterNode, JournalEntry } from '../../src/simulator/index.js';
import { CANARY, canaryHits, runCli, startStack, type Json, type StepAnswer } from './helpers.js';


const RECID = 'DB6C5EF674754DF7047054037533958A';
const INCIDENT = 'BC6E2562367D08417D67FAECB5841C25';
const CI = '9EFDD86E4BBC00B07B639F52737B8BBF';

const HOSTILE_NAMES = [
  "Incident'",
  "Incident')",
  "Problems('DB6C5EF674754DF7047054037533958A')",
  'incidents?$top=1',
  'incidents&$filter=1',
  '../employees',
  'Incident/../employees',
  'Problem#A#B',
  '#Problem',
  '1Problem',
  'Pro blem',
  'Problem%27',
  'Prob\u0000lem',
  'Prob\r\nX-Injected: 1',
  'Ínçident',
  '\u202eProblem',
  'Problem$',
  "x' or 'a' eq 'a",
  `P${'x'.repeat(120)}`,
];

const VALUES = [
  "x' or 'a' eq 'a",
  "') or (1 eq 1",
  "' or 1 eq 1 or '",
  "''",
  '%27',
  '&$top=100',
  '?$filter=',
  '#',
  'a\r\nb',
  "O'Neill",
  '\u202eVPN',
  "x' or Status ne '",
];

/** Every input of every generic action, with `object` replaced. */
function inputsWithObject(object: string): Array<[string, Json]> {
  return [
    ['get_record', { object, record_id: RECID }],
    ['search_records', { object, filter: { Status: 'Active' } }],
    ['create_record', { object, fields: { Subject: 's' } }],
    ['update_record', { object, record_id: RECID, fields: { Subject: 's' } }],
    ['delete_record', { object, record_id: RECID }],
    ['link_records', { object, record_id: INCIDENT, relationship: 'IncidentAssociatesCI', related_record_id: CI }],
    ['unlink_records', { object, record_id: INCIDENT, relationship: 'IncidentAssociatesCI', related_record_id: CI }],
    ['list_related', { object, record_id: INCIDENT, relationship: 'IncidentAssociatesCI' }],
  ];
}

function compares(node: FilterNode | undefined): Extract<FilterNode, { type: 'compare' }>[] {
  if (!node) return [];
  if (node.type === 'compare') return [node];
  return [...compares(node.left), ...compares(node.right)];
}

const label = (value: string) => JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).slice(0, 60);
const writes = (entries: JournalEntry[]) => entries.filter((e) => e.method !== 'GET');

t.test('the HTTP server refuses an object name off its form before any request', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  for (const name of HOSTILE_NAMES) {
    for (const [action, input] of inputsWithObject(name)) {
      const r = await stack.run(action, input);
      t.equal(r.status, 400, `${action} ${label(name)}: 400`);
      t.match(r.body.error, /'object'/, 'the error names the input');
      t.same(r.entries, [], `${action} ${label(name)}: nothing reached ISM`);
      t.equal(canaryHits(r.text), 0);
    }
  }
  const padded = await stack.run('get_record', { object: ' Problem', record_id: RECID });
  t.equal(padded.status, 400, 'not even with spaces around it');
});

t.test('run (stdin) refuses it the same way', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const mark = stack.sim.journal.total;
  const message = { version: 'v1', type: 'action_start', body: { action: 'search_records', meta: {}, connection: stack.connection(), input: { object: "Problem' or 'a' eq 'a" } } };
  const result = await runCli(['run'], JSON.stringify(message));
  t.equal(result.code, 1);
  const envelope = JSON.parse(result.stdout) as Json;
  t.equal(envelope.body.status, 'error');
  t.match(envelope.body.error, /'object' must be a business object name/);
  t.equal(stack.sim.journal.total, mark, 'nothing reached ISM');
  t.notOk(result.stdout.includes(CANARY) || result.stderr.includes(CANARY));
});

t.test('relationship names, record IDs and field names off their form: refused before any request', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const link = { object: 'Incident', record_id: INCIDENT, relationship: 'IncidentAssociatesCI', related_record_id: CI };
  const cases: Array<[string, Json, RegExp]> = [];
  for (const bad of ["IncidentAssociatesCI('x')/$Ref", 'IncidentAssociatesCI/../x', "A'", 'A B', 'A?$top=1', 'A#B', '']) {
    cases.push(['link_records', { ...link, relationship: bad }, /'relationship'/], ['list_related', { ...link, relationship: bad }, /'relationship'/]);
  }
  for (const bad of ["BC6E2562367D08417D67FAECB5841C25')", '../x', "x')/IncidentContainsJournal('y", 'BC6E2562367D08417D67FAECB5841C2', 'BC6E2562367D08417D67FAECB5841C255', 'BC6E2562367D08417D67FAECB5841C2G', `${INCIDENT}?$top=1`]) {
    cases.push(
      ['get_record', { object: 'Incident', record_id: bad }, /'record_id' must be an ISM record ID/],
      ['delete_record', { object: 'Incident', record_id: bad }, /'record_id' must be an ISM record ID/],
      ['unlink_records', { ...link, related_record_id: bad }, /'related_record_id' must be an ISM record ID/],
    );
  }
  for (const bad of ["Status eq 'x' or Subject", 'Status)', 'Sta tus', '@odata.context', 'Status/x', '$filter', "x'", '']) {
    cases.push(
      ['search_records', { object: 'Problem', filter: { [bad]: 'x' } }, /'filter' names a field ISM cannot have/],
      ['create_record', { object: 'Problem', fields: { [bad]: 'x' } }, /'fields' names a field ISM cannot have/],
      ['get_record', { object: 'Problem', field: bad === '' ? 'a b' : bad, value: 'x' }, /'field' names a field ISM cannot have/],
      ['search_records', { object: 'Problem', date_field: bad === '' ? 'a b' : bad, from: '2026-01-01T00:00:00Z' }, /'date_field' names a field ISM cannot have/],
    );
  }
  for (const [action, input, pattern] of cases) {
    const r = await stack.run(action, input);
    t.equal(r.status, 400, `${action} ${label(JSON.stringify(input))}`);
    t.match(r.body.error, pattern);
    t.same(r.entries, [], 'nothing reached ISM');
  }
});

t.test('values reach ISM as one literal each and widen nothing', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const before = stack.sim.store.records('problems')?.length;
  for (const value of VALUES) {
    for (const [action, input] of [
      ['search_records', { object: 'Problem', filter: { Subject: value, Status: 'Investigation' } }],
      ['get_record', { object: 'Problem', field: 'Subject', value }],
    ] as Array<[string, Json]>) {
      const r: StepAnswer = await stack.run(action, input);
      const where = `${action} ${label(value)}`;
      if (action === 'search_records') t.same(r.body.output, { records: [], count: 0, truncated: false }, `${where}: matches nothing`);
      else t.match(r.body.error, /No Problem has Subject equal to/, `${where}: not found`);
      t.equal(r.entries.length, 1, `${where}: one request`);
      const e = r.entries[0]!;
      t.ok(e.filter?.ast, `${where}: ISM parsed the filter`);
      const nodes = compares(e.filter?.ast);
      t.ok(nodes.every((c) => c.op === 'eq'), `${where}: only eq`);
      t.same(nodes.filter((c) => c.field === 'Subject').map((c) => c.value.kind === 'string' && c.value.value), [value], `${where}: the value is one literal, whole`);
      t.same(writes(r.entries), []);
    }
    const search = await stack.run('search_records', { object: 'Problem', keyword: value });
    t.equal(search.status, 200, `keyword ${label(value)}: a search`);
    const e = search.entries[0]!;
    t.equal(e.query.$search, value, 'the keyword arrived whole, as the $search value');
    t.same(Object.keys(e.query).sort(), ['$orderby', '$search', '$top'], 'and added no query option');
  }
  t.equal(stack.sim.store.records('problems')?.length, before, 'nothing written');
});

t.test('written fields arrive as JSON, stored as given', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  for (const value of VALUES) {
    const r = await stack.run('create_record', { object: 'frs_Indicator', fields: { IndicatorValue: value, IndicatorType: 'Domain', Description: value } });
    t.equal(r.status, 200, `${label(value)}: ${r.body.error ?? 'created'}`);
    t.equal(r.entries.length, 1);
    t.equal(stack.sim.store.findRecord('frs_indicators', r.body.output.record.RecId)?.IndicatorValue, value, 'stored verbatim');
  }
});
