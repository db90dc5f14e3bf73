/**
 * Secrets: the canary API key never appears, in any form (raw, URL-encoded, JSON-escaped),
 * in an HTTP answer, `body.log`, `error`, `exception.data`, the process log, or the stdout and
 * stderr of the command line: not when ISM echoes the Authorization header back (in an error of
 * any status, in a record, in a broken body), not when the connection is wrong (bad URL, DNS,
 * refused, TLS), and not when the client puts the key elsewhere in its message.
 */
import t, { type Test } from 'tap';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FaultStatus } from '../../src/simulator/index.js';
import { CANARY, canaryHits, parseJson, recordResults, runCli, startStack, type Json, type Stack, type StepAnswer } from './helpers.js';

// Bounded, with room for a loaded machine: tap's runner would give up after 30 s.

const figures = { scenarios: 0, textsScanned: 0, secretsFound: 0, cliRuns: 0 };

/** Scans every text a step left behind; counts and reports any canary. */
function scan(t: Test, where: string, texts: Record<string, string>): void {
  figures.scenarios++;
  for (const [name, text] of Object.entries(texts)) {
    figures.textsScanned++;
    const hits = canaryHits(text);
    figures.secretsFound += hits;
    t.equal(hits, 0, `${where}: no canary in ${name}`);
  }
}

function scanStep(t: Test, where: string, r: StepAnswer, stack: Stack): void {
  scan(t, where, {
    'the HTTP answer': r.text,
    'body.log': String(r.body.log ?? ''),
    error: String(r.body.error ?? ''),
    'exception.data': String(r.body.exception?.data ?? ''),
    'the process log': stack.logText(),
  });
}

const createInput = { summary: 'secret probe', description: 'd', customer: 'user@example.com', status: 'Logged', type: 'Failure' };
const STATUSES: FaultStatus[] = [429, 500, 502, 503, 504];

t.test('ISM echoes the Authorization header in an error body, for every status', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const { sim } = stack;
  for (const status of STATUSES) {
    for (const [method, set, run] of [
      ['GET', 'employees', () => stack.test()],
      ['POST', 'incidents', () => stack.run('create_incident', createInput)],
      ['PATCH', 'incidents', () => stack.run('update_incident', { incident_number: 10001, category: 'Software' })],
      ['POST', 'journal__notess', () => stack.run('add_note', { incident_number: 10001, summary: 'n' })],
      ['DELETE', 'incidents', () => stack.run('delete_incident', { incident_number: 10006 })],
    ] as const) {
      sim.faults.clear();
      sim.faults.script({ method, set, times: 'always', fault: { kind: 'status', status, body: 'echo-headers' } });
      const r = await run();
      t.equal(r.status, 400, `${status} on ${method} ${set}: a plugin error`);
      const echoed = r.entries.filter((e) => e.fault?.kind === 'status');
      t.ok(echoed.length >= 1, `${status} on ${method} ${set}: ISM echoed the headers ${echoed.length} time(s)`);
      scanStep(t, `${status} echo on ${method} ${set}`, r, stack);
    }
  }
  sim.faults.clear();
});

interface Echo {
  url: string;
  mode: string;
  close(): Promise<void>;
}

/** A fake ISM that writes the Authorization header it received into everything it answers. */
async function echoingIsm(): Promise<Echo> {
  const state = { mode: 'record' };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    const auth = String(req.headers.authorization ?? '');
    const path = (req.url ?? '').split('?')[0]!;
    const send = (status: number, text: string, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text), 'x-echo': encodeURIComponent(auth) });
      res.end(text);
    };
    if (req.method === 'GET' && path.endsWith('/employees')) {
      if (state.mode === 'lookup-400') return send(400, JSON.stringify({ code: 'ISM_4000', description: `Bad ${auth}`, message: [`Header was ${auth}`, encodeURIComponent(auth)] }));
      if (state.mode === 'lookup-401') return send(401, JSON.stringify({ code: 'ISM_4001', message: [`Invalid key ${auth}`] }));
      if (state.mode === 'lookup-html') return send(500, `<html><body><h1>Error</h1><pre>Authorization: ${auth}\nkey=${auth.replace('rest_api_key=', '')}</pre></body></html>`, 'text/html');
      if (state.mode === 'lookup-broken') return send(200, `{"value":[{"RecId":"${auth}`);
      if (state.mode === 'lookup-other') return send(418, JSON.stringify({ Message: auth, error: { message: { value: auth } } }));
      return send(200, JSON.stringify({ value: [{ RecId: '9C3DD5203AB14D857E11FCFB2A3FBDDA', LoginID: 'user', DisplayName: `Echo ${auth}`, PrimaryEmail: 'user@example.com', Status: 'Active' }] }));
    }
    if (req.method === 'GET' && path.endsWith('/incidents')) {
      return send(200, JSON.stringify({ value: [{ RecId: 'BC6E2562367D08417D67FAECB5841C25', IncidentNumber: 10001 }] }));
    }
    if (req.method === 'POST' && path.endsWith('/incidents')) {
      return send(201, JSON.stringify({ RecId: 'BC6E2562367D08417D67FAECB5841C25', IncidentNumber: 10001, Subject: auth, Symptom: `said ${auth}`, Owner: encodeURIComponent(auth), ProfileFullName: JSON.stringify(auth), Nested: { deeper: [auth] } }));
    }
    if (req.method === 'POST' && path.endsWith('/journal__notess')) {
      return send(201, JSON.stringify({ RecId: 'AC6E2562367D08417D67FAECB5841C25', Subject: auth, NotesBody: auth, ParentLink_RecID: 'BC6E2562367D08417D67FAECB5841C25' }));
    }
    if (req.method === 'PATCH') return send(400, JSON.stringify({ code: 'ISM_4000', message: [`DataLayer.PromptException ${auth}`] }));
    return send(502, `Bad gateway for ${auth}`, 'text/plain');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/HEAT`,
    get mode() {
      return state.mode;
    },
    set mode(m: string) {
      state.mode = m;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

t.test('ISM echoes the key into records, messages, HTML and broken bodies', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const ism = await echoingIsm();
  t.teardown(() => ism.close());
  const conn = stack.connection({ url: ism.url });
  for (const mode of ['record', 'lookup-400', 'lookup-401', 'lookup-html', 'lookup-broken', 'lookup-other']) {
    ism.mode = mode;
    for (const [action, input] of [
      ['create_incident', createInput],
      ['add_note', { incident_number: 10001, summary: 's' }],
      ['update_incident', { incident_number: 10001, customer: 'user@example.com' }],
      ['delete_incident', { incident_number: 10001 }],
    ] as const) {
      const r = await stack.run(action, input, conn);
      t.ok(r.status === 200 || r.status === 400, `${mode} ${action}: ${r.status}`);
      scanStep(t, `${mode} ${action}`, r, stack);
    }
    scanStep(t, `${mode} connection test`, await stack.test(conn), stack);
  }
});

t.test('a wrong connection: bad URLs, DNS, refused, TLS', async (t) => {
  const stack = await startStack({ sim: { tls: true } });
  t.teardown(() => stack.close());
  const plain = await startStack();
  t.teardown(() => plain.close());
  const closed = await new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
  const urls: [string, Json][] = [
    ['not a URL', { url: 'not a url at all' }],
    ['the key in the URL', { url: `https://ism.example.com/HEAT?key=${CANARY}` }],
    ['the key URL-encoded in the URL', { url: `https://ism.example.com/${encodeURIComponent(CANARY)}?x=${encodeURIComponent(CANARY)}` }],
    ['the key as user info', { url: `https://user:${encodeURIComponent(CANARY)}@ism.example.com` }],
    ['the key as the host', { url: `http://${CANARY}/HEAT` }],
    ['an unknown scheme', { url: `ftp://ism.example.com/${CANARY}` }],
    ['DNS failure', { url: 'http://ism-does-not-exist.invalid/HEAT', connect_timeout: 2 }],
    ['connection refused', { url: `http://127.0.0.1:${closed}/HEAT` }],
    ['self-signed, ssl_verify true', { url: stack.sim.url, ssl_verify: true }],
    ['https to a plain HTTP tenant', { url: plain.sim.url.replace('http:', 'https:') }],
    ['the key as a path with TLS', { url: `${stack.sim.url}/${encodeURIComponent(CANARY)}`, ssl_verify: true }],
  ];
  for (const [name, extra] of urls) {
    const conn = stack.connection(extra);
    const test = await stack.test(conn);
    t.equal(test.status, 400, `${name}: the test fails (${test.body.error})`);
    scanStep(t, `${name}: connection test`, test, stack);
    const run = await stack.run('create_incident', createInput, conn);
    t.equal(run.status, 400, `${name}: the action fails`);
    scanStep(t, `${name}: create_incident`, run, stack);
  }
  scan(t, 'the plain stack', { 'the process log': plain.logText() });
});

t.test('the client puts the key elsewhere in its message', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const variants: [string, () => Promise<StepAnswer>][] = [
    ['in meta', () => stack.run('add_note', { incident_number: 10001, summary: 's' }, stack.connection(), { job: CANARY, nested: { k: [`x${CANARY}y`] } })],
    ['in the input (sent to ISM, masked in the output)', () => stack.run('create_incident', { ...createInput, summary: `leak ${CANARY}`, description: encodeURIComponent(CANARY) })],
    ['as an unknown input', () => stack.run('add_note', { incident_number: 10001, summary: 's', [CANARY]: CANARY })],
    ['as an input of the wrong type', () => stack.run('add_note', { incident_number: CANARY, summary: 's' })],
    ['as an enum value', () => stack.run('create_incident', { ...createInput, status: CANARY })],
    ['as a customer', () => stack.run('create_incident', { ...createInput, customer: CANARY })],
    ['as a connection setting', () => stack.run('add_note', { incident_number: 10001, summary: 's' }, stack.connection({ ssl_verify: CANARY }))],
    ['as the cache key', () => stack.run('add_note', { incident_number: 10001, summary: 's' }, stack.connection({ connection_cache_key: CANARY }))],
  ];
  for (const [name, run] of variants) scanStep(t, `the key ${name}`, await run(), stack);

  // Envelope-level: the action name, the type and the version carry the key.
  const raw = async (name: string, message: unknown) => {
    const res = await fetch(`${stack.url}/actions/add_note`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message) });
    const text = await res.text();
    const json = parseJson(text);
    scan(t, `the key ${name}`, { 'the HTTP answer': text, error: String(json?.body?.error ?? json?.message ?? ''), 'the process log': stack.logText() });
  };
  const body = { meta: {}, connection: stack.connection(), input: { incident_number: 10001, summary: 's' } };
  await raw('as the action name', { version: 'v1', type: 'action_start', body: { ...body, action: CANARY } });
  await raw('as the message type', { version: 'v1', type: CANARY, body: { ...body, action: 'add_note' } });
  await raw('as the version', { version: CANARY, type: 'action_start', body: { ...body, action: 'add_note' } });
  await raw('with a forbidden key beside it', { version: 'v1', type: 'action_start', body: { ...body, action: 'add_note', meta: JSON.parse(`{"__proto__":{"k":${JSON.stringify(CANARY)}}}`) } });
});

t.test('the command line: run and test as child processes', async (t) => {
  const stack = await startStack({ sim: { tls: true } });
  t.teardown(() => stack.close());
  const plain = await startStack();
  t.teardown(() => plain.close());
  plain.sim.faults.script({ method: 'POST', set: 'incidents', times: 'always', fault: { kind: 'status', status: 500, body: 'echo-headers' } });
  plain.sim.faults.script({ method: 'GET', set: 'incidents', times: 'always', fault: { kind: 'status', status: 503, body: 'echo-headers' } });
  const start = (action: string, input: Json, conn: Json, meta: Json = {}) => JSON.stringify({ version: 'v1', type: 'action_start', body: { action, meta, connection: conn, input } });
  const runs: [string, string[], string][] = [
    ['run: ISM echoes the header (500 on create)', ['run'], start('create_incident', createInput, plain.connection())],
    ['run: ISM echoes the header (503, retried)', ['run'], start('add_note', { incident_number: 10001, summary: 's' }, plain.connection())],
    ['run: the key in meta and input', ['run'], start('create_incident', { ...createInput, summary: CANARY, customer: `${CANARY}@x` }, plain.connection(), { k: CANARY })],
    ['test: TLS failure', ['test'], JSON.stringify({ version: 'v1', type: 'connection_test', body: { connection: stack.connection({ ssl_verify: true }) } })],
    ['test: the key in the URL', ['test'], JSON.stringify({ version: 'v1', type: 'connection_test', body: { connection: stack.connection({ url: `https://h/?k=${CANARY}` }) } })],
    ['run: unknown action named by the key', ['run', '--debug'], start(CANARY, {}, plain.connection())],
    ['run: stdin is broken JSON around the key', ['run'], start('add_note', {}, plain.connection()).slice(0, -10)],
  ];
  const results = await Promise.all(runs.map(([, args, stdin]) => runCli(args, stdin)));
  runs.forEach(([name], i) => {
    const r = results[i]!;
    figures.cliRuns++;
    t.equal(r.code, 1, `${name}: exits 1`);
    t.ok(r.stdout.trim().startsWith('{'), `${name}: stdout is the envelope`);
    scan(t, `cli ${name}`, { stdout: r.stdout, stderr: r.stderr });
  });
  scan(t, 'the simulators', { 'the process log': plain.logText() + stack.logText() });
});

t.test('figures', async (t) => {
  t.equal(figures.secretsFound, 0, `${figures.textsScanned} texts of ${figures.scenarios} scenarios scanned: no canary`);
  recordResults('secrets', { ...figures, canaryForms: ['raw', 'URL-encoded', 'JSON-escaped', 'JSON-escaped twice', 'base64', 'prefix'] });
});
