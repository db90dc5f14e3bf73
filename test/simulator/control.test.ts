// What tests control and observe: faults, the request journal, admin routes; and HTTPS.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { Simulator } from '../../src/simulator/index.js';
import { ADMIN_KEY, READONLY_KEY, SEED, call, enc, incidentPayload, start } from './helpers.js';

t.test('faults', async (t) => {
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
    await sim.close();
    // Cut by the close, not by the client's own 10 s timeout.
    await t.rejects(pending);
    await pending.catch((err: Error) => t.notMatch(err.message, /client timeout/, `cut by the close (${err.message})`));
  });

  t.test('close destroys kept-alive connections at once', async (t) => {
    const sim = await start();
    const agent = new Agent({ keepAlive: true });
    t.teardown(() => agent.destroy());
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${sim.url}/api/odata/businessobject/incidents?$top=1`, { agent, headers: { Authorization: `rest_api_key=${ADMIN_KEY}` } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
    t.equal(status, 200);
    t.equal(sim.stats().openConnections, 1, 'the connection is kept alive');
    await sim.close();
    t.equal(sim.stats().openConnections, 0);
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
    t.same(sim.faults.counts(), { latency: 0, hang: 0, status: 5, 'reset-before': 0, 'reset-after': 0, 'invalid-json': 0, 'empty-body': 0, 'error-body': 0, oversized: 0, total: 5 });
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
});

t.test('request journal and admin routes', async (t) => {
  t.test('the journal records each request: what was asked and what was answered', async (t) => {
    const sim = await start();
    t.teardown(() => sim.close());
    await call(sim, 'GET', `employees?$filter=${enc("PrimaryEmail eq 'user@example.com'")}&$top=2`);
    await call(sim, 'POST', 'incidents', { body: incidentPayload({ Subject: 'journalled' }) });
    await call(sim, 'GET', `incidents('${SEED.incident10001}')`, { key: 'wrong-key' });
    await call(sim, 'GET', 'incidents', { key: null });
    await call(sim, 'GET', `incidents?$filter=${enc("Subject eq 'x' or 'a' eq 'a'")}`);
    await call(sim, 'POST', 'incidents', { key: READONLY_KEY, body: incidentPayload() });

    const [lookup, create, wrongKey, noKey, badFilter, denied] = sim.journal.entries();
    t.match(lookup, {
      seq: 1,
      method: 'GET',
      path: '/HEAT/api/odata/businessobject/employees',
      prefix: '/HEAT',
      set: 'employees',
      key: null,
      query: { $filter: "PrimaryEmail eq 'user@example.com'", $top: '2' },
      filter: { ast: { type: 'compare', field: 'PrimaryEmail', op: 'eq', value: { kind: 'string', value: 'user@example.com' } } },
      headers: { authorization: 'present/valid' },
      body: null,
      status: 200,
      applied: false,
      fault: null,
    });
    t.match(lookup?.time, /^\d{4}-\d{2}-\d{2}T/);
    t.type(lookup?.durationMs, 'number');
    t.match(create, { seq: 2, method: 'POST', set: 'incidents', body: { Subject: 'journalled' }, status: 201, applied: true });
    t.match(wrongKey, { key: SEED.incident10001, status: 401, headers: { authorization: 'present/invalid' }, applied: false });
    t.equal(noKey?.status, 401);
    t.notOk(noKey && 'authorization' in noKey.headers, 'absent when not sent');
    t.match(badFilter, { status: 400, filter: { error: /expected a field name/ } });
    t.match(denied, { status: 400, applied: false, headers: { authorization: 'present/valid' } });

    const text = JSON.stringify(sim.journal.entries());
    for (const secret of [ADMIN_KEY, READONLY_KEY, 'wrong-key', 'rest_api_key']) t.notMatch(text, secret, `never holds ${secret}`);
  });

  t.test('the journal is a bounded ring buffer', async (t) => {
    const sim = await start({ journalLimit: 3 });
    t.teardown(() => sim.close());
    for (let i = 0; i < 5; i++) await call(sim, 'GET', `incidents?$top=${i + 1}`);
    t.equal(sim.journal.size, 3);
    t.equal(sim.journal.total, 5);
    t.same(sim.journal.entries().map((e) => e.seq), [3, 4, 5]);
    t.equal(sim.journal.last()?.seq, 5);
    t.same(sim.journal.last(2).map((e) => e.seq), [4, 5]);
    t.same(sim.journal.since(3).map((e) => e.seq), [4, 5]);
    sim.journal.clear();
    t.same(sim.journal.entries(), []);
    t.equal(sim.journal.last(), undefined);
    await call(sim, 'GET', 'incidents');
    t.equal(sim.journal.last()?.seq, 6, 'numbering goes on after a clear');
  });

  t.test('journalLimit 0 disables the journal', async (t) => {
    const sim = await start({ journalLimit: 0 });
    t.teardown(() => sim.close());
    await call(sim, 'GET', 'incidents');
    t.same(sim.journal.entries(), []);
    t.equal(sim.journal.last(), undefined);
  });

  t.test('admin routes do not exist unless enabled', async (t) => {
    const sim = await start();
    t.teardown(() => sim.close());
    for (const [method, path] of [['GET', '/__sim/journal'], ['POST', '/__sim/faults'], ['DELETE', '/__sim/faults'], ['POST', '/__sim/behaviour'], ['GET', '/__sim/store/counts']] as const) {
      const r = await call(sim, method, path, { key: null, ...(method === 'POST' ? { body: {} } : {}) });
      t.equal(r.status, 404, `${method} ${path}`);
      t.equal(r.json().code, 'ISM_4004');
    }
  });

  t.test('admin routes control faults, behaviour and the store, and read the journal', async (t) => {
    const sim = await start({ admin: true });
    t.teardown(() => sim.close());
    const admin = (method: string, path: string, body?: unknown) => call(sim, method, path, { key: null, ...(body !== undefined ? { body } : {}) });

    const scripted = await admin('POST', '/__sim/faults', { script: [{ method: 'GET', set: 'employees', times: 2, fault: { kind: 'status', status: 503, retryAfter: 1 } }] });
    t.equal(scripted.status, 200);
    t.match(scripted.json(), { scripted: [{ set: 'employees', remaining: 2 }] });
    t.equal((await call(sim, 'GET', 'employees')).status, 503);
    t.match((await admin('GET', '/__sim/faults')).json(), { scripted: [{ remaining: 1 }], counts: { status: 1, total: 1 } });
    t.equal((await admin('DELETE', '/__sim/faults')).json().scripted.length, 0);
    t.equal((await call(sim, 'GET', 'employees')).status, 200);

    t.equal((await admin('POST', '/__sim/faults', { fault: { kind: 'empty-body' } })).status, 200, 'a bare rule');
    t.equal((await call(sim, 'GET', 'employees')).text, '');
    t.match((await admin('POST', '/__sim/faults', { random: { seed: 1, rate: 0.2 } })).json(), { random: { seed: 1, rate: 0.2 } });
    await admin('DELETE', '/__sim/faults');
    const bad = await admin('POST', '/__sim/faults', { fault: { kind: 'status', status: 418 } });
    t.equal(bad.status, 400);
    t.match(bad.json().error, /status/);

    t.same((await admin('POST', '/__sim/behaviour', { noRows: 'string-value', createStatus: 200 })).json(), {
      createStatus: 200, updateAnswer: 'record', deleteAnswer: 'no-content', noRows: 'string-value',
    });
    t.equal(sim.behaviour.noRows, 'string-value');
    t.equal((await call(sim, 'POST', 'incidents', { body: incidentPayload() })).status, 200);
    t.equal((await admin('POST', '/__sim/behaviour', { noRows: 'sometimes' })).status, 400);

    t.match((await admin('GET', '/__sim/store/counts')).json(), { incidents: 8, notes: 5, employees: 26, nextIncidentNumber: 10009 });
    t.match((await admin('GET', '/__sim/store/incidents/10006')).json(), { RecId: SEED.incident10006, notes: [{}, {}] });
    t.match((await admin('GET', `/__sim/store/incidents/${SEED.incident10001}`)).json(), { IncidentNumber: 10001 });
    t.equal((await admin('GET', '/__sim/store/incidents/99999')).status, 404);
    t.equal((await admin('GET', '/__sim/store/incidents')).json().length, 8);
    t.equal((await admin('GET', '/__sim/store/employees')).json().length, 26);
    t.equal((await admin('GET', '/__sim/store/notes')).json().length, 5);
    t.match((await admin('POST', '/__sim/store/reset')).json(), { incidents: 7 });

    const journal = (await admin('GET', '/__sim/journal')).json();
    t.ok(journal.total >= 4);
    t.notOk(journal.entries.some((e: { path: string }) => e.path.startsWith('/__sim')), 'admin calls are not journalled');
    t.equal((await admin('GET', '/__sim/journal?last=1')).json().entries.length, 1);
    t.equal((await admin('DELETE', '/__sim/journal')).status, 200);
    t.equal((await admin('GET', '/__sim/journal')).json().entries.length, 0);
    t.equal((await admin('GET', '/__sim/nothing')).status, 404);
  });

  t.test('counters: requests answered and connections accepted, in-process and over GET /__sim/stats', async (t) => {
    const sim = await start({ admin: true });
    t.teardown(() => sim.close());
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    t.teardown(() => agent.destroy());
    /** A GET on the kept-alive agent, or on a connection of its own (agent false). */
    const get = (path: string, options: { key?: string | null; agent?: Agent | false } = {}) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const key = options.key === undefined ? ADMIN_KEY : options.key;
        const req = request(`${sim.origin}${path}`, { agent: options.agent ?? agent, headers: key ? { Authorization: `rest_api_key=${key}` } : {} }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });

    t.same(sim.stats(), { requests: 0, connections: 0, openConnections: 0 });
    t.equal((await get('/HEAT/api/odata/businessobject/incidents?$top=1')).status, 200);
    t.equal((await get('/api/odata/businessobject/incidents', { key: 'wrong' })).status, 401);
    t.equal((await get('/nothing/here')).status, 404);
    t.same(sim.stats(), { requests: 3, connections: 1, openConnections: 1 }, 'every answer counts, on one kept-alive connection');
    t.equal((await get('/HEAT/api/odata/businessobject/employees?$top=1', { agent: false })).status, 200);
    t.match(sim.stats(), { requests: 4, connections: 2 }, 'a request on a connection of its own');

    sim.faults.script({ fault: { kind: 'reset-before' } });
    await t.rejects(get('/HEAT/api/odata/businessobject/incidents', { agent: false }));
    t.match(sim.stats(), { requests: 4, connections: 3 }, 'a request dropped by a fault is not answered');
    t.equal(sim.journal.total, 5, 'though it is journalled');

    const overHttp = await get('/__sim/stats', { key: null, agent: false });
    t.equal(overHttp.status, 200);
    const stats = JSON.parse(overHttp.body) as Record<string, number>;
    t.same(Object.keys(stats).sort(), ['connections', 'openConnections', 'requests']);
    t.equal(stats.requests, 4, 'admin calls are not counted');
    t.equal(stats.connections, 4, 'their connections are');
    t.ok((stats.openConnections ?? 0) >= 2, 'the kept-alive connection and the admin call are open');
    t.same(sim.stats().requests, 4);

    agent.destroy();
    for (let i = 0; i < 100 && sim.stats().openConnections > 0; i++) await new Promise((r) => setTimeout(r, 20));
    t.same(sim.stats(), { requests: 4, connections: 4, openConnections: 0 }, 'closed connections are no longer open');
  });

  t.test('a given logger receives one line per request', async (t) => {
    const lines: Array<Record<string, unknown>> = [];
    const sim = await start({ logger: { info: (obj: object) => lines.push(obj as Record<string, unknown>) } });
    t.teardown(() => sim.close());
    await call(sim, 'GET', 'incidents?$top=1');
    await call(sim, 'GET', 'incidents', { key: 'bad' });
    t.match(lines, [{ method: 'GET', status: 200 }, { method: 'GET', status: 401 }]);
    t.notMatch(JSON.stringify(lines), ADMIN_KEY);
  });
});

t.test('HTTPS', async (t) => {
  function get(url: string, ca?: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = httpsRequest(url, { agent: false, headers: { Authorization: `rest_api_key=${ADMIN_KEY}` }, ...(ca ? { ca } : {}) }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  t.test('tls: true serves HTTPS with a self-signed certificate for localhost and 127.0.0.1', async (t) => {
    const sim = await start({ tls: true });
    t.teardown(() => sim.close());
    t.match(sim.url, /^https:\/\/127\.0\.0\.1:\d+\/HEAT$/);
    t.match(sim.certificate, /^-----BEGIN CERTIFICATE-----/);
    const ca = sim.certificate as string;
    const byIp = await get(`${sim.url}/api/odata/businessobject/incidents?$top=1`, ca);
    t.equal(byIp.status, 200);
    t.equal(JSON.parse(byIp.body)['@odata.context'], `${sim.origin}/HEAT/api/odata/$metadata#incidents`);
    const byName = await get(`https://localhost:${sim.port}/HEAT/api/odata/businessobject/incidents?$top=1`, ca);
    t.equal(byName.status, 200);
    await t.rejects(get(`${sim.url}/api/odata/businessobject/incidents`), { code: /SELF_SIGNED|UNABLE_TO_VERIFY/ }, 'untrusted without the certificate');
  });

  t.test('tls: {cert, key} uses the given certificate (PEM text or files)', async (t) => {
    const first = await start({ tls: true });
    const cert = first.certificate as string;
    await first.close();
    // Recover a matching key by generating a fresh pair through the module the simulator uses.
    const { selfSignedCertificate } = await import('../../src/simulator/tls.js');
    const pair = await selfSignedCertificate();
    const dir = await mkdtemp(join(tmpdir(), 'ism-sim-tls-'));
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, 'cert.pem'), pair.cert);
    await writeFile(join(dir, 'key.pem'), pair.key);

    const fromFiles = await start({ tls: { cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') } });
    t.teardown(() => fromFiles.close());
    t.equal(fromFiles.certificate, pair.cert);
    t.equal((await get(`${fromFiles.url}/api/odata/businessobject/employees?$top=1`, pair.cert)).status, 200);
    await t.rejects(get(`${fromFiles.url}/api/odata/businessobject/employees?$top=1`, cert), 'another certificate is not trusted');

    const fromText = await start({ tls: pair, prefix: '' });
    t.teardown(() => fromText.close());
    t.equal((await get(`${fromText.url}/api/odata/businessobject/employees?$top=1`, pair.cert)).status, 200);
  });
});
