/**
 * Errors that point the right way: each route's hint shows the message that route takes, an
 * unknown step name gets the closest real one, and a bad setting is a usage error that `run`
 * still answers with one error envelope.
 */
import t from 'tap';
import { actionStart, connection, eventBody, get, post, runHello, singleEnvelope, startHello, type Json } from './helpers.js';


const connectionTest = { version: 'v1', type: 'connection_test', body: { connection: connection() } };
const triggerStart = { version: 'v1', type: 'trigger_start', body: { trigger: 'hello_trigger', connection: connection(), input: { name: 'x' } } };

t.test("every route's hint shows the message type that route takes", async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  const cases: [string, unknown, string, RegExp][] = [
    ['/api/v1/connection/test', actionStart(), 'connection_test', /send a connection_test message/],
    ['/api/v1/connection/test', { version: 'v2' }, 'connection_test', /version/],
    ['/actions/say_hello', connectionTest, 'action_start', /takes action_start messages/],
    ['/api/v1/actions/say_hello', { type: 'action_start' }, 'action_start', /version/],
    ['/actions/say_hello/test', triggerStart, 'action_start', /takes action_start messages/],
    ['/triggers/hello_trigger/test', actionStart(), 'trigger_start', /takes trigger_start messages/],
  ];
  for (const [route, message, wanted, cause] of cases) {
    const res = await post(`${server.url}${route}`, message);
    const exception = eventBody(res).exception as Json;
    t.equal(res.status, 400, route);
    t.match(exception.cause, cause, `${route}: the cause`);
    t.match(exception.assistance, `"type":"${wanted}"`, `${route}: the example is a ${wanted} message`);
    for (const other of ['action_start', 'trigger_start', 'connection_test'].filter((type) => type !== wanted)) {
      t.notMatch(exception.assistance, `"type":"${other}"`, `${route}: no ${other} example`);
    }
  }
  const named = await post(`${server.url}/actions/say_hello`, { version: 'v1', type: 'action_start', body: {} });
  t.match((eventBody(named).exception as Json).assistance, '"action":"say_hello"', "an action route's example names its action");
});

t.test('an unknown action or trigger suggests the closest name', async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  for (const typo of ['say_helo', 'sayhello', 'Say_Hello', 'hello']) {
    const res = await post(`${server.url}/actions/${typo}`, actionStart({ name: 'x' }, { action: typo }));
    t.equal(res.status, 400, typo);
    t.match(eventBody(res).error, /did you mean say_hello\?/, typo);
  }
  const far = await post(`${server.url}/actions/delete_everything`, actionStart({ name: 'x' }, { action: 'delete_everything' }));
  t.notMatch(eventBody(far).error, /did you mean/, 'nothing close: no guess');
  t.match(eventBody(far).error, /This plugin has: say_hello/);
  const trigger = await post(`${server.url}/triggers/hello_triger/test`, { ...triggerStart, body: { ...triggerStart.body, trigger: 'hello_triger' } });
  t.match(eventBody(trigger).error, /did you mean hello_trigger\?/);
  const described = await get(`${server.url}/api/v1/actions/say_helo`);
  t.equal(described.status, 400);
  t.match(described.json.message, /did you mean say_hello\?/);
});

t.test('an invalid LOG_LEVEL is a usage error; run still writes one error envelope', async (t) => {
  const message = JSON.stringify(actionStart({ name: 'Ada' }));
  for (const command of ['run', 'test']) {
    const result = await runHello([command], message, 120_000, { LOG_LEVEL: 'verbose' });
    t.equal(result.code, 2, `${command}: a usage error`);
    const envelope = singleEnvelope(result.stdout);
    t.match(envelope, { version: 'v1', type: 'action_event', body: { status: 'error' } });
    t.match((envelope.body as Json).error, /LOG_LEVEL must be one of .*debug.*info.*warn.*error.*not 'verbose'/);
    t.match(result.stderr, /LOG_LEVEL must be one of/);
  }
  const http = await runHello(['http', '--port', '0'], undefined, 120_000, { LOG_LEVEL: 'verbose' });
  t.equal(http.code, 2, 'http: a usage error, not a crash');
  t.equal(http.stdout, '');
  t.match(http.stderr, /LOG_LEVEL must be one of/);
  t.ok(http.stderr.length < 4_000, 'a message and the usage, not a stack trace');
  const sample = await runHello(['sample', 'say_helo'], undefined, 120_000);
  t.equal(sample.code, 2);
  t.match(sample.stderr, /did you mean say_hello\?/);
});
