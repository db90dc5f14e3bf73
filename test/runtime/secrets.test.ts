/** A planted connection secret never appears in a response, body.log, error, exception data, output or log line. */
import t, { type Test } from 'tap';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/runtime/logger.js';
import { MASK } from '../../src/runtime/mask.js';
import { actionStart, connection, eventBody, post, SECRET, startHello, type HttpAnswer } from './helpers.js';

/** A secret with characters that change when URL-encoded or JSON-escaped. */
const AWKWARD = 'p@ss w/"rd\\ key-77';

function forms(secret: string): string[] {
  return [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
}

function assertHidden(t: Test, text: string, secret: string, where: string): void {
  for (const form of forms(secret)) t.notOk(text.includes(form), `${where} does not contain ${JSON.stringify(form)}`);
}

const misbehaviours = ['log-secret', 'echo-secret', 'throw-secret', 'plugin-error', 'bad-output', 'throw', 'World'];

for (const secret of [SECRET, AWKWARD]) {
  t.test(`the secret ${JSON.stringify(secret)} stays hidden whatever the step does`, async (t) => {
    const server = await startHello();
    t.teardown(server.close);
    const answers: HttpAnswer[] = [];
    for (const name of misbehaviours) {
      answers.push(await post(`${server.url}/actions/say_hello`, actionStart({ name }, { connection: connection({}, secret) })));
    }
    // The secret given as input, echoed back in the output and named in an error.
    answers.push(await post(`${server.url}/actions/say_hello`, actionStart({ name: secret }, { connection: connection({}, secret) })));
    answers.push(await post(`${server.url}/actions/say_hello`, actionStart({ name: 'x', style: secret }, { connection: connection({}, secret) })));
    // The secret as the name of a step, on the route and in the body.
    answers.push(await post(`${server.url}/actions/${encodeURIComponent(secret)}`, actionStart({}, { action: secret, connection: connection({}, secret) })));
    // Tests and a connection that fails its schema while carrying the secret.
    answers.push(await post(`${server.url}/actions/say_hello/test`, actionStart({}, { connection: connection({}, secret) })));
    answers.push(await post(`${server.url}/api/v1/connection/test`, { version: 'v1', type: 'connection_test', body: { connection: connection({ punctuation: 3 }, secret) } }));

    const byName = (name: string) => answers[misbehaviours.indexOf(name)]!;
    t.equal(eventBody(byName('echo-secret')).output?.message, MASK, 'an output string containing the secret becomes the mask');
    t.equal(eventBody(answers[misbehaviours.length]!).output?.message, MASK, 'the secret given as input is masked in the output too');
    t.match(eventBody(byName('log-secret')).log, /the key is \*{8}/, 'the log line is kept, the secret masked');
    t.match(eventBody(byName('log-secret')).log, /url: https:\/\/example.com\/\?key=\*{8}/, 'URL-encoded form masked');
    t.match(eventBody(byName('log-secret')).log, /json: \{"key":"\*{8}"\}/, 'JSON-escaped form masked');
    t.equal((eventBody(byName('throw-secret')).exception as Record<string, string>).data, `the greeting machine rejected key ${MASK}`);
    t.match((eventBody(byName('plugin-error')).exception as Record<string, string>).data, /looked up with \*{8}/);

    answers.forEach((a, i) => assertHidden(t, a.text, secret, `response ${i}`));
    const logText = server.logText();
    t.ok(logText.length > 0, 'the process logged something');
    assertHidden(t, logText, secret, 'the pino log');
  });
}

t.test('steps under one connection_cache_key with other secrets run on their own connections and show neither secret', async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  const other = 'other-secret-1234';
  const first = await post(`${server.url}/actions/say_hello`, actionStart({ name: 'Ada' }, { connection: connection({ connection_cache_key: 'shared' }, SECRET) }));
  t.equal(first.status, 200);
  for (const name of ['echo-secret', 'log-secret', 'throw-secret', 'plugin-error']) {
    const res = await post(`${server.url}/actions/say_hello`, actionStart({ name }, { connection: connection({ connection_cache_key: 'shared' }, other) }));
    t.equal(server.stats.connects, 2, `${name}: the step ran on a connection made with its own secret`);
    assertHidden(t, res.text, SECRET, `${name} response`);
    assertHidden(t, res.text, other, `${name} response`);
  }
  assertHidden(t, server.logText(), SECRET, 'the pino log');
  assertHidden(t, server.logText(), other, 'the pino log');
});

t.test('the masking rule: any output string equal to or containing the secret becomes the mask, at any depth', async (t) => {
  const { SecretMask } = await import('../../src/runtime/mask.js');
  const mask = new SecretMask([SECRET]);
  t.same(
    mask.value({ a: SECRET, b: `x${SECRET}y`, c: 'fine', d: [1, `${SECRET}`, { e: `pre ${SECRET}` }], [SECRET]: 1, n: null }),
    { a: MASK, b: MASK, c: 'fine', d: [1, MASK, { e: MASK }], [MASK]: 1, n: null },
  );
  t.equal(mask.text(`one ${SECRET} two ${SECRET}`), `one ${MASK} two ${MASK}`);
});

t.test('the process logger redacts secrets and Authorization headers even when a whole object is logged', async (t) => {
  let out = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      out += chunk.toString('utf8');
      callback();
    },
  });
  const logger = createLogger({ level: 'debug', destination });
  const conn = connection();
  logger.info({ req: { headers: { authorization: `Bearer ${SECRET}` } } }, 'incoming');
  logger.info({ headers: { Authorization: `rest_api_key=${SECRET}` } }, 'outgoing');
  logger.info({ options: { headers: { authorization: SECRET } } }, 'nested headers');
  logger.info({ connection: conn }, 'connection');
  logger.info({ body: { connection: conn } }, 'message body');
  logger.info({ message: { body: { connection: conn } } }, 'whole message');
  logger.info({ credentials: { secretKey: SECRET } }, 'credentials');
  t.equal(out.trim().split('\n').length, 7, 'every line was written');
  t.notOk(out.includes(SECRET), 'no line shows the secret');
  t.ok(out.includes(MASK), 'the redacted places show the mask');
});
