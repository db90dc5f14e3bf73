import { request } from 'node:http';
import t from 'tap';
import type { Simulator } from '../../src/simulator/index.js';
import { ADMIN_KEY, SEED, call, incidentPayload, start } from './helpers.js';

interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request on its own connection; rejects with the socket error when the server drops it. */
function raw(sim: Simulator, method: string, path: string, body?: unknown, timeoutMs = 5000): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      `${sim.url}/api/odata/businessobject/${path}`,
      {
        method,
        agent: false,
        headers: { Authorization: `rest_api_key=${ADMIN_KEY}`, ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}) },
        timeout: timeoutMs,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('client timeout')));
    req.on('error', reject);
    req.end(payload);
  });
}

t.test('latency delays the answer, which is otherwise normal', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  sim.faults.script({ fault: { kind: 'latency', ms: 200 } });
  const began = Date.now();
  const r = await call(sim, 'GET', 'incidents?$top=1');
  t.ok(Date.now() - began >= 190, 'waited');
  t.equal(r.status, 200);
  t.equal(r.json()['@odata.count'], 7);
  t.equal(sim.faults.counts().latency, 1);
  t.same(sim.journal.last()?.fault, { kind: 'latency', ms: 200 });
});

t.test('status faults: 429 with and without Retry-After, 500/502/503/504', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  sim.faults.script([
    { fault: { kind: 'status', status: 429, retryAfter: 3 } },
    { fault: { kind: 'status', status: 429 } },
    { fault: { kind: 'status', status: 500 } },
    { fault: { kind: 'status', status: 502 } },
    { fault: { kind: 'status', status: 503, retryAfter: 1 } },
    { fault: { kind: 'status', status: 504 } },
  ]);
  const limited = await call(sim, 'GET', 'employees');
  t.equal(limited.status, 429);
  t.equal(limited.headers.get('retry-after'), '3');
  const limitedBare = await call(sim, 'GET', 'employees');
  t.equal(limitedBare.status, 429);
  t.equal(limitedBare.headers.get('retry-after'), null);
  const internal = await call(sim, 'GET', 'employees');
  t.equal(internal.status, 500);
  t.same(internal.json(), { code: 'ISM_5000', description: 'Internal Server Error', message: ['An unexpected error occurred while processing the request.'], help: '' });
  t.equal((await call(sim, 'GET', 'employees')).status, 502);
  const unavailable = await call(sim, 'GET', 'employees');
  t.equal(unavailable.status, 503);
  t.equal(unavailable.headers.get('retry-after'), '1');
  t.equal((await call(sim, 'GET', 'employees')).status, 504);
  t.equal((await call(sim, 'GET', 'employees')).status, 200, 'script used up');
  t.equal(sim.faults.counts().status, 6);
});

t.test('an HTML-escaped 500 page carries a session id and host name', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  sim.faults.script({ fault: { kind: 'status', status: 500, body: 'html' } });
  const r = await call(sim, 'GET', 'incidents');
  t.equal(r.status, 500);
  t.match(r.headers.get('content-type'), /text\/html/);
  t.match(r.text, /SessionId=&#34;[0-9A-F]{24}&#34;/);
  t.match(r.text, /ism-app-07\.example-tenant\.saasit\.example/);
  t.match(r.text, /Server Error in &#39;\/HEAT&#39; Application\./);
  t.notMatch(r.text, /Frs\.DataLayer\.BusinessObject<Incident#>/, 'angle brackets are escaped');
  t.match(r.text, /BusinessObject&#60;Incident#&#62;/);
});

t.test('echo-headers echoes the request headers, Authorization included, verbatim', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  sim.faults.script({ fault: { kind: 'status', status: 502, body: 'echo-headers' } });
  const r = await call(sim, 'GET', 'incidents', { headers: { 'X-Trace': 'abc' } });
  t.equal(r.status, 502);
  t.match(r.text, `rest_api_key=${ADMIN_KEY}`);
  const echoed = r.json().RequestHeaders as Record<string, string>;
  const auth = Object.entries(echoed).find(([k]) => k.toLowerCase() === 'authorization');
  t.equal(auth?.[1], `rest_api_key=${ADMIN_KEY}`);
  t.notMatch(JSON.stringify(sim.journal.entries()), ADMIN_KEY, 'the journal never holds the key');
});

t.test('a status fault replaces the request: a write is not applied', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  sim.faults.script({ method: 'POST', set: 'incidents', fault: { kind: 'status', status: 503 } });
  t.equal((await call(sim, 'POST', 'incidents', { body: incidentPayload() })).status, 503);
  t.equal(sim.store.counts().incidents, 7);
  t.equal(sim.journal.last()?.applied, false);
});

t.test('reset-before drops the connection and applies nothing', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  sim.faults.script({ method: 'POST', fault: { kind: 'reset-before' } });
  await t.rejects(raw(sim, 'POST', 'incidents', incidentPayload()));
  t.equal(sim.store.counts().incidents, 7);
  const entry = sim.journal.last();
  t.match(entry, { method: 'POST', set: 'incidents', status: null, applied: false, fault: { kind: 'reset-before' } });
  t.equal(sim.faults.counts()['reset-before'], 1);
});

t.test('reset-after applies the write fully, then drops the connection', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  sim.faults.script({ method: 'POST', set: 'incidents', fault: { kind: 'reset-after' } });
  await t.rejects(raw(sim, 'POST', 'incidents', incidentPayload({ Subject: 'Written anyway' })));
  t.equal(sim.store.counts().incidents, 8);
  t.equal(sim.store.findIncidentByNumber(10008)?.Subject, 'Written anyway');
  t.match(sim.journal.last(), { status: null, applied: true, fault: { kind: 'reset-after' } });
  // The same for an update and a delete.
  sim.faults.script([
    { method: 'PATCH', fault: { kind: 'reset-after' } },
    { method: 'DELETE', fault: { kind: 'reset-after' } },
  ]);
  await t.rejects(raw(sim, 'PATCH', `incidents('${SEED.incident10001}')`, { Subject: 'patched' }));
  t.equal(sim.store.findIncidentByNumber(10001)?.Subject, 'patched');
  await t.rejects(raw(sim, 'DELETE', `incidents('${SEED.incident10002}')`));
  t.equal(sim.store.findIncidentByNumber(10002), undefined);
});

t.test('invalid-json answers 200 with a truncated body (after applying the request)', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  sim.faults.script({ fault: { kind: 'invalid-json' }, times: 2 });
  const read = await raw(sim, 'GET', 'employees?$top=2');
  t.equal(read.status, 200);
  t.ok(read.body.length > 0);
  t.throws(() => JSON.parse(read.body));
  const write = await raw(sim, 'POST', 'incidents', incidentPayload());
  t.equal(write.status, 200);
  t.throws(() => JSON.parse(write.body));
  t.equal(sim.store.counts().incidents, 8, 'the create happened');
});

t.test('empty-body answers 200 with nothing', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  sim.faults.script({ fault: { kind: 'empty-body' } });
  const r = await raw(sim, 'GET', 'employees');
  t.equal(r.status, 200);
  t.equal(r.body, '');
});

t.test('hang never answers; the client gives up; the next request is served', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  sim.faults.script({ set: 'employees', fault: { kind: 'hang' } });
  await t.rejects(raw(sim, 'GET', 'employees', undefined, 300), /client timeout/);
  t.match(sim.journal.last(), { set: 'employees', status: null, fault: { kind: 'hang' } });
  t.equal((await raw(sim, 'GET', 'employees?$top=1')).status, 200);
});

t.test('close releases a hanging request promptly', async (t) => {
  const sim = await start();
  sim.faults.script({ fault: { kind: 'hang' } });
  const pending = raw(sim, 'GET', 'incidents', undefined, 10_000);
  pending.catch(() => undefined);
  await new Promise((r) => setTimeout(r, 100));
  const began = Date.now();
  await sim.close();
  await t.rejects(pending);
  t.ok(Date.now() - began < 1000, `closed in ${Date.now() - began} ms`);
});

t.test('scripted faults match by method and set (case-insensitive), for a number of times', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  sim.faults.script({ method: 'GET', set: 'Employees', times: 2, fault: { kind: 'status', status: 503, retryAfter: 1 } });
  t.equal((await call(sim, 'GET', 'incidents')).status, 200, 'other set');
  t.equal((await call(sim, 'POST', 'incidents', { body: incidentPayload() })).status, 201, 'other method');
  t.equal((await call(sim, 'GET', 'EMPLOYEES')).status, 503);
  t.equal((await call(sim, 'GET', 'employees')).status, 503);
  t.equal((await call(sim, 'GET', 'employees')).status, 200);
  sim.faults.script({ times: 'always', fault: { kind: 'status', status: 500 } });
  for (let i = 0; i < 3; i++) t.equal((await call(sim, 'GET', 'incidents')).status, 500);
  t.equal(sim.faults.state().scripted.length, 1);
  sim.faults.clear();
  t.equal((await call(sim, 'GET', 'incidents')).status, 200);
  t.same(sim.faults.counts(), { latency: 0, hang: 0, status: 5, 'reset-before': 0, 'reset-after': 0, 'invalid-json': 0, 'empty-body': 0, total: 5 });
  sim.faults.resetCounts();
  t.equal(sim.faults.counts().total, 0);
  t.throws(() => sim.faults.script({ fault: { kind: 'explode' } as never }), /unknown fault kind/);
});

t.test('random faults are reproducible with the same seed', async (t) => {
  async function run(seed: number): Promise<string[]> {
    const sim = await start();
    try {
      sim.faults.random({ seed, rate: 0.5, kinds: ['status', 'empty-body', { kind: 'latency', ms: 1 }] });
      const seen: string[] = [];
      for (let i = 0; i < 30; i++) {
        const r = await call(sim, 'GET', 'employees?$top=1');
        seen.push(`${r.status}:${r.text === '' ? 'empty' : 'body'}`);
      }
      t.ok(sim.faults.counts().total > 0);
      return seen;
    } finally {
      await sim.close();
    }
  }
  const a = await run(42);
  const b = await run(42);
  const c = await run(7);
  t.same(a, b);
  t.not(a.join(), c.join());
  t.ok(a.some((s) => s.startsWith('200:body')) && a.some((s) => !s.startsWith('200:body')));
});
