/** The runtime refuses malformed Unicode anywhere in a start message, on every way in. */
import t from 'tap';
import { actionStart, connection, eventBody, post, runHello, singleEnvelope, startHello } from './helpers.js';

t.test('over HTTP: a lone surrogate in the secret or an input is a 400 naming it, never a 500', async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  const cases: [string, unknown][] = [
    ["The connection is not valid: 'greeting_key.secretKey'", actionStart({ name: 'Ada' }, { connection: connection({}, 'sec\ud800ret') })],
    ["The input is not valid: 'name'", actionStart({ name: '\udc00Ada' })],
    ["'body.meta.job'", actionStart({ name: 'Ada' }, { meta: { job: 'j\udbff' } })],
  ];
  for (const [field, message] of cases) {
    for (const route of ['/actions/say_hello', '/actions/say_hello/test']) {
      const res = await post(`${server.url}${route}`, message);
      t.equal(res.status, 400, `${field} on ${route}`);
      t.match(eventBody(res).error, `${field} is not well-formed Unicode`);
    }
  }
  t.equal(server.stats.connects, 0, 'nothing was connected');
});

t.test('with run: one error envelope on stdout, exit 1', async (t) => {
  // JSON text can only carry a lone surrogate as an escape.
  const stdin = JSON.stringify(actionStart({ name: 'Ada' }, { connection: connection({}, 'sec\ud800ret') }));
  t.match(stdin, /\\ud800/);
  const result = await runHello(['run'], stdin);
  t.equal(result.code, 1);
  const envelope = singleEnvelope(result.stdout);
  t.match(envelope, { type: 'action_event', body: { status: 'error' } });
  t.match((envelope.body as { error: string }).error, "The connection is not valid: 'greeting_key.secretKey' is not well-formed Unicode");
});
