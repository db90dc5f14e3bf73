/**
 * Every error mapping of issue 5 point 6, end to end: what ISM (or the network) did, the
 * error the orchestrator gets (cause, assistance, data), and that neither the answer nor the
 * process log ever shows the API key (every answer and the log are checked by the helpers).
 */
import t, { type Test } from 'tap';
import { builtInSeed } from '../../src/simulator/index.js';
import { describeBadRequest, errorFromResponse, errorFromTransport, parseIsmErrorBody, scrubExcerpt } from '../../src/ivanti/ism-errors.js';
import { KEY, RO_KEY, closedPort, sampleInput, shape, startStack, type Json, type StepAnswer } from './helpers.js';

const createInput = () => sampleInput('create_incident', { assignee: '' });

function dataOf(r: StepAnswer): Json {
  return JSON.parse(r.body.exception.data as string) as Json;
}

function failed(t: Test, r: StepAnswer, cause: RegExp): void {
  t.equal(r.status, 400, 'a plugin error: 400');
  t.equal(r.body.status, 'error');
  t.notOk('output' in r.body, 'no output');
  t.match(r.body.exception.cause, cause);
  t.equal(typeof r.body.error, 'string');
  t.ok((r.body.error as string).includes(r.body.exception.cause as string), 'the error line holds the cause');
}

t.test('ISM answers mapped to errors', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const { sim } = stack;

  t.test('401: invalid API key', async (t) => {
    const wrongKey = 'wr0ng-K3Y-5ecret-77e1';
    const r = await stack.test(stack.connection({ credentials: { secretKey: wrongKey } }));
    failed(t, r, /rejected the API key \(401/);
    t.match(r.body.exception.assistance, /API key/);
    t.same(dataOf(r).message, ['Authentication required']);
    t.equal(r.entries.length, 1, 'not retried');
    t.equal(r.entries[0]!.headers.authorization, 'present/invalid');
    t.notOk(r.text.includes(wrongKey), 'the wrong key is not echoed either');
    t.notOk(stack.logText().includes(wrongKey));
    const action = await stack.run('create_incident', createInput(), stack.connection({ credentials: { secretKey: wrongKey } }));
    failed(t, action, /rejected the API key/);
    t.same(shape(action.entries), ['GET employees'], 'stops at the first 401');
  });

  t.test("read-only key: not permitted, with ISM's role message", async (t) => {
    const before = sim.store.counts().incidents;
    const r = await stack.run('create_incident', createInput(), stack.connection({ credentials: { secretKey: RO_KEY } }));
    failed(t, r, /ISM refused: Role SelfService does not have rights to create object/);
    t.match(r.body.exception.assistance, /role/);
    t.match(dataOf(r).message, [/Role SelfService/]);
    t.equal(sim.store.counts().incidents, before, 'nothing created');
    const del = await stack.run('delete_incident', { incident_number: 10001 }, stack.connection({ credentials: { secretKey: RO_KEY } }));
    failed(t, del, /Role SelfService does not have rights to delete/);
    t.ok(sim.store.findIncidentByNumber(10001), 'nothing deleted');
    const read = await stack.test(stack.connection({ credentials: { secretKey: RO_KEY } }));
    t.equal(read.status, 200, 'a read-only key passes the connection test (it can read)');
  });

  t.test('404: wrong URL, mentioning /HEAT', async (t) => {
    const r = await stack.test(stack.connection({ url: `${sim.origin}/HEAT/tenant` }));
    failed(t, r, /404.*does not lead to the ISM REST API/);
    t.match(r.body.exception.assistance, /\/HEAT/);
    t.equal(r.entries.length, 1, 'not retried');
  });

  t.test("400 validation: the value and the field, ISM's messages in data", async (t) => {
    const r = await stack.run('create_incident', { ...createInput(), category: 'Bogus' });
    failed(t, r, /'Bogus' is not a valid Category/);
    const data = dataOf(r);
    t.equal(data.status, 400);
    t.equal(data.code, 'ISM_4000');
    t.same(data.message, ["UndefinedValidatedValue: 'Bogus' is not in the validation list of validated field Incident.Category"]);
    t.equal(r.entries.filter((e) => e.method === 'POST').length, 1, 'a 400 is not retried');
    const update = await stack.run('update_incident', { incident_number: 10001, category: "It's bogus" });
    failed(t, update, /'It's bogus' is not a valid Category/);
  });

  t.test('429: rate limited (a POST is not retried)', async (t) => {
    sim.faults.script({ method: 'POST', set: 'incidents', fault: { kind: 'status', status: 429, retryAfter: 1 } });
    const r = await stack.run('create_incident', createInput());
    failed(t, r, /rate limiting/);
    t.match(r.body.exception.assistance, /Wait/);
    t.equal(r.entries.filter((e) => e.method === 'POST').length, 1);
  });

  t.test('429 on a GET: retried, then rate limited', async (t) => {
    sim.faults.script({ method: 'GET', set: 'employees', times: 'always', fault: { kind: 'status', status: 429 } });
    t.teardown(() => sim.faults.clear());
    const r = await stack.test();
    failed(t, r, /rate limiting/);
    t.equal(r.entries.length, 4, 'first attempt and three retries');
  });

  t.test('500 with a JSON body: server error with what ISM said', async (t) => {
    sim.faults.script({ method: 'POST', set: 'incidents', fault: { kind: 'status', status: 500 } });
    const r = await stack.run('create_incident', createInput());
    failed(t, r, /ISM failed to process POST incidents \(500\): An unexpected error occurred while processing the request\.$/);
    t.same(dataOf(r).message, ['An unexpected error occurred while processing the request.']);
    t.equal(r.entries.filter((e) => e.method === 'POST').length, 1, 'a 500 is not retried');
  });

  t.test('500 with an HTML page: a short, scrubbed excerpt', async (t) => {
    sim.faults.script({ method: 'GET', set: 'incidents', fault: { kind: 'status', status: 500, body: 'html' } });
    const r = await stack.run('add_note', { incident_number: 10001, summary: 'x' });
    failed(t, r, /ISM failed to process GET incidents.* \(500\)/);
    const excerpt = dataOf(r).excerpt as string;
    t.type(excerpt, 'string');
    t.ok(excerpt.length <= 160, `short (${excerpt.length} characters)`);
    t.match(excerpt, /Server Error/);
    t.notMatch(r.text, /<html|<h1|&#/i, 'no markup or entities');
    t.notMatch(r.text, /[0-9A-F]{24}/, 'no session id');
    t.notMatch(r.text, /saasit|ism-app-07|example-tenant/, 'no host or tenant name');
    t.notMatch(stack.logText(), /saasit|ism-app-07/, 'not in the log either');
  });

  for (const [status, cause] of [
    [502, /unavailable \(502\)/],
    [503, /unavailable \(503\)/],
    [504, /gateway in front of ISM timed out.*\(504\)/],
  ] as const) {
    t.test(`${status}: its own error; a POST is not retried`, async (t) => {
      const before = sim.store.counts().incidents;
      sim.faults.script({ method: 'POST', set: 'incidents', fault: { kind: 'status', status } });
      const r = await stack.run('create_incident', createInput());
      failed(t, r, cause);
      t.equal(r.entries.filter((e) => e.method === 'POST').length, 1);
      t.equal(sim.store.counts().incidents, before);
    });
  }

  t.test('an error page echoing the request headers does not leak the key', async (t) => {
    sim.faults.script({ method: 'POST', set: 'incidents', fault: { kind: 'status', status: 500, body: 'echo-headers' } });
    const r = await stack.run('create_incident', createInput());
    failed(t, r, /500/);
    // The helpers fail the test if the key shows in the answer or the log.
    t.notOk(r.text.includes(KEY));
  });

  t.test('invalid JSON from a GET: retried, then invalid JSON', async (t) => {
    sim.faults.script({ method: 'GET', set: 'employees', times: 'always', fault: { kind: 'invalid-json' } });
    t.teardown(() => sim.faults.clear());
    const r = await stack.test();
    failed(t, r, /not valid JSON/);
    t.equal(r.entries.length, 4);
  });

  t.test('invalid JSON from a create: not retried, and says the incident was probably saved', async (t) => {
    const before = sim.store.counts().incidents;
    sim.faults.script({ method: 'POST', set: 'incidents', fault: { kind: 'invalid-json' } });
    const r = await stack.run('create_incident', createInput());
    failed(t, r, /POST incidents \(200\) with a body that is not valid JSON/);
    t.match(r.body.exception.assistance, /probably saved: check in ISM/);
    t.equal(r.entries.filter((e) => e.method === 'POST').length, 1);
    t.equal(sim.store.counts().incidents, before + 1, 'the one create was applied');
  });

  t.test('empty body on create: an error that says to check ISM', async (t) => {
    const before = sim.store.counts().incidents;
    sim.faults.script({ method: 'POST', set: 'incidents', fault: { kind: 'empty-body' } });
    const r = await stack.run('create_incident', createInput());
    failed(t, r, /ISM did not return the created incident \(the answer had no body\)/);
    t.match(r.body.exception.assistance, /Check in ISM/);
    t.equal(r.entries.filter((e) => e.method === 'POST').length, 1);
    t.equal(sim.store.counts().incidents, before + 1);
  });

  t.test('ISM returning no body for a GET of a record', async (t) => {
    sim.behaviour.updateAnswer = 'no-content';
    t.teardown(() => void (sim.behaviour.updateAnswer = 'record'));
    sim.faults.script({ method: 'GET', set: 'incidents', times: 2, fault: { kind: 'empty-body' } });
    const r = await stack.run('update_incident', { incident_number: 10002, category: 'Email' });
    // The lookup sees no rows; nothing is patched.
    failed(t, r, /No incident has the number 10002/);
    t.notOk(r.entries.some((e) => e.method === 'PATCH'));
    sim.faults.clear();
  });
});

t.test('tenant validation lists: the note Category and Source', async (t) => {
  const seed = builtInSeed();
  seed.validationLists.note.Category = seed.validationLists.note.Category.filter((c) => c !== 'Left Voice Mail');
  seed.validationLists.note.Source = seed.validationLists.note.Source.filter((c) => c !== 'Voice Mail');
  const stack = await startStack({ sim: { seed } });
  t.teardown(() => stack.close());
  const category = await stack.run('add_note', { incident_number: 10001, summary: 'x', category: 'Left Voice Mail' });
  failed(t, category, /'Left Voice Mail' is not a valid Category in this tenant/);
  t.match(dataOf(category).message, [/Journal#Notes\.Category/]);
  const source = await stack.run('add_note', { incident_number: 10001, summary: 'x', source: 'Voice Mail' });
  failed(t, source, /'Voice Mail' is not a valid Source/);
  t.equal(stack.sim.store.notesFor('BC6E2562367D08417D67FAECB5841C25').length, 0, 'no note saved');
});

t.test('transport failures', async (t) => {
  const stack = await startStack({ connection: { request_timeout: 1 } });
  t.teardown(() => stack.close());
  const { sim } = stack;

  t.test('timeout: a create that hangs is not retried', async (t) => {
    const before = sim.store.counts().incidents;
    sim.faults.script({ method: 'POST', set: 'incidents', fault: { kind: 'hang' } });
    const r = await stack.run('create_incident', createInput());
    failed(t, r, /did not answer within 1 s/);
    t.match(r.body.exception.assistance, /request_timeout/);
    t.equal(r.entries.filter((e) => e.method === 'POST').length, 1);
    t.equal(sim.store.counts().incidents, before, 'a hung request was never applied');
  });

  t.test('connection test timing out: its own error (one attempt, retries off)', async (t) => {
    const once = await startStack({ retry: { retries: 0 }, connection: { request_timeout: 1 } });
    t.teardown(() => once.close());
    once.sim.faults.script({ method: 'GET', set: 'employees', fault: { kind: 'hang' } });
    const r = await once.test();
    failed(t, r, /ISM at 127\.0\.0\.1:\d+ did not answer within 1 s/);
    t.match(r.body.exception.assistance, /request_timeout/);
    t.equal(r.entries.length, 1);
  });

  t.test('connection refused', async (t) => {
    const port = await closedPort();
    const r = await stack.test(stack.connection({ url: `http://127.0.0.1:${port}` }));
    failed(t, r, new RegExp(`127\\.0\\.0\\.1:${port} refused the connection`));
    t.match(r.body.exception.assistance, /host and port/);
  });

  t.test('DNS failure', async (t) => {
    const r = await stack.test(stack.connection({ url: 'https://nonexistent.invalid' }));
    failed(t, r, /nonexistent\.invalid could not be resolved \(DNS\)/);
    t.match(r.body.exception.assistance, /host name/);
  });

  t.test('a URL that is not one', async (t) => {
    const r = await stack.test(stack.connection({ url: 'ftp://ism.example.com' }));
    failed(t, r, /scheme must be https or http/);
  });
});

t.test('error mapping units', async (t) => {
  t.same(parseIsmErrorBody('{"code":"ISM_4000","description":"Invalid","message":["a","b"],"help":""}'), { code: 'ISM_4000', description: 'Invalid', messages: ['a', 'b'] });
  t.same(parseIsmErrorBody('{"error":{"code":"E1","message":{"value":"deep"}}}'), { code: 'E1', messages: ['deep'] });
  t.same(parseIsmErrorBody('{"error":{"code":"E2","message":"flat"}}'), { code: 'E2', messages: ['flat'] });
  t.same(parseIsmErrorBody('{"Message":"capital"}'), { messages: ['capital'] });
  t.equal(parseIsmErrorBody('<html></html>'), undefined);
  t.equal(parseIsmErrorBody('"text"'), undefined);

  t.equal(
    describeBadRequest(['Incident((new)).NotEmpty: Required field Incident.Symptom value must be provided.']),
    'ISM requires the field Symptom (Description), which was not given.',
  );
  t.equal(
    describeBadRequest(['Journal#Notes((new)).NotEmpty: Required field Journal#Notes.Subject value must be provided.']),
    'ISM requires the field Subject (Summary), which was not given.',
  );
  t.match(describeBadRequest(["UndefinedValidatedValue: 'O''Brien' is not in the validation list of validated field Incident.Owner"]), /^'O'Brien' is not a valid Owner/);

  const base = { body: '', contentType: '', method: 'GET', path: 'employees' };
  t.equal(errorFromResponse({ ...base, status: 403 }).preset.code, 'unauthorized', '403: not permitted');
  t.equal(errorFromResponse({ ...base, status: 302 }).preset.code, 'not_found', 'a redirect (login page): wrong URL');
  t.match(errorFromResponse({ ...base, status: 302 }).reason, /login page/);
  t.equal(errorFromResponse({ ...base, status: 401 }).preset.code, 'invalid_api_key');
  t.equal(errorFromResponse({ ...base, status: 418 }).preset.code, 'bad_request');

  const tls = errorFromTransport({ code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: 'x', host: 'ism.example.com' });
  t.match(tls.reason, /not issued for the host name ism\.example\.com\./);
  t.match(tls.assistance, /ssl_verify/);
  t.match(errorFromTransport({ code: 'CERT_HAS_EXPIRED', message: 'x', host: 'h' }).reason, /could not be verified \(CERT_HAS_EXPIRED\)/);
  t.match(errorFromTransport({ code: 'ETIMEDOUT', event: 'connect', message: 'x', host: 'h', timeoutMs: 10_000 }).reason, /Could not connect to h within 10 s/);
  t.match(errorFromTransport({ code: 'ETIMEDOUT', event: 'connect', message: 'x', host: 'h', timeoutMs: 10_000 }).assistance, /connect_timeout/);
  t.match(errorFromTransport({ code: 'ECONNRESET', message: 'x', host: 'h' }).assistance, /check ISM first/);
  t.match(errorFromTransport({ code: 'EPROTO', message: 'x', host: 'h' }).reason, /TLS handshake/);

  const page = '<html><body><h1>Error</h1><p>SessionId=ABCDEF0123456789ABCDEF01 on ism-01.tenant.example.com (10.1.2.3) &lt;b&gt;</p></body></html>';
  const excerpt = scrubExcerpt(page);
  t.notMatch(excerpt, /ABCDEF0123456789|ism-01|10\.1\.2\.3|<|&lt;/);
  t.ok(scrubExcerpt('x'.repeat(1000) + ' y').length <= 160);
});
