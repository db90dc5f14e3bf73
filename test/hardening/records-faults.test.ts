/**
 * The generic record actions under change and under faults, end to end through the runtime's
 * HTTP server: a search whose rows change between its pages loses none of the rows that match
 * throughout; a create is never sent twice, whatever ISM or the network does; updates, deletes
 * and links retried after a lost answer end with the record as asked, once.
 */
import t from 'tap';
import type { FaultSpec, JournalEntry } from '../../src/simulator/index.js';
import { startStack, type Json, type Stack } from './helpers.js';


const INDICATORS = 'frs_indicators';
const posts = (entries: JournalEntry[]) => entries.filter((e) => e.method === 'POST');

function addIndicators(stack: Stack, n: number, tag: string): string[] {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(String(stack.sim.store.createRecord(INDICATORS, { IndicatorValue: `${tag}-${i}.example`, IndicatorType: 'Domain', Source: tag }).RecId));
  return ids;
}

/** Resolves once the simulator has received `n` GETs of the indicators (the last still unanswered). */
async function pageArrived(stack: Stack, mark: number, n: number): Promise<void> {
  for (;;) {
    const gets = stack.sim.journal.since(mark).filter((e) => e.method === 'GET' && e.set === INDICATORS);
    if (gets.length >= n) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

t.test('a search whose rows change between pages loses none of the rows that match throughout', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const original = addIndicators(stack, 250, 'paging');
  const sorted = [...original].sort();
  // The second page waits long enough for the tenant to change under the search.
  stack.sim.faults.script([
    { method: 'GET', set: INDICATORS, fault: { kind: 'latency', ms: 0 } },
    { method: 'GET', set: INDICATORS, fault: { kind: 'latency', ms: 1_000 } },
  ]);
  const mark = stack.sim.journal.total;
  const running = stack.run('search_records', { object: 'frs_Indicator', filter: { Source: 'paging' }, max_results: 10_000 });
  await pageArrived(stack, mark, 2);
  // Rows of the first page go away (with $skip, every later row would move up past the next
  // page's start), and new rows arrive on both sides of the cursor.
  const deleted = sorted.slice(10, 40);
  for (const id of deleted) t.ok(stack.sim.store.deleteRecord(INDICATORS, id));
  const added = addIndicators(stack, 20, 'paging');
  const r = await running;
  t.equal(r.status, 200, r.body.error ?? 'ok');
  const found = (r.body.output.records as Json[]).map((x) => x.RecId as string);
  t.equal(new Set(found).size, found.length, 'no record twice');
  const survivors = original.filter((id) => !deleted.includes(id));
  const missing = survivors.filter((id) => !found.includes(id));
  t.same(missing, [], `all ${survivors.length} records that matched throughout are found`);
  t.ok(found.length >= survivors.length, 'at least the survivors');
  t.ok(found.every((id) => original.includes(id) || added.includes(id)), 'nothing that never matched');
  t.ok(r.entries.filter((e) => e.method === 'GET').length >= 3, 'three pages or more');
});

t.test('a page that comes back empty where ISM counted more is read again, not taken as the end', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const made = addIndicators(stack, 150, 'reread');
  stack.sim.faults.script([
    { method: 'GET', set: INDICATORS, fault: { kind: 'latency', ms: 0 } },
    { method: 'GET', set: INDICATORS, fault: { kind: 'empty-body' } },
  ]);
  const r = await stack.run('search_records', { object: 'frs_Indicator', filter: { Source: 'reread' }, max_results: 10_000 });
  t.equal(r.status, 200, r.body.error ?? 'ok');
  t.equal(r.body.output.count, made.length, 'every record');
  t.match(r.body.log, /answered 0 rows after RecId \w+, where it had counted 50; reading that page again/);
  t.same(r.entries.map((e) => e.query.$filter === r.entries[1]!.query.$filter), [false, true, true], 'the second page was asked for twice');
});

interface CreateCase {
  fault: FaultSpec;
  /** The step ends in an error saying the record may exist (or succeeds, for null). */
  error: RegExp | null;
  applied: 0 | 1;
}

const CREATE_CASES: CreateCase[] = [
  { fault: { kind: 'reset-after' }, error: /closed before ISM answered.*may have created the frs_Indicator record/, applied: 1 },
  { fault: { kind: 'reset-before' }, error: /closed before ISM answered/, applied: 0 },
  { fault: { kind: 'status', status: 500 }, error: /ISM failed to process .*\(500\)/, applied: 0 },
  { fault: { kind: 'status', status: 502 }, error: /\(502\).*may have created/, applied: 0 },
  { fault: { kind: 'status', status: 503, retryAfter: 1 }, error: /\(503\)/, applied: 0 },
  { fault: { kind: 'status', status: 504 }, error: /\(504\).*may have created/, applied: 0 },
  { fault: { kind: 'status', status: 429 }, error: /\(429\)/, applied: 0 },
  { fault: { kind: 'invalid-json' }, error: /not valid JSON.*probably saved/, applied: 1 },
  { fault: { kind: 'empty-body' }, error: /did not return the created frs_Indicator record/, applied: 1 },
  { fault: { kind: 'hang' }, error: /did not answer within 1 s/, applied: 0 },
];

t.test('a create is never sent twice, whatever the fault', async (t) => {
  const stack = await startStack({ connection: { request_timeout: 1 } });
  t.teardown(() => stack.close());
  for (const c of CREATE_CASES) {
    const name = JSON.stringify(c.fault);
    const before = stack.sim.store.records(INDICATORS)?.length ?? 0;
    stack.sim.faults.script({ method: 'POST', set: INDICATORS, fault: c.fault });
    const r = await stack.run('create_record', { object: 'frs_Indicator', fields: { IndicatorValue: `never-twice-${c.fault.kind}.example`, IndicatorType: 'Domain' } });
    if (c.error) {
      t.equal(r.status, 400, `${name}: a plugin error`);
      t.match(r.body.error, c.error, `${name}: ${r.body.error}`);
    } else {
      t.equal(r.status, 200, name);
    }
    t.equal(posts(r.entries).length, 1, `${name}: one POST`);
    t.equal(posts(r.entries).filter((e) => e.applied).length, c.applied, `${name}: applied ${c.applied}`);
    t.equal((stack.sim.store.records(INDICATORS)?.length ?? 0) - before, c.applied, `${name}: the store changed by what was applied`);
  }
  stack.sim.faults.clear();
});

t.test('updates, deletes, links and unlinks whose answer was lost: retried, done once', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const { sim } = stack;
  const [indicator] = addIndicators(stack, 1, 'retry');
  const incident = 'BC6E2562367D08417D67FAECB5841C25';
  const lost: FaultSpec = { kind: 'reset-after' };

  sim.faults.script({ method: 'PATCH', set: INDICATORS, fault: lost });
  const update = await stack.run('update_record', { object: 'frs_Indicator', record_id: indicator!, fields: { Confidence: 'High' } });
  t.equal(update.status, 200, update.body.error ?? 'updated');
  t.equal(update.body.output.record.Confidence, 'High');
  t.same(update.entries.map((e) => `${e.method} ${e.applied}`), ['PATCH true', 'PATCH true'], 'retried; the same change twice is the same record');

  sim.faults.script({ method: 'PATCH', set: 'incidents', fault: lost });
  const link = { object: 'Incident', record_id: incident, relationship: 'IncidentAssociatesIndicator', related_record_id: indicator! };
  const linked = await stack.run('link_records', link);
  t.same(linked.body.output, { success: true, changed: true }, linked.body.error ?? 'linked');
  t.same(sim.store.related('incidents', incident, 'IncidentAssociatesIndicator')?.filter((r) => r.RecId === indicator).length, 1, 'one link');

  sim.faults.script({ method: 'DELETE', set: 'incidents', fault: lost });
  const unlinked = await stack.run('unlink_records', link);
  t.same(unlinked.body.output, { success: true, changed: true }, unlinked.body.error ?? 'unlinked');
  t.same(sim.store.related('incidents', incident, 'IncidentAssociatesIndicator')?.filter((r) => r.RecId === indicator), []);

  sim.faults.script({ method: 'DELETE', set: INDICATORS, fault: lost });
  const deleted = await stack.run('delete_record', { object: 'frs_Indicator', record_id: indicator! });
  t.same(deleted.body.output, { success: true }, deleted.body.error ?? 'deleted');
  t.match(deleted.body.log, /already gone: an earlier attempt of this request deleted it/);
  t.equal(sim.store.findRecord(INDICATORS, indicator!), undefined);
});
