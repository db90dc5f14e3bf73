import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { definedOptions, nativeRequest } from '../../src/ivanti/native-request.js';

t.test('definedOptions keeps every option with a value, falsy ones included, and drops the undefined', async (t) => {
  const headers = { accept: 'application/json' };
  const kept = definedOptions({ method: 'GET', ca: undefined, rejectUnauthorized: false, family: undefined, setHost: true, localAddress: undefined, maxHeaderSize: 0, headers, lookup: undefined });
  t.same(Object.keys(kept), ['method', 'rejectUnauthorized', 'setHost', 'maxHeaderSize', 'headers']);
  t.equal(kept.rejectUnauthorized, false);
  t.equal(kept.maxHeaderSize, 0);
  t.equal(kept.headers, headers, 'values are passed as they are, not copied');
});

t.test('nativeRequest sends the method, headers and body it is given, over plain HTTP', async (t) => {
  let seen: { method?: string; url?: string; auth?: string; body: string } = { body: '' };
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      seen = { method: req.method, url: req.url, auth: req.headers.authorization, body };
      res.end('{"ok":true}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.teardown(() => server.close());
  const { port } = server.address() as AddressInfo;
  const req = nativeRequest(new URL(`http://127.0.0.1:${port}/api/odata/businessobject/incidents?$top=1`), {
    method: 'POST',
    headers: { authorization: 'rest_api_key=K', 'content-type': 'application/json' },
    agent: undefined,
    lookup: undefined,
    family: undefined,
    timeout: undefined,
  });
  req.end('{"Subject":"x"}');
  const [res] = (await once(req, 'response')) as [IncomingMessage];
  let answer = '';
  for await (const chunk of res) answer += String(chunk);
  t.equal(res.statusCode, 200);
  t.equal(answer, '{"ok":true}');
  t.same(seen, { method: 'POST', url: '/api/odata/businessobject/incidents?$top=1', auth: 'rest_api_key=K', body: '{"Subject":"x"}' });
});
