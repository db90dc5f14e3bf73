/**
 * The generic record actions end to end (get, search, create, update, delete on any business
 * object): InsightConnect envelopes posted to the runtime's HTTP server, the plugin calling the
 * simulator, and the simulator's journal showing exactly what reached ISM.
 */
import { fileURLToPath } from 'node:url';
import t, { type Test } from 'tap';
import { loadSpecFile } from '../../src/spec/load.js';
import { RECORDS, SEED, filterOf, shape, startStack, type Json, type StepAnswer } from './helpers.js';

function ok(t: Test, r: StepAnswer): Json {
  t.equal(r.status, 200, r.body.error ?? 'answered 200');
  t.equal(r.body.status, 'ok');
  return r.body.output as Json;
}

function refused(t: Test, r: StepAnswer, pattern: RegExp, status = 400): void {
  t.equal(r.status, status, `answered ${status}`);
  t.equal(r.body.status, 'error');
  t.match(r.body.error, pattern);
}

const noBlank = (record: Json): boolean => Object.values(record).every((v) => v !== null && v !== '');

t.test('object and relationship names: the spec states their form in words (no pattern), the plugin enforces it', async (t) => {
  const spec = loadSpecFile(fileURLToPath(new URL('../../plugin.spec.yaml', import.meta.url)));
  const stack = await startStack();
  t.teardown(() => stack.close());
  for (const action of spec.actions.filter((a) => a.input.some((p) => p.name === 'object'))) {
    const object = action.input.find((p) => p.name === 'object')!;
    t.equal(object.pattern, undefined, `${action.name}.object: no pattern (Rapid7's validators refuse one)`);
    t.match(object.description, 'a letter, then up to 99 letters, digits or underscores', `${action.name}.object: the form in words`);
    const relationship = action.input.find((p) => p.name === 'relationship');
    if (relationship) t.equal(relationship.pattern, undefined, `${action.name}.relationship: no pattern`);
  }
  const r = await stack.run('get_record', { object: 'Prob lem', record_id: RECORDS.problem5001 });
  refused(t, r, /'object' must be a business object name/);
  t.equal(r.entries.length, 0, 'refused before anything reached ISM');
});

t.test('get_record', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());

  t.test('by record ID: one GET of the record, named by ISM’s collection rule', async (t) => {
    const r = await stack.run('get_record', { object: 'CI#Computer', record_id: RECORDS.laptopUser.toLowerCase() });
    const { record } = ok(t, r);
    t.same(shape(r.entries), [`GET ci__computers(${RECORDS.laptopUser})`]);
    t.match(r.entries[0]!.path, /\/CI__Computers\('9EFDD86E4BBC00B07B639F52737B8BBF'\)$/, 'CI#Computer → CI__Computers, the RecId in upper case');
    t.match(record, { Name: 'LT-SF-0042', Status: 'Production', RecId: RECORDS.laptopUser });
    t.ok(noBlank(record), 'no null or empty fields');
    t.notOk('Description' in record, 'an empty field is left out');
  });

  t.test('by a field’s exact value: one filtered GET of at most two rows', async (t) => {
    const r = await stack.run('get_record', { object: 'Problem', field: 'ProblemNumber', value: '5002' });
    t.equal(ok(t, r).record.RecId, RECORDS.problem5002);
    t.same(shape(r.entries), ['GET problems']);
    t.equal(filterOf(r.entries[0]), "ProblemNumber eq '5002'");
    t.equal(r.entries[0]!.query.$top, '2');
    const both = await stack.run('get_record', { object: 'Problem', record_id: RECORDS.problem5001, field: 'Status', value: 'investigation' });
    t.equal(ok(t, both).record.ProblemNumber, 5001);
    t.equal(filterOf(both.entries[0]), `(RecId eq '${RECORDS.problem5001}' and Status eq 'investigation')`);
    const custom = await stack.run('get_record', { object: 'frs_Indicator', field: 'IndicatorValue', value: '203.0.113.45' });
    t.equal(ok(t, custom).record.RecId, RECORDS.ipIndicator);
  });

  t.test('not found, several found, and inputs that cannot name a record', async (t) => {
    refused(t, await stack.run('get_record', { object: 'Problem', record_id: RECORDS.vpnGateway }), /Problem has no record with the ID B60F4F42E41AB90A1107BFEA94D3FF67 given in 'record_id'/);
    refused(t, await stack.run('get_record', { object: 'Problem', field: 'ProblemNumber', value: '9999' }), /No Problem has ProblemNumber equal to "9999"/);
    refused(t, await stack.run('get_record', { object: 'Problem', record_id: RECORDS.problem5003, field: 'Status', value: 'Investigation' }), /No Problem has Status equal to "Investigation" and the RecId/);
    refused(t, await stack.run('get_record', { object: 'CI#Computer', field: 'Status', value: 'Production' }), /More than one CI#Computer has Status equal to "Production"/);
    for (const [input, pattern] of [
      [{ object: 'Problem' }, /Give 'record_id', or 'field' and 'value'/],
      [{ object: 'Problem', field: 'Status' }, /'value' is required with 'field'/],
      [{ object: 'Problem', value: 'x' }, /'field' is required with 'value'/],
      [{ object: 'Problem', record_id: '5001' }, /'record_id' must be an ISM record ID, 32 hexadecimal characters .*got "5001"/],
      [{ object: 'Problem', field: "Status' or 'a' eq 'a", value: 'x' }, /'field' names a field ISM cannot have/],
      [{ object: 'Problem', field: 'Owner', value: '$NULL' }, /'value' is the text '\$NULL'/],
    ] as const) {
      const r = await stack.run('get_record', input);
      refused(t, r, pattern);
      t.same(r.entries, [], `${JSON.stringify(input)}: nothing sent to ISM`);
    }
  });

  t.test('an object the tenant does not have: a 404 explained', async (t) => {
    const r = await stack.run('get_record', { object: 'Problems', record_id: RECORDS.problem5001 });
    refused(t, r, /ISM has no business object 'Problems': it answered 404 for its collection 'Problemss'.*give Problem, not Problems/);
    t.equal(r.body.exception.cause.includes('connection URL does not lead'), false, 'not blamed on the URL');
  });
});

t.test('search_records', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());

  t.test('filter, keyword and date range in one escaped query, paged by RecId', async (t) => {
    const r = await stack.run('search_records', {
      object: 'Problem#',
      filter: { Status: 'Investigation', Owner: 'srivera' },
      keyword: 'VPN',
      date_field: 'CreatedDateTime',
      from: '2026-11-01T00:00:00Z',
      to: '2026-12-01T00:00:00Z',
    });
    const out = ok(t, r);
    t.same(out.records.map((p: Json) => p.ProblemNumber), [5001]);
    t.equal(out.count, 1);
    t.same(shape(r.entries), ['GET problems'], 'Problem# → Problems');
    const e = r.entries[0]!;
    t.equal(filterOf(e), "(((Status eq 'Investigation' and Owner eq 'srivera') and CreatedDateTime ge 2026-11-01T00:00:00Z) and CreatedDateTime lt 2026-12-01T00:00:00Z)");
    t.same([e.query.$search, e.query.$orderby, e.query.$top], ['VPN', 'RecId asc', '100']);
  });

  t.test('values keep their JSON types; null is an empty field', async (t) => {
    const r = await stack.run('search_records', { object: 'frs_Indicator', filter: { IsBlocked: true, Hits: 14 } });
    t.same(ok(t, r).records.map((x: Json) => x.RecId), [RECORDS.ipIndicator]);
    t.equal(filterOf(r.entries[0]), '(IsBlocked eq true and Hits eq 14)');
    const empty = await stack.run('search_records', { object: 'CI#Computer', filter: { Owner: null } });
    t.same(ok(t, empty).records.map((x: Json) => x.Name), ['WS-NY-0210']);
    t.equal(filterOf(empty.entries[0]), "Owner eq '$NULL'");
  });

  t.test('no match is an empty list, whichever way ISM says it', async (t) => {
    for (const noRows of ['ism', 'empty-body', 'empty-array', 'string-value'] as const) {
      stack.sim.behaviour.noRows = noRows;
      const r = await stack.run('search_records', { object: 'Change', filter: { Status: 'Cancelled' } });
      t.same(ok(t, r), { records: [], count: 0, truncated: false }, noRows);
    }
    stack.sim.behaviour.noRows = 'ism';
  });

  t.test('max_results: many pages, in RecId order, none twice; bounds enforced with the field named', async (t) => {
    const made: string[] = [];
    for (let i = 0; i < 230; i++) made.push(String(stack.sim.store.createRecord('frs_indicators', { IndicatorValue: `198.51.100.${i}`, IndicatorType: 'IP Address' }).RecId));
    const r = await stack.run('search_records', { object: 'frs_Indicator', filter: { IndicatorType: 'IP Address' }, max_results: 10_000 });
    const ids = ok(t, r).records.map((x: Json) => x.RecId as string);
    t.equal(ids.length, 231, 'all 230 new ones and the seeded one');
    t.same(ids, [...ids].sort(), 'in RecId order');
    t.equal(new Set(ids).size, ids.length, 'none twice');
    t.same(r.entries.map((e) => e.query.$top), ['100', '100', '100']);
    t.match(filterOf(r.entries[1]), /^\(IndicatorType eq 'IP Address' and RecId gt '[0-9A-F]{32}'\)$/, 'the next page starts after the last RecId read');
    const capped = await stack.run('search_records', { object: 'frs_Indicator', max_results: 150 });
    t.equal(ok(t, r).truncated, false, 'all of them: not truncated');
    t.equal(ok(t, capped).count, 150);
    t.equal(ok(t, capped).truncated, true, 'more match than max_results let through');
    t.same(capped.entries.map((e) => e.query.$top), ['100', '50', '1'], 'never more than asked for, and one row to tell whether more match');
    for (const max of [0, -1, 10_001]) {
      const bad = await stack.run('search_records', { object: 'Problem', max_results: max });
      refused(t, bad, /'max_results' must be a whole number from 1 to 10,000/);
      t.same(bad.entries, [], `${max}: nothing sent`);
    }
  });

  t.test('date ranges and filters that cannot be sent', async (t) => {
    for (const [input, pattern] of [
      [{ from: '2026-01-01T00:00:00Z' }, /'date_field' is required with 'from' or 'to'/],
      [{ date_field: 'CreatedDateTime' }, /'date_field' needs 'from', 'to' or both/],
      [{ date_field: 'CreatedDateTime', from: '2026-02-30' }, /'from' must be an ISO 8601 date-time/],
      [{ date_field: 'CreatedDateTime', from: '2026-03-01T00:00:00Z', to: '2026-02-01T00:00:00Z' }, /'from' .* must be earlier than 'to'/],
      [{ filter: { 'Status eq': 'x' } }, /'filter' names a field ISM cannot have/],
      [{ filter: { Status: ['Active', 'Logged'] } }, /'filter.Status' must be text, a number, true, false or null/],
      [{ filter: { Status: { eq: 'Active' } } }, /'filter.Status' must be text/],
    ] as const) {
      const r = await stack.run('search_records', { object: 'Problem', ...input });
      refused(t, r, pattern);
      t.same(r.entries, [], `${JSON.stringify(input)}: nothing sent`);
    }
  });
});

t.test('create_record, update_record and delete_record', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const { sim } = stack;

  t.test('create: the fields as given, one POST, the record back without empty fields', async (t) => {
    const fields = { Subject: 'Disk full on the mail server', Description: 'Every night at 02:00.', Category: 'Email', Impact: 'High', Urgency: 'High', Owner: 'jsmith' };
    const r = await stack.run('create_record', { object: 'Problem', fields });
    const { record } = ok(t, r);
    t.same(shape(r.entries), ['POST problems']);
    t.same(r.entries[0]!.body, fields);
    t.match(record, { ProblemNumber: 5004, Priority: '1', OwnerTeam: 'Network Operations' });
    t.ok(noBlank(record));
    t.equal(sim.store.findRecord('problems', record.RecId)?.Subject, fields.Subject);
    const task = await stack.run('create_record', { object: 'Task#Assignment', fields: { Subject: 'Clean the disk', ParentLink_RecID: record.RecId, ParentLink_Category: 'Problem' } });
    t.match(ok(t, task).record, { ParentLink_RecID: record.RecId, ParentLink_Category: 'Problem' });
  });

  t.test("create: ISM's refusals, explained", async (t) => {
    const before = sim.store.records('problems')?.length;
    refused(t, await stack.run('create_record', { object: 'Problem', fields: { Subject: 's', Description: 'd', Category: 'Plumbing' } }), /'Plumbing' is not a valid Category in this tenant \(ISM: value not in the validation list of Problem.Category\)/);
    refused(t, await stack.run('create_record', { object: 'Problem', fields: { Subject: 's' } }), /ISM requires the field Description/);
    refused(t, await stack.run('create_record', { object: 'Problem', fields: { Subject: 's', Description: 'd', Category: 'Email', Colour: 'red' } }), /The property 'Colour' does not exist on type 'Problem'/);
    refused(t, await stack.run('create_record', { object: 'Task', fields: { Subject: 's' } }), /base type Task#/);
    refused(t, await stack.run('create_record', { object: 'frs_Nothing', fields: { Name: 'x' } }), /ISM has no business object 'frs_Nothing'/);
    t.equal(sim.store.records('problems')?.length, before, 'nothing created');
    for (const [fields, pattern] of [
      [{}, /'fields' must name at least one field/],
      [{ 'Subject)': 'x' }, /'fields' names a field ISM cannot have/],
      [{ Subject: { nested: true } }, /'fields.Subject' must be text, a number, true, false or null/],
      [{ Subject: [1] }, /'fields.Subject' must be text/],
    ] as const) {
      const r = await stack.run('create_record', { object: 'Problem', fields });
      refused(t, r, pattern);
      t.same(r.entries, [], 'nothing sent');
    }
  });

  t.test('update: a PATCH of the fields given; a 204 is read back', async (t) => {
    const r = await stack.run('update_record', { object: 'Change', record_id: RECORDS.change7001, fields: { Risk: 'high' } });
    t.equal(ok(t, r).record.Risk, 'High');
    t.same(shape(r.entries), [`PATCH changes(${RECORDS.change7001})`]);
    t.same(r.entries[0]!.body, { Risk: 'high' });
    sim.behaviour.updateAnswer = 'no-content';
    const quiet = await stack.run('update_record', { object: 'CI#Computer', record_id: RECORDS.laptopUser, fields: { Status: 'Quarantined', IPAddress: null } });
    t.same(shape(quiet.entries), [`PATCH ci__computers(${RECORDS.laptopUser})`, `GET ci__computers(${RECORDS.laptopUser})`]);
    const record = ok(t, quiet).record;
    t.equal(record.Status, 'Quarantined');
    t.notOk('IPAddress' in record, 'set to null, so left out');
    sim.faults.script({ method: 'GET', set: 'changes', times: 'always', fault: { kind: 'status', status: 503 } });
    const unread = await stack.run('update_record', { object: 'Change', record_id: RECORDS.change7001, fields: { Risk: 'Low' } });
    sim.faults.clear();
    refused(t, unread, /ISM saved the change to Change 93FE593C9CA650D690C5D2AD8B300D30, but reading the record back failed: .*503.*no need to run it again/);
    t.equal(unread.entries.filter((e) => e.method === 'PATCH').length, 1, 'one PATCH');
    t.equal(sim.store.findRecord('changes', RECORDS.change7001)?.Risk, 'Low', 'the change was saved');
    sim.behaviour.updateAnswer = 'record';
  });

  t.test('update: prompts, unknown records and read-only roles explained', async (t) => {
    refused(t, await stack.run('update_record', { object: 'Problem', record_id: RECORDS.problem5001, fields: { Status: 'Resolved' } }), /ISM needs more fields to save this change to Problem .*Resolution/);
    refused(t, await stack.run('update_record', { object: 'Problem', record_id: SEED.incident10001, fields: { Status: 'Active' } }), /Problem has no record with the ID BC6E2562367D08417D67FAECB5841C25/);
  });

  t.test('delete: 204 or 200 {}; an unknown record explained', async (t) => {
    const r = await stack.run('delete_record', { object: 'frs_Indicator', record_id: RECORDS.domainIndicator });
    t.same(ok(t, r), { success: true });
    t.same(shape(r.entries), [`DELETE frs_indicators(${RECORDS.domainIndicator})`]);
    t.equal(sim.store.findRecord('frs_indicators', RECORDS.domainIndicator), undefined);
    sim.behaviour.deleteAnswer = 'empty-object';
    t.same(ok(t, await stack.run('delete_record', { object: 'Task#Assignment', record_id: RECORDS.task30001 })), { success: true });
    sim.behaviour.deleteAnswer = 'no-content';
    refused(t, await stack.run('delete_record', { object: 'frs_Indicator', record_id: RECORDS.domainIndicator }), /frs_Indicator has no record with the ID 357C2969288D70C4865660B3121DB0AA/);
  });
});
