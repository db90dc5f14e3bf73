/**
 * A cached connection serves a step only when the step's whole connection is the same:
 * `connection_cache_key` may keep two connections apart, never make two different ones one.
 * Each step must reach ISM with its own key, URL and settings.
 */
import t from 'tap';
import { startSimulator } from '../../src/simulator/index.js';
import { KEY, RO_KEY, sampleInput, shape, startStack } from './helpers.js';

const WRONG_KEY = 'ISM-wr0ng-K3Y-n0t-a-key-77aa01';

t.test('admin, wrong and read-only keys under one cache key each reach ISM with their own key', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const shared = { connection_cache_key: 'tenant-a' };
  const before = stack.sim.store.counts().incidents;

  const admin = await stack.run('create_incident', sampleInput('create_incident'), stack.connection({ ...shared, credentials: { secretKey: KEY } }));
  t.equal(admin.status, 200, admin.body.error ?? 'the admin key creates the incident');
  t.equal(stack.sim.store.counts().incidents, before + 1);

  const wrong = await stack.run('create_incident', sampleInput('create_incident'), stack.connection({ ...shared, credentials: { secretKey: WRONG_KEY } }));
  t.equal(wrong.status, 400, 'the wrong key fails as a plugin error');
  t.match(wrong.body.exception, { cause: /ISM rejected the API key \(401/ }, "ISM's 401 is reported");
  t.same(shape(wrong.entries), ['GET employees'], 'the wrong key stopped at the first request');
  t.equal(wrong.entries[0]!.headers.authorization, 'present/invalid', 'the request carried the wrong key, not the cached one');
  t.equal(wrong.entries[0]!.status, 401);

  const readOnly = await stack.run('create_incident', sampleInput('create_incident'), stack.connection({ ...shared, credentials: { secretKey: RO_KEY } }));
  t.equal(readOnly.status, 400, 'the read-only key fails as a plugin error');
  t.match(readOnly.body.exception, { cause: /Role SelfService does not have rights to create object Incident/ }, "ISM's role refusal is reported");
  t.same(shape(readOnly.entries), ['GET employees', 'POST incidents']);
  t.equal(readOnly.entries[1]!.status, 400);
  t.equal(stack.sim.store.counts().incidents, before + 1, 'only the admin key created anything');

  const again = await stack.run('create_incident', sampleInput('create_incident'), stack.connection({ ...shared, credentials: { secretKey: KEY } }));
  t.equal(again.status, 200, 'the admin key still works after the others');
  t.equal(stack.sim.store.counts().incidents, before + 2);
});

t.test('the connection test under a shared cache key uses its own key', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const shared = { connection_cache_key: 'tenant-a' };
  t.equal((await stack.test(stack.connection({ ...shared, credentials: { secretKey: KEY } }))).status, 200);
  const wrong = await stack.test(stack.connection({ ...shared, credentials: { secretKey: WRONG_KEY } }));
  t.equal(wrong.status, 400, 'a wrong key never passes the test on a cached connection');
  t.match(wrong.body.exception, { cause: /ISM rejected the API key/ });
});

t.test('another URL under the same cache key reaches the other tenant', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const other = await startSimulator({ apiKeys: { [KEY]: 'Administrator' } });
  t.teardown(() => other.close());
  const shared = { connection_cache_key: 'tenant-a' };
  const first = await stack.run('get_incident', { incident_number: 10001 }, stack.connection(shared));
  t.equal(first.status, 200);
  const mark = other.journal.total;
  const second = await stack.run('get_incident', { incident_number: 10001 }, stack.connection({ ...shared, url: other.url }));
  t.equal(second.status, 200);
  t.equal(second.entries.length, 0, 'nothing reached the first tenant');
  t.same(shape(other.journal.since(mark)), ['GET incidents'], 'the step reached the tenant its connection names');
});

t.test('settings other than the key and URL also keep cached connections apart', async (t) => {
  const stack = await startStack({ bodyLimit: 8 * 1024 * 1024 });
  t.teardown(() => stack.close());
  const shared = { connection_cache_key: 'tenant-a' };
  // An attachment limit of 1 MiB refuses a 2 MiB file before any request; with 20 MiB it is sent.
  const file = { filename: 'big.bin', content: Buffer.alloc(2 * 1024 * 1024, 7).toString('base64') };
  const roomy = await stack.run('add_attachment', { incident_number: 10001, attachment: file }, stack.connection({ ...shared, attachment_size_limit: 20 }));
  t.equal(roomy.status, 200, roomy.body.error ?? 'attached');
  const tight = await stack.run('add_attachment', { incident_number: 10001, attachment: { ...file, filename: 'big2.bin' } }, stack.connection({ ...shared, attachment_size_limit: 1 }));
  t.equal(tight.status, 400, 'the smaller limit of this step applies');
  t.match(tight.body.exception, { cause: /larger than the limit of 1 MiB/ });
  t.equal(tight.entries.length, 0, 'refused before any request');
});
