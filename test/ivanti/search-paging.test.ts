/**
 * Search Incidents pages by key: each page asks for the incidents numbered above the last one
 * read, so rows that change while a search is between pages can neither shift a page (and be
 * skipped) nor repeat. Every incident that matches from start to end is returned exactly once.
 */
import t from 'tap';
import { builtInSeed, formatTimestamp, type JournalEntry, type SeedData } from '../../src/simulator/index.js';
import { KEY, SEED, filterOf, startStack, type Json, type Stack } from './helpers.js';

const FIRST = 30001;
const COUNT = 250;

/** The built-in tenant plus 250 Logged incidents numbered from 30001. */
function seed(): SeedData {
  const data = builtInSeed();
  for (let i = 0; i < COUNT; i++) {
    data.incidents!.push({
      IncidentNumber: FIRST + i,
      Subject: `Paging ${i}: suspicious login`,
      Symptom: 'Generated for the paging tests.',
      ProfileLink: SEED.exampleUser,
      Owner: 'jdoe',
      Status: 'Logged',
      Category: 'Network',
      TypeOfIncident: 'Failure',
      CreatedBy: 'jdoe',
      CreatedDateTime: formatTimestamp(new Date(Date.UTC(2025, 5, 1) + i * 60_000), 0),
    });
  }
  return data;
}

const incidentGets = (entries: JournalEntry[]) => entries.filter((e) => e.method === 'GET' && e.set === 'incidents');

async function setStatus(stack: Stack, numbers: number[], status: string): Promise<void> {
  await Promise.all(
    numbers.map(async (n) => {
      const recId = String(stack.sim.store.findIncidentByNumber(n)!.RecId);
      const res = await fetch(`${stack.sim.url}/api/odata/businessobject/incidents('${recId}')`, {
        method: 'PATCH',
        headers: { Authorization: `rest_api_key=${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ Status: status }),
      });
      if (res.status !== 200) throw new Error(`PATCH ${n} answered ${res.status}: ${await res.text()}`);
    }),
  );
}

const logged = (stack: Stack): Set<number> =>
  new Set(stack.sim.store.incidents().filter((i) => i.Status === 'Logged').map((i) => i.IncidentNumber as number));

t.test('rows changed on both sides of a page boundary while the search is between pages', async (t) => {
  const stack = await startStack({ sim: { seed: seed() } });
  t.teardown(() => stack.close());
  const { sim } = stack;
  const before = logged(stack);
  t.ok(before.size > 2 * 100, 'more than two pages match');

  // The first page goes through; the second waits in the tenant while rows change.
  sim.faults.script([
    { method: 'GET', set: 'incidents', times: 1, fault: { kind: 'latency', ms: 0 } },
    { method: 'GET', set: 'incidents', times: 1, fault: { kind: 'latency', ms: 1_500 } },
  ]);
  const mark = sim.journal.total;
  const running = stack.run('search_incidents', { status: 'Logged', max_results: 10_000 });
  while (incidentGets(sim.journal.since(mark)).length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
  const firstPage = [...before].sort((a, b) => a - b).slice(0, 100);
  // Before the boundary: five rows of the first page stop matching, one earlier row starts.
  const stoppedEarly = firstPage.slice(40, 45);
  await setStatus(stack, stoppedEarly, 'Waiting for Customer');
  await setStatus(stack, [10002], 'Logged');
  // After it: two rows stop matching.
  const stoppedLate = [FIRST + 150, FIRST + 151];
  await setStatus(stack, stoppedLate, 'Waiting for Customer');

  const r = await running;
  t.equal(r.status, 200, r.body.error ?? 'answered 200');
  const returned = (r.body.output.data as Json[]).map((i) => i.IncidentNumber as number);
  const after = logged(stack);
  const throughout = [...before].filter((n) => after.has(n)).sort((a, b) => a - b);
  const missing = throughout.filter((n) => !returned.includes(n));
  t.same(missing, [], 'every incident that matched from start to end was returned');
  t.equal(new Set(returned).size, returned.length, 'none twice');
  t.ok(returned.every((n, i) => i === 0 || n > returned[i - 1]!), 'in ascending order');
  for (const n of stoppedLate) t.notOk(returned.includes(n), `${n}, which stopped matching before its page was read, is not returned`);
  t.equal(r.body.output.count, returned.length);

  const pages = incidentGets(r.entries);
  t.ok(pages.length >= 3, 'three pages');
  for (const page of pages) {
    t.notOk('$skip' in page.query, 'no $skip');
    t.equal(page.query.$orderby, 'IncidentNumber asc');
  }
  t.equal(filterOf(pages[0]), "Status eq 'Logged'");
  t.equal(filterOf(pages[1]), `(Status eq 'Logged' and IncidentNumber gt ${firstPage.at(-1)})`, 'the next page starts after the last number read');
});

t.test('a keyword search pages by key too', async (t) => {
  const stack = await startStack({ sim: { seed: seed() } });
  t.teardown(() => stack.close());
  const r = await stack.run('search_incidents', { keyword: 'paging', max_results: 10_000 });
  t.equal(r.status, 200, r.body.error ?? 'answered 200');
  t.equal(r.body.output.count, COUNT);
  const pages = incidentGets(r.entries);
  t.same(pages.map((p) => p.query.$filter ?? ''), ['', `IncidentNumber gt ${FIRST + 99}`, `IncidentNumber gt ${FIRST + 199}`]);
  for (const page of pages) t.equal(page.query.$search, 'paging');
});

t.test('truncated says whether more incidents match than max_results let through, however the pages fall', async (t) => {
  const stack = await startStack({ sim: { seed: seed() } });
  t.teardown(() => stack.close());
  // [max_results, incidents returned, truncated, the $top of each request]
  const cases: Array<[number, number, boolean, string[]]> = [
    [10_000, COUNT, false, ['100', '100', '100']], // a short page ends it: nothing more to ask
    [COUNT, COUNT, false, ['100', '100', '50', '1']], // exactly all of them: one row more is asked for, and none comes
    [COUNT - 1, COUNT - 1, true, ['100', '100', '49', '1']],
    [100, 100, true, ['100', '1']],
    [120, 120, true, ['100', '20', '1']],
  ];
  for (const [max, count, truncated, tops] of cases) {
    const r = await stack.run('search_incidents', { keyword: 'paging', max_results: max });
    t.equal(r.status, 200, r.body.error ?? 'answered 200');
    t.equal(r.body.output.count, count, `max_results ${max}: ${count} returned`);
    t.equal(r.body.output.truncated, truncated, `max_results ${max}: truncated ${truncated}`);
    t.same(incidentGets(r.entries).map((p) => p.query.$top), tops, `max_results ${max}: the requests`);
    const numbers = (r.body.output.data as Json[]).map((i) => i.IncidentNumber as number);
    t.same(numbers, Array.from({ length: count }, (_, i) => FIRST + i), 'the first ones, in order');
    t.match(r.body.log, truncated ? new RegExp(`stopped at max_results ${max}; more incidents match`) : /Found \d+ incidents\.\n/);
  }
});
