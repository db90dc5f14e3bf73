/**
 * Link Records, Unlink Records and List Related end to end: the link looked up first, so that a
 * link that exists already or an unlink of records that are not linked succeeds with
 * `changed: false` and writes nothing; the related records read page by page; and unknown
 * objects, records and relationship names explained.
 */
import t, { type Test } from 'tap';
import { RECORDS, SEED, filterOf, shape, startStack, type Json, type StepAnswer } from './helpers.js';

function ok(t: Test, r: StepAnswer): Json {
  t.equal(r.status, 200, r.body.error ?? 'answered 200');
  return r.body.output as Json;
}

function refused(t: Test, r: StepAnswer, pattern: RegExp): void {
  t.equal(r.status, 400);
  t.equal(r.body.status, 'error');
  t.match(r.body.error, pattern);
}

const link = { object: 'Incident', record_id: SEED.incident10002, relationship: 'IncidentAssociatesCI', related_record_id: RECORDS.laptopLondon };
const writes = (r: StepAnswer) => r.entries.filter((e) => e.method !== 'GET');

t.test('link_records and unlink_records', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const { sim } = stack;
  const linked = () => (sim.store.related('incidents', SEED.incident10002, 'IncidentAssociatesCI') ?? []).map((r) => r.RecId);

  t.test('link: the link looked up, then one PATCH of its $Ref', async (t) => {
    const r = await stack.run('link_records', link);
    t.same(ok(t, r), { success: true, changed: true });
    t.same(r.entries.map((e) => `${e.method} ${e.path.replace(/^.*businessobject\//, '')}`), [
      `GET Incidents('${SEED.incident10002}')/IncidentAssociatesCI`,
      `PATCH Incidents('${SEED.incident10002}')/IncidentAssociatesCI('${RECORDS.laptopLondon}')/$Ref`,
    ]);
    t.equal(filterOf(r.entries[0]), `RecId eq '${RECORDS.laptopLondon}'`);
    t.same(linked(), [RECORDS.laptopLondon]);
    t.same(sim.store.related('cis', RECORDS.laptopLondon, 'CIAssociatesIncident')?.map((x) => x.RecId), [SEED.incident10002], 'seen from the CI too');
  });

  t.test('link again: success, changed false, nothing written', async (t) => {
    const r = await stack.run('link_records', link);
    t.same(ok(t, r), { success: true, changed: false });
    t.same(writes(r), []);
    t.match(r.body.log, /already linked; nothing to do/);
    t.same(linked(), [RECORDS.laptopLondon], 'still one link');
  });

  t.test('unlink: one DELETE of the $Ref; again: success, changed false, nothing written', async (t) => {
    const r = await stack.run('unlink_records', link);
    t.same(ok(t, r), { success: true, changed: true });
    t.same(writes(r).map((e) => e.method), ['DELETE']);
    t.same(linked(), []);
    const again = await stack.run('unlink_records', link);
    t.same(ok(t, again), { success: true, changed: false });
    t.same(writes(again), []);
    t.match(again.body.log, /not linked; nothing to do/);
  });

  t.test('any object, from either side of the relationship', async (t) => {
    const r = await stack.run('link_records', { object: 'Problem', record_id: RECORDS.problem5003, relationship: 'ProblemAssociatesIncident', related_record_id: SEED.incident10002 });
    t.same(ok(t, r), { success: true, changed: true });
    t.same(sim.store.related('incidents', SEED.incident10002, 'IncidentAssociatesProblem')?.map((x) => x.RecId), [RECORDS.problem5003]);
    const task = await stack.run('link_records', { object: 'Change', record_id: RECORDS.change7001, relationship: 'ChangeContainsTask', related_record_id: RECORDS.task30001 });
    t.same(ok(t, task), { success: true, changed: true });
    t.equal(sim.store.findRecord('task__assignments', RECORDS.task30001)?.ParentLink_Category, 'Change', 'the task moved to the change');
  });

  t.test('unknown relationship names: the object’s relationships listed', async (t) => {
    const wrongCase = await stack.run('link_records', { ...link, relationship: 'incidentassociatesci' });
    refused(t, wrongCase, /Incident has no relationship 'incidentassociatesci'; relationship names are case-sensitive, and it has 'IncidentAssociatesCI'/);
    t.same(writes(wrongCase), []);
    const unknown = await stack.run('unlink_records', { ...link, relationship: 'IncidentAssociatesPrinter' });
    refused(t, unknown, /Incident has no relationship 'IncidentAssociatesPrinter'.*it has .*IncidentAssociatesProblem/);
    t.ok(unknown.entries.some((e) => e.path.endsWith('/api/odata/Incidents/$metadata')), 'the metadata was read to list them');
  });

  t.test('unknown records and objects', async (t) => {
    const missing = 'ABCDEF0123456789ABCDEF0123456789';
    refused(t, await stack.run('link_records', { ...link, record_id: missing }), /Incident has no record with the ID ABCDEF0123456789ABCDEF0123456789 given in 'record_id'/);
    const related = await stack.run('link_records', { ...link, related_record_id: missing });
    refused(t, related, /no record with the ID ABCDEF0123456789ABCDEF0123456789 given in 'related_record_id'/);
    refused(t, await stack.run('link_records', { ...link, object: 'Incidant' }), /ISM has no business object 'Incidant'|Incidant has no relationship/);
    refused(t, await stack.run('link_records', { ...link, related_record_id: 'not-a-recid' }), /'related_record_id' must be an ISM record ID/);
  });
});

t.test('list_related', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const { sim } = stack;

  t.test('the related records, cleaned, in RecId order', async (t) => {
    const r = await stack.run('list_related', { object: 'Incident', record_id: RECORDS.incident10006, relationship: 'IncidentAssociatesIndicator' });
    const out = ok(t, r);
    t.same(out.records.map((x: Json) => x.IndicatorValue).sort(), ['203.0.113.45', 'login-microsoftonline.example.net']);
    t.equal(out.count, 2);
    t.same(out.records.map((x: Json) => x.RecId), out.records.map((x: Json) => x.RecId).sort());
    t.ok(out.records.every((x: Json) => Object.values(x).every((v) => v !== null && v !== '')));
    t.same(shape(r.entries), [`GET incidents(${RECORDS.incident10006})`]);
    t.equal(r.entries[0]!.navigation, 'IncidentAssociatesIndicator');
  });

  t.test('"No instances found." is an empty list', async (t) => {
    const r = await stack.run('list_related', { object: 'Problem', record_id: RECORDS.problem5003, relationship: 'ProblemAssociatesChange' });
    t.same(ok(t, r), { records: [], count: 0, truncated: false });
  });

  t.test('many related records, across pages, each once, at most max_results', async (t) => {
    for (let i = 0; i < 130; i++) {
      const ci = sim.store.createRecord('ci__computers', { Name: `VM-${i}` });
      await fetch(`${sim.url}/api/odata/businessobject/problems('${RECORDS.problem5003}')/ProblemAssociatesCI('${ci.RecId}')/$Ref`, {
        method: 'PATCH',
        headers: { Authorization: `rest_api_key=${stack.connection().credentials.secretKey}` },
      });
    }
    const r = await stack.run('list_related', { object: 'Problem', record_id: RECORDS.problem5003, relationship: 'ProblemAssociatesCI', max_results: 10_000 });
    const ids = ok(t, r).records.map((x: Json) => x.RecId);
    t.equal(ids.length, 130);
    t.equal(new Set(ids).size, 130);
    t.same(r.entries.map((e) => e.query.$top), ['100', '100']);
    const capped = await stack.run('list_related', { object: 'Problem', record_id: RECORDS.problem5003, relationship: 'ProblemAssociatesCI', max_results: 5 });
    t.equal(ok(t, r).truncated, false);
    t.equal(ok(t, capped).count, 5);
    t.equal(ok(t, capped).truncated, true, 'more are related than max_results let through');
    refused(t, await stack.run('list_related', { object: 'Problem', record_id: RECORDS.problem5003, relationship: 'ProblemAssociatesCI', max_results: 10_001 }), /'max_results' must be a whole number from 1 to 10,000/);
  });
});
