/** The connection cache, seen through a live server: hits, misses, the cache key, failures and LRU eviction. */
import t from 'tap';
import { actionStart, connection, eventBody, post, SECRET, startHello, type Json } from './helpers.js';

async function hello(url: string, conn: Json, name = 'Ada'): Promise<number | undefined> {
  const res = await post(`${url}/actions/say_hello`, actionStart({ name }, { connection: conn }));
  if (res.status !== 200) throw new Error(`unexpected ${res.status}: ${res.text}`);
  return eventBody(res).output?.connection_id as number | undefined;
}

t.test('the same connection connects once; a different one connects again', async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  t.equal(await hello(server.url, connection()), 1);
  t.equal(await hello(server.url, connection()), 1);
  t.equal(server.stats.connects, 1, 'second step reused the connection');
  // Key order and an explicit default do not make a different connection.
  t.equal(await hello(server.url, { punctuation: '!', greeting_key: { secretKey: SECRET } }), 1);
  t.equal(server.stats.connects, 1, 'same connection written differently is the same entry');
  // The test path uses the same cache.
  const test = await post(`${server.url}/actions/say_hello/test`, actionStart({}, { connection: connection() }));
  t.match(eventBody(test).log, /testing greeting connection 1/);
  t.equal(server.stats.connects, 1);

  t.equal(await hello(server.url, connection({}, 'another-secret')), 2);
  t.equal(await hello(server.url, connection({ punctuation: '?' })), 3);
  t.equal(server.stats.connects, 3, 'a different secret or setting is a different connection');
  t.equal(await hello(server.url, connection()), 1, 'the first one is still cached');
});

t.test('concurrent first steps share one connect', async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  const ids = await Promise.all(Array.from({ length: 8 }, () => hello(server.url, connection())));
  t.same(ids, Array(8).fill(1));
  t.equal(server.stats.connects, 1);
});

t.test('connection_cache_key narrows reuse and never widens it', async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  t.equal(await hello(server.url, connection({ connection_cache_key: 'tenant-a' })), 1);
  t.equal(await hello(server.url, connection({ connection_cache_key: 'tenant-a' })), 1, 'the same connection and key reuse the connection');
  t.equal(await hello(server.url, connection({ connection_cache_key: 'tenant-a', punctuation: '?' })), 2, 'another setting under the same key is another connection');
  t.equal(await hello(server.url, connection({ connection_cache_key: 'tenant-a' }, 'another-secret')), 3, 'another secret under the same key is another connection');
  t.equal(await hello(server.url, connection({ connection_cache_key: 'tenant-b' })), 4, 'the same connection under another key is another connection');
  t.equal(await hello(server.url, connection()), 5, 'without a key the connection is hashed');
  t.equal(await hello(server.url, connection({ connection_cache_key: '' })), 5, 'an empty key counts as none');
  t.equal(await hello(server.url, connection({ connection_cache_key: 'tenant-a' })), 1, 'the first one is still cached');
  t.equal(server.stats.connects, 5);
  t.notOk('connection_cache_key' in server.stats.configs[0]!, 'the key is not passed to connect');
});

t.test('a connection that fails to connect under a cache key never borrows the cached one', async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  t.equal(await hello(server.url, connection({ connection_cache_key: 'shared' })), 1);
  const res = await post(`${server.url}/actions/say_hello`, actionStart({ name: 'Ada' }, { connection: connection({ connection_cache_key: 'shared' }, 'reject-this-key') }));
  t.equal(res.status, 400, 'the rejected secret is refused, not served by the cached connection');
  t.match(eventBody(res).exception, { cause: 'The API key was rejected.' });
  t.equal(await hello(server.url, connection({ connection_cache_key: 'shared' })), 1, 'the good connection is still cached');
});

t.test('a failed connect is not cached', async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  for (let i = 0; i < 2; i++) {
    const res = await post(`${server.url}/actions/say_hello`, actionStart({ name: 'Ada' }, { connection: connection({}, 'reject-this-key') }));
    t.equal(res.status, 400);
    t.match(eventBody(res).exception, { cause: 'The API key was rejected.' });
  }
  t.equal(server.stats.connects, 2);
  t.equal(server.runtime.connectionCount, 0);
});

t.test('the cache is bounded: the least recently used connection is evicted and closed', async (t) => {
  const server = await startHello({ runtime: { connectionCacheSize: 2 } });
  t.teardown(server.close);
  const a = connection({}, 'key-a');
  const b = connection({}, 'key-b');
  const c = connection({}, 'key-c');
  t.equal(await hello(server.url, a), 1);
  t.equal(await hello(server.url, b), 2);
  t.equal(await hello(server.url, a), 1, 'a is used again, so b is now the oldest');
  t.equal(await hello(server.url, c), 3);
  t.equal(server.runtime.connectionCount, 2, 'never more than the capacity');
  // close() runs once the evicted connection's promise settles.
  await new Promise((resolve) => setImmediate(resolve));
  t.same(server.stats.closedIds, [2], 'b was evicted and closed');
  t.equal(await hello(server.url, a), 1, 'a is still cached');
  t.equal(await hello(server.url, b), 4, 'b connects again');
  await new Promise((resolve) => setImmediate(resolve));
  t.same(server.stats.closedIds, [2, 3], 'c, now the oldest, was evicted');
  t.equal(server.stats.connects, 4);
  for (let i = 0; i < 20; i++) await hello(server.url, connection({}, `tenant-${i}`));
  t.equal(server.runtime.connectionCount, 2, 'many tenants do not grow the cache');
  t.equal(server.runtime.checkedConnectionCount, 2, 'nor the connections remembered as checked');
  await server.close();
  t.equal(server.stats.closes, server.stats.connects, 'closing the server closes every connection it still held');
});

t.test('a connection is checked once, and an invalid one is refused every time', async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  for (let i = 0; i < 3; i++) {
    const res = await post(`${server.url}/actions/say_hello`, actionStart({ name: 'Ada' }, { connection: connection({ punctuation: 5 }) }));
    t.equal(res.status, 400, `invalid connection, step ${i + 1}: refused`);
    t.match(eventBody(res).exception, { cause: /The connection is not valid: .*punctuation/ });
  }
  t.equal(server.stats.connects, 0, 'never connected');
  for (let i = 0; i < 3; i++) t.equal(await hello(server.url, connection()), 1);
  t.equal(server.stats.connects, 1);
  t.equal(server.stats.configs[0]!.punctuation, '!', 'the default applied when the connection was first checked reaches connect');
});
