/**
 * The generic record actions against tenants that answer differently from the simulator: one
 * that ignores `$orderby`, one that ignores `$top`, one that answers 404 for a missing record,
 * one that refuses query options on a relationship. Each is a small HTTP server of its own.
 */
import t from 'tap';
import { tenant } from './fake-tenant.js';
import { startStack, type Json } from './helpers.js';

const ids = Array.from({ length: 150 }, (_, i) => (0x10000000 + i * 7919).toString(16).toUpperCase().padStart(32, 'A'));
const rows = ids.map((RecId, i) => ({ RecId, Name: `thing ${i}`, Empty: null }));
/** The RecId after which a page starts (`RecId gt '...'`), if the filter says. */
const after = (query: URLSearchParams): string | undefined => /RecId gt '([0-9A-F]+)'/.exec(query.get('$filter') ?? '')?.[1];

t.test('odd tenants', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const run = async (url: string, action: string, input: Json) => stack.run(action, input, stack.connection({ url }));

  t.test('a tenant that ignores $orderby: pages continue after the largest RecId read, and nothing is lost', async (t) => {
    // Each page: the rows after the cursor, at most $top of them, in a shuffled order.
    const odd = await tenant((path, query) => {
      const from = after(query);
      const top = Number(query.get('$top') ?? 25);
      const page = rows.filter((r) => from === undefined || r.RecId > from).sort((a, b) => a.RecId.localeCompare(b.RecId)).slice(0, top);
      return [200, { '@odata.count': rows.length, value: page.reverse() }];
    });
    t.teardown(() => odd.close());
    const r = await run(odd.url, 'search_records', { object: 'frs_Thing', max_results: 10_000 });
    t.equal(r.status, 200, r.body.error ?? 'ok');
    const found = (r.body.output.records as Json[]).map((x) => x.RecId as string);
    t.equal(new Set(found).size, 150, 'every row, once');
    t.notOk((r.body.output.records as Json[]).some((x) => 'Empty' in x), 'cleaned of nulls');
  });

  t.test('a tenant that ignores $top and sends everything at once: one page, no error', async (t) => {
    const odd = await tenant(() => [200, { value: rows }]);
    t.teardown(() => odd.close());
    const r = await run(odd.url, 'search_records', { object: 'frs_Thing', max_results: 10_000 });
    t.equal(r.status, 200, r.body.error ?? 'ok');
    t.equal(r.body.output.count, 150);
    t.equal(odd.requests.length, 1);
    const capped = await run(odd.url, 'list_related', { object: 'frs_Thing', record_id: ids[0], relationship: 'ThingHasParts', max_results: 20 });
    t.equal(capped.body.output.count, 20, 'max_results still holds');
  });

  t.test('a tenant that answers 404 for a missing record: the record is named, not the object', async (t) => {
    const odd = await tenant((path) => (path.includes("('") ? [404, { code: 'ISM_4004', message: ['Not found'] }] : [200, { value: rows.slice(0, 1) }]));
    t.teardown(() => odd.close());
    const r = await run(odd.url, 'get_record', { object: 'frs_Thing', record_id: ids[3] });
    t.equal(r.status, 400);
    t.match(r.body.error, new RegExp(`frs_Thing has no record with the ID ${ids[3]} given in 'record_id'`));
    const gone = await run(odd.url, 'delete_record', { object: 'frs_Thing', record_id: ids[3] });
    t.match(gone.body.error, /frs_Thing has no record with the ID/);
    const unknown = await tenant(() => [404, { code: 'ISM_4004', message: ['Invalid Path'] }]);
    t.teardown(() => unknown.close());
    const object = await run(unknown.url, 'update_record', { object: 'frs_Nothing', record_id: ids[3], fields: { Name: 'x' } });
    t.match(object.body.error, /ISM has no business object 'frs_Nothing'/);
  });

  t.test('a tenant that refuses query options on a relationship: the link is made without the look-up', async (t) => {
    const linked = new Set<string>();
    const odd = await tenant((path, query, req) => {
      if (req.method === 'GET' && query.has('$filter')) return [400, { code: 'ISM_4000', message: ['Query options are not supported on navigation properties'] }];
      if (req.method === 'PATCH' && path.endsWith('/$Ref')) {
        linked.add(path);
        return [200, { code: 'ISM_2000', description: 'Ok', message: ['Successfully Created the link'] }];
      }
      return [200, { value: 'No instances found.' }];
    });
    t.teardown(() => odd.close());
    const r = await run(odd.url, 'link_records', { object: 'frs_Thing', record_id: ids[0], relationship: 'ThingHasParts', related_record_id: ids[1] });
    t.same(r.body.output, { success: true, changed: true }, r.body.error ?? 'linked');
    t.equal(linked.size, 1);
    t.match(r.body.log, /refused to look up the link first/);
  });
});
