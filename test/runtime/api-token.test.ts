/**
 * The opt-in shared secret of the HTTP API: with one set, every route but GET /api/v1/status
 * wants `Authorization: Bearer <token>`; without one, nothing changes. The token never appears in
 * an answer or a log line.
 */
import t from 'tap';
import { sameToken } from '../../src/runtime/api-token.js';
import { actionStart, startHello } from './helpers.js';

const TOKEN = 'plugin-api-T0ken-4f1e9a7c2b';

const ROUTES: [string, string][] = [
  ['GET', '/api/v1/info'],
  ['GET', '/api/v1/spec'],
  ['GET', '/api/v1/api'],
  ['GET', '/api/v1/actions'],
  ['GET', '/api/v1/actions/say_hello'],
  ['GET', '/api/v1/connection'],
  ['GET', '/api/v1/triggers'],
  ['POST', '/actions/say_hello'],
  ['POST', '/api/v1/actions/say_hello'],
  ['POST', '/actions/say_hello/test'],
  ['POST', '/triggers/hello_trigger/test'],
  ['POST', '/api/v1/connection/test'],
  ['GET', '/no/such/route'],
];

async function call(url: string, method: string, path: string, authorization?: string): Promise<{ status: number; text: string; headers: Headers }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { ...(method === 'POST' ? { 'content-type': 'application/json' } : {}), ...(authorization ? { authorization } : {}) },
    ...(method === 'POST' ? { body: JSON.stringify(actionStart({ name: 'Ada' })) } : {}),
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

t.test('with a token: every route but status wants it', async (t) => {
  const server = await startHello({ apiToken: TOKEN });
  t.teardown(server.close);
  const wrong = ['', 'Bearer', `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Basic ${TOKEN}`, TOKEN, `Bearer  ${TOKEN.toUpperCase()}`];
  for (const [method, path] of ROUTES) {
    for (const authorization of [undefined, ...wrong]) {
      const r = await call(server.url, method, path, authorization);
      t.equal(r.status, 401, `${method} ${path} with ${JSON.stringify(authorization)}: 401`);
      t.match(JSON.parse(r.text), { statusCode: 401, code: 'UNAUTHORIZED', message: /Authorization: Bearer/ });
      t.equal(r.headers.get('www-authenticate'), 'Bearer');
      t.notMatch(r.text, TOKEN);
    }
  }
  t.equal(server.stats.connects, 0, 'no step ran without the token');
  for (const [method, path] of ROUTES) {
    const ok = await call(server.url, method, path, `Bearer ${TOKEN}`);
    t.not(ok.status, 401, `${method} ${path} with the token: let through (${ok.status})`);
    const scheme = await call(server.url, method, path, `bearer ${TOKEN}`);
    t.not(scheme.status, 401, 'the scheme is case-insensitive');
  }
  for (const authorization of [undefined, 'Bearer nope']) t.equal((await call(server.url, 'GET', '/api/v1/status', authorization)).status, 200, 'status needs no token');
  t.equal(server.stats.connects, 1, 'the steps sent with the token ran');
  t.notMatch(server.logText(), TOKEN, 'the token is never logged');
});

t.test('without a token the API is open, as orchestrators expect by default', async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  for (const [method, path] of ROUTES) t.not((await call(server.url, method, path)).status, 401, `${method} ${path}`);
});

t.test('the comparison: equal tokens only, whatever their lengths', async (t) => {
  t.ok(sameToken(TOKEN, TOKEN));
  for (const other of ['', 'x', TOKEN.slice(1), `${TOKEN}${TOKEN}`, TOKEN.replace('T', 't')]) t.notOk(sameToken(other, TOKEN), JSON.stringify(other));
});
