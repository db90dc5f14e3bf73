/**
 * Search Incidents end to end, against a tenant of 280 incidents: the criteria in one escaped
 * `$filter` (read back from the simulator's parsed filter), the keyword in `$search`, pages of
 * 100 by key (IncidentNumber ascending, each page after the last number read) until a short page
 * or max_results, every "no rows" encoding,
 * injection attempts arriving as one literal, and paging through faults.
 */
import t, { type Test } from 'tap';
import { builtInSeed, formatTimestamp, type FieldMap, type JournalEntry, type SeedData } from '../../src/simulator/index.js';
import { KEY, SEED, filterOf, shape, startStack, stringLiterals, type Json, type StepAnswer } from './helpers.js';

const BATCH = 273;
const BATCH_START = Date.UTC(2025, 0, 1);
const SIOBHAN_EMAIL = "siobhan.o'neill@example.com";

/** The built-in tenant plus 273 incidents numbered from 20001, one hour apart from 2025-01-01. */
function seed(): SeedData {
  const data = builtInSeed();
  for (let i = 0; i < BATCH; i++) {
    data.incidents!.push({
      IncidentNumber: 20001 + i,
      Subject: `Batch ${i}: ${i % 5 === 0 ? 'phishing email reported' : 'printer toner low'}`,
      Symptom: 'Generated for the search tests.',
      ProfileLink: i % 2 === 0 ? SEED.exampleUser : SEED.siobhan,
      Owner: i % 3 === 0 ? 'jsmith' : 'jdoe',
      Status: i % 4 === 0 ? 'Active' : 'Logged',
      Category: 'Network',
      TypeOfIncident: 'Failure',
      CreatedBy: 'jdoe',
      CreatedDateTime: formatTimestamp(new Date(BATCH_START + i * 3_600_000), 0),
    });
  }
  return data;
}

const hoursAfterStart = (h: number) => new Date(BATCH_START + h * 3_600_000).toISOString().replace('.000Z', 'Z');

function numbersOf(r: StepAnswer): number[] {
  return (r.body.output.data as Json[]).map((i) => i.IncidentNumber as number);
}

function incidentGets(r: StepAnswer): JournalEntry[] {
  return r.entries.filter((e) => e.method === 'GET' && e.set === 'incidents');
}

/** The key a page starts after (`IncidentNumber gt N`), or '-' for the first page. */
function keyOf(e: JournalEntry): string {
  return /IncidentNumber gt (\d+)/.exec(e.query.$filter ?? '')?.[1] ?? '-';
}

/** `$top/key` of each incidents page read. */
function pages(r: StepAnswer): string[] {
  return incidentGets(r).map((e) => `${e.query.$top}/${keyOf(e)}`);
}

function ok(t: Test, r: StepAnswer): void {
  t.equal(r.status, 200, r.body.error ?? 'answered 200');
  t.equal(r.body.status, 'ok');
  t.equal(r.body.output.count, r.body.output.data.length, 'count is the number returned');
}

function ascending(numbers: number[]): boolean {
  return numbers.every((n, i) => i === 0 || n > numbers[i - 1]!);
}

t.test('search_incidents', async (t) => {
  const stack = await startStack({ sim: { seed: seed() } });
  t.teardown(() => stack.close());
  const { sim } = stack;
  const all = (): FieldMap[] => sim.store.incidents().sort((a, b) => (a.IncidentNumber as number) - (b.IncidentNumber as number));
  const numbersWhere = (match: (i: FieldMap) => boolean) => all().filter(match).map((i) => i.IncidentNumber as number);
  t.equal(all().length, 280);

  t.test('at least one criterion: an error before any ISM call', async (t) => {
    for (const input of [{}, { max_results: 5 }, { keyword: '', customer: '   ', assignee: '', created_after: ' ' }]) {
      const r = await stack.run('search_incidents', input);
      t.equal(r.status, 400, JSON.stringify(input));
      t.equal(r.body.status, 'error');
      t.match(r.body.exception.cause, /at least one search criterion: keyword, status, customer, assignee, created_after, created_before/);
      t.same(r.entries, [], 'nothing reached ISM');
    }
  });

  t.test('status alone: one filter, ordered by IncidentNumber, one short page', async (t) => {
    const r = await stack.run('search_incidents', { status: 'Active' });
    ok(t, r);
    t.same(shape(r.entries), ['GET incidents']);
    const e = r.entries[0]!;
    t.equal(filterOf(e), "Status eq 'Active'");
    t.equal(e.query.$orderby, 'IncidentNumber asc');
    t.equal(e.query.$top, '100');
    t.notOk('$skip' in e.query, 'never $skip');
    t.notOk('$search' in e.query);
    t.same(numbersOf(r), numbersWhere((i) => i.Status === 'Active'));
    t.equal(r.body.output.count, 71);
    for (const incident of r.body.output.data as Json[]) t.notOk(Object.values(incident).some((v) => v === null || v === ''), 'no blank values');
  });

  t.test('customer alone: looked up by exact email or login (the quote escaped), then by RecId', async (t) => {
    const r = await stack.run('search_incidents', { customer: SIOBHAN_EMAIL, max_results: 1000 });
    ok(t, r);
    t.same(shape(r.entries), ['GET employees', 'GET incidents', 'GET incidents']);
    t.equal(r.entries[0]!.query.$filter, "PrimaryEmail eq 'siobhan.o''neill@example.com' or LoginID eq 'siobhan.o''neill@example.com'", 'the quote doubled on the wire');
    t.same(stringLiterals(r.entries[0]!.filter?.ast), [SIOBHAN_EMAIL, SIOBHAN_EMAIL], 'each literal read back whole');
    t.equal(filterOf(r.entries[1]), `ProfileLink_RecID eq '${SEED.siobhan}'`);
    t.same(numbersOf(r), numbersWhere((i) => i.ProfileLink === SEED.siobhan));
    t.equal(r.body.output.count, 137);
  });

  t.test('assignee alone: by login ID, display name or email, always the Owner login', async (t) => {
    const expected = numbersWhere((i) => i.Owner === 'jsmith');
    for (const assignee of ['jsmith', 'John Smith', 'john.smith@example.com']) {
      const r = await stack.run('search_incidents', { assignee, max_results: 1000 });
      ok(t, r);
      t.equal(filterOf(incidentGets(r)[0]), "Owner eq 'jsmith'", assignee);
      t.same(numbersOf(r), expected);
    }
  });

  t.test('created_after and created_before alone, as date-time literals', async (t) => {
    const after = await stack.run('search_incidents', { created_after: hoursAfterStart(250) });
    ok(t, after);
    t.equal(filterOf(after.entries[0]), `CreatedDateTime gt ${hoursAfterStart(250)}`);
    t.same(numbersOf(after), numbersWhere((i) => (i.IncidentNumber as number) < 20000 || (i.IncidentNumber as number) > 20251), 'strictly after: 20252 on, and the 2026 seed incidents');
    t.equal(numbersOf(after)[0], 10001, 'the seed incidents (created in 2026) come first by number');

    const before = await stack.run('search_incidents', { created_before: hoursAfterStart(3) });
    ok(t, before);
    t.equal(filterOf(before.entries[0]), `CreatedDateTime lt ${hoursAfterStart(3)}`);
    t.same(numbersOf(before), [20001, 20002, 20003], 'strictly before');

    const offset = await stack.run('search_incidents', { created_before: '2025-01-01T05:00:00+03:00' });
    ok(t, offset);
    t.same(numbersOf(offset), [20001, 20002], 'an offset is honoured (02:00 UTC)');
    const dateOnly = await stack.run('search_incidents', { created_before: '2025-01-01' });
    ok(t, dateOnly);
    t.same(numbersOf(dateOnly), [], 'a date alone is its midnight UTC');
  });

  t.test('keyword alone: $search, no $filter', async (t) => {
    const r = await stack.run('search_incidents', { keyword: 'phishing', max_results: 1000 });
    ok(t, r);
    const e = r.entries[0]!;
    t.equal(e.query.$search, 'phishing');
    t.notOk('$filter' in e.query);
    t.equal(e.query.$orderby, 'IncidentNumber asc');
    const found = numbersOf(r);
    t.ok(ascending(found));
    const batch = numbersWhere((i) => (i.IncidentNumber as number) > 20000 && String(i.Subject).includes('phishing'));
    t.equal(batch.length, 55);
    t.ok(batch.every((n) => found.includes(n)), 'every batch incident about phishing');
    t.notOk(found.some((n) => n > 20000 && !batch.includes(n)), 'and no batch incident about toner');
  });

  t.test('every criterion at once: ONE filter, the keyword beside it', async (t) => {
    const r = await stack.run('search_incidents', {
      keyword: 'phishing',
      status: 'Active',
      customer: 'user@example.com',
      assignee: 'jsmith',
      created_after: hoursAfterStart(10),
      created_before: hoursAfterStart(200),
      max_results: 1000,
    });
    ok(t, r);
    t.same(shape(r.entries).sort(), ['GET employees', 'GET incidents'], 'customer and assignee in one lookup, then the search');
    const e = incidentGets(r)[0]!;
    t.equal(e.query.$search, 'phishing');
    t.equal(e.query.$orderby, 'IncidentNumber asc');
    t.equal(
      filterOf(e),
      `((((Status eq 'Active' and ProfileLink_RecID eq '${SEED.exampleUser}') and Owner eq 'jsmith') and CreatedDateTime gt ${hoursAfterStart(10)}) and CreatedDateTime lt ${hoursAfterStart(200)})`,
    );
    // Active: i % 4 == 0; the example user: i even; jsmith: i % 3 == 0; phishing: i % 5 == 0; 10 < i < 200.
    const expected: number[] = [];
    for (let i = 11; i < 200; i++) if (i % 4 === 0 && i % 3 === 0 && i % 5 === 0) expected.push(20001 + i);
    t.same(numbersOf(r), expected);
    t.ok(expected.length >= 3);
  });

  t.test('paging: pages of 100 by key, until max_results or a short page', async (t) => {
    const everything = { created_after: '2000-01-01T00:00:00Z' };
    const allNumbers = all().map((i) => i.IncidentNumber as number);
    const [k1, k2] = [String(allNumbers[99]), String(allNumbers[199])];
    const after = (n: number) => String(allNumbers[n - 1]);
    // A last page that ends exactly at max_results is followed by a read of one row, which
    // says whether more incidents match (truncated); a short page needs none.
    const cases: Array<[number, string[], number, boolean]> = [
      [150, ['100/-', `50/${k1}`, `1/${after(150)}`], 150, true],
      [250, ['100/-', `100/${k1}`, `50/${k2}`, `1/${after(250)}`], 250, true],
      [200, ['100/-', `100/${k1}`, `1/${k2}`], 200, true],
      [280, ['100/-', `100/${k1}`, `80/${k2}`, `1/${after(280)}`], 280, false],
      [1000, ['100/-', `100/${k1}`, `100/${k2}`], 280, false],
      [100, ['100/-', `1/${k1}`], 100, true],
      [7, ['7/-', `1/${after(7)}`], 7, true],
    ];
    t.equal(allNumbers.length, 280, 'the cases assume 280 incidents');
    for (const [max, expectedPages, count, truncated] of cases) {
      const r = await stack.run('search_incidents', { ...everything, max_results: max });
      ok(t, r);
      t.same(pages(r), expectedPages, `max_results ${max}: ${expectedPages.join(' ')}`);
      t.equal(r.body.output.count, count);
      t.equal(r.body.output.truncated, truncated, `max_results ${max}: truncated ${truncated}`);
      t.same(numbersOf(r), allNumbers.slice(0, count), 'the first ones by number, none twice');
      for (const e of incidentGets(r)) t.equal(e.query.$orderby, 'IncidentNumber asc');
    }
    const defaulted = await stack.run('search_incidents', everything);
    t.equal(defaulted.body.output.count, 100, 'max_results defaults to 100');
  });

  t.test('a full last page is followed by one more read, which finds nothing', async (t) => {
    // Exactly 200 incidents: the batch's first 200 hours.
    const window = { created_after: '2024-12-31T23:30:00Z', created_before: hoursAfterStart(199.5), max_results: 10_000 };
    t.teardown(() => void (sim.behaviour.noRows = 'ism'));
    for (const mode of ['ism', 'empty-body', 'empty-array', 'string-value'] as const) {
      sim.behaviour.noRows = mode;
      const r = await stack.run('search_incidents', window);
      ok(t, r);
      t.same(pages(r), ['100/-', '100/20100', '100/20200'], mode);
      t.equal(r.body.output.count, 200, mode);
      t.same(numbersOf(r), Array.from({ length: 200 }, (_, i) => 20001 + i));
    }
  });

  t.test('no match is an empty list, not an error, under every "no rows" encoding', async (t) => {
    t.teardown(() => void (sim.behaviour.noRows = 'ism'));
    const inputs: Json[] = [{ status: 'Closed', assignee: 'jsmith' }, { keyword: 'zebra-crossing-quux' }, { created_before: '1999-01-01T00:00:00Z' }];
    for (const mode of ['ism', 'empty-body', 'empty-array', 'string-value'] as const) {
      sim.behaviour.noRows = mode;
      for (const input of inputs) {
        const r = await stack.run('search_incidents', input);
        t.equal(r.status, 200, `${mode} ${JSON.stringify(input)}`);
        t.same(r.body.output, { data: [], count: 0, truncated: false }, `${mode} ${JSON.stringify(input)}`);
        t.equal(incidentGets(r).length, 1, 'one read');
      }
    }
  });

  t.test('injection through keyword, customer and assignee arrives as one literal', async (t) => {
    const keywords = ["x' or 1 eq 1 or Subject eq '", "phishing') or (IncidentNumber gt 0", 'a&$filter=IncidentNumber gt 0', 'x%27%20or%201%20eq%201', "'; DROP TABLE incidents; --"];
    for (const keyword of keywords) {
      const r = await stack.run('search_incidents', { keyword });
      t.equal(r.status, 200, keyword);
      const e = r.entries[0]!;
      t.equal(e.query.$search, keyword, 'the keyword is $search, whole');
      t.notOk('$filter' in e.query, 'it never becomes a filter');
      t.same(Object.keys(e.query).sort(), ['$orderby', '$search', '$top'], 'and adds no query option');
    }
    const people: Array<[string, string]> = [
      ['customer', "nobody' or PrimaryEmail ne 'x@example.com"],
      ['customer', "x@example.com' or '1' eq '1"],
      ['assignee', "jdoe' or LoginID ne '"],
      ['assignee', "John Doe') or (1 eq 1"],
    ];
    for (const [input, value] of people) {
      const r = await stack.run('search_incidents', { [input]: value });
      t.equal(r.status, 400, `${input} ${value}`);
      t.match(r.body.exception.cause, /No ISM employee has/);
      const lookup = r.entries.find((e) => e.set === 'employees')!;
      t.ok(lookup.filter?.ast, 'the lookup filter parsed');
      t.ok(stringLiterals(lookup.filter?.ast).every((literal) => literal === value), 'every literal is the whole input');
      t.equal(incidentGets(r).length, 0, 'no incidents were read');
    }
    const status = await stack.run('search_incidents', { status: "Logged' or 1 eq 1 or Status eq '" });
    t.equal(status.status, 400, 'status is one of its listed values');
    t.same(status.entries, []);
  });

  t.test('invalid dates are refused before any ISM call, naming the field', async (t) => {
    const cases: Array<[string, string]> = [
      ['created_after', 'yesterday'],
      ['created_after', 'May 3, 2026'],
      ['created_before', '2026-13-01T00:00:00Z'],
      ['created_before', '2026-02-30T00:00:00Z'],
      ['created_after', '2025-02-29'],
      ['created_after', '2026-01-31T24:00:00Z'],
      ['created_before', '2026-01-31T10:61:00Z'],
      ['created_after', '1700000000'],
    ];
    for (const [field, value] of cases) {
      const r = await stack.run('search_incidents', { status: 'Logged', [field]: value });
      t.equal(r.status, 400, `${field} ${value}`);
      t.match(r.body.exception.cause, new RegExp(`'${field}' must be an ISO 8601 date-time`), `${field} ${value}`);
      t.same(r.entries, [], 'nothing reached ISM');
    }
    const leap = await stack.run('search_incidents', { created_after: '2024-02-29T12:00:00Z', created_before: '2025-01-01T01:30:00Z' });
    ok(t, leap);
    t.same(numbersOf(leap), [20001, 20002], 'a real leap day is fine');
  });

  t.test('max_results out of range is refused by the input schema', async (t) => {
    for (const max_results of [0, 10_001, 2.5]) {
      const r = await stack.run('search_incidents', { status: 'Logged', max_results });
      t.equal(r.status, 400, String(max_results));
      t.match(r.body.error, /max_results/);
      t.same(r.entries, []);
    }
  });

  t.test('paging under faults: a 503 on a later page is retried; the result is complete, without duplicates', async (t) => {
    t.teardown(() => sim.faults.clear());
    const everything = { created_after: '2000-01-01T00:00:00Z', max_results: 1000 };
    const allNumbers = all().map((i) => i.IncidentNumber as number);
    // The first page goes through (a zero latency is no fault); the second answers 503 twice.
    sim.faults.script([
      { method: 'GET', set: 'incidents', times: 1, fault: { kind: 'latency', ms: 0 } },
      { method: 'GET', set: 'incidents', times: 2, fault: { kind: 'status', status: 503 } },
    ]);
    const r = await stack.run('search_incidents', everything);
    ok(t, r);
    const [k1, k2] = [String(allNumbers[99]), String(allNumbers[199])];
    t.same(incidentGets(r).map((e) => `${keyOf(e)}:${e.status}`), ['-:200', `${k1}:503`, `${k1}:503`, `${k1}:200`, `${k2}:200`]);
    t.same(numbersOf(r), allNumbers, 'complete, in order, none twice');

    const injected = sim.faults.counts().total;
    for (const seedValue of [1, 2, 3]) {
      sim.faults.random({
        seed: seedValue,
        rate: 0.25,
        method: 'GET',
        set: 'incidents',
        kinds: ['latency', 'reset-before', 'reset-after', 'invalid-json', { kind: 'status', status: 503 }, { kind: 'status', status: 502 }, { kind: 'status', status: 429, retryAfter: 0 }],
      });
      const faulty = await stack.run('search_incidents', everything);
      ok(t, faulty);
      t.same(numbersOf(faulty), allNumbers, `seed ${seedValue}: complete, in order, none twice`);
    }
    t.ok(sim.faults.counts().total - injected >= 2, `faults were injected (${sim.faults.counts().total - injected})`);
  });

  t.test('a page lost to an empty 200 answer is not mistaken for the end', async (t) => {
    t.teardown(() => sim.faults.clear());
    const allNumbers = all().map((i) => i.IncidentNumber as number);
    sim.faults.script([
      { method: 'GET', set: 'incidents', times: 1, fault: { kind: 'latency', ms: 0 } },
      { method: 'GET', set: 'incidents', times: 1, fault: { kind: 'empty-body' } },
    ]);
    const r = await stack.run('search_incidents', { created_after: '2000-01-01T00:00:00Z', max_results: 1000 });
    ok(t, r);
    t.same(numbersOf(r), allNumbers, 'complete');
    const [k1, k2] = [String(allNumbers[99]), String(allNumbers[199])];
    t.same(incidentGets(r).map((e) => `${keyOf(e)}:${e.fault?.kind ?? 'none'}`), ['-:latency', `${k1}:empty-body`, `${k1}:none`, `${k2}:none`], 'the empty page was read again');
    t.match(stack.logText(), /reading that page again/);

    // Where ISM's count itself says the end was reached, nothing is read twice.
    const window = { created_after: '2024-12-31T23:30:00Z', created_before: hoursAfterStart(199.5), max_results: 10_000 };
    sim.behaviour.noRows = 'empty-array';
    t.teardown(() => void (sim.behaviour.noRows = 'ism'));
    const exact = await stack.run('search_incidents', window);
    t.same(pages(exact), ['100/-', '100/20100', '100/20200'], 'one read past the end');

  });

  t.test('incidents deleted between two pages: the search ends after two more reads of the short page', async (t) => {
    t.teardown(() => {
      sim.behaviour.noRows = 'ism';
      sim.faults.clear();
    });
    sim.behaviour.noRows = 'empty-body';
    const siobhans = numbersWhere((i) => i.ProfileLink === SEED.siobhan);
    t.equal(siobhans.length, 137);
    // The second page waits in the tenant; meanwhile the last 37 of hers are deleted.
    sim.faults.script([
      { method: 'GET', set: 'incidents', times: 1, fault: { kind: 'latency', ms: 0 } },
      // Long enough for the deletions below to finish even on a busy machine.
      { method: 'GET', set: 'incidents', times: 1, fault: { kind: 'latency', ms: 1_500 } },
    ]);
    const mark = sim.journal.total;
    const running = stack.run('search_incidents', { customer: SIOBHAN_EMAIL, max_results: 1000 });
    const deadline = Date.now() + 60_000;
    while (sim.journal.since(mark).filter((e) => e.set === 'incidents').length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    const statuses = await Promise.all(
      siobhans.slice(100).map(async (n) => {
        const recId = String(sim.store.findIncidentByNumber(n)!.RecId);
        const res = await fetch(`${sim.url}/api/odata/businessobject/incidents('${recId}')`, { method: 'DELETE', headers: { Authorization: `rest_api_key=${KEY}` } });
        return res.status;
      }),
    );
    t.ok(statuses.every((s) => s === 204), 'the last 37 were deleted');
    const r = await running;
    ok(t, r);
    t.same(numbersOf(r), siobhans.slice(0, 100), 'what is left, once');
    const k1 = String(siobhans[99]);
    t.same(pages(r), ['100/-', `100/${k1}`, `100/${k1}`, `100/${k1}`], 'the empty page was read twice more, then taken as the end');
  });
});
