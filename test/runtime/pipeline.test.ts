/** The run path of the pipeline over HTTP: connection and input validation, defaults, the action, output validation, errors, the step log. */
import t from 'tap';
import type { ValidatorSource } from '../../src/runtime/validate.js';
import { actionStart, connection, eventBody, post, SECRET, startHello } from './helpers.js';

t.test('input type errors are 400s that name the field', async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['name a number', { name: 42 }, /'name' must be a string, not an integer/],
    ['name an object', { name: { first: 'Ada' } }, /'name' must be a string, not an object/],
    ['name missing', {}, /'name' is required but missing/],
    ['style not in the enum', { name: 'Ada', style: 'shouty' }, /'style' must be one of "plain", "loud", "polite" \(got "shouty"\)/],
    ['style a boolean', { name: 'Ada', style: true }, /'style' must be a string, not a boolean/],
  ];
  for (const [what, input, pattern] of cases) {
    const res = await post(`${server.url}/actions/say_hello`, actionStart(input));
    t.equal(res.status, 400, `${what}: 400`);
    t.equal(eventBody(res).status, 'error');
    t.match(eventBody(res).error, pattern, `${what}: names the field`);
    t.match(eventBody(res).exception, { cause: pattern, assistance: /input/ });
    t.notOk('output' in eventBody(res));
  }
});

t.test('null or empty required inputs are 400s that name the field', async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  for (const value of [null, '']) {
    const res = await post(`${server.url}/actions/say_hello`, actionStart({ name: value }));
    t.equal(res.status, 400, `name ${JSON.stringify(value)}: 400`);
    t.match(eventBody(res).error, /'name' is required and must not be null or empty/);
  }
});

t.test('a blank optional input (null or "") counts as not given, so its default applies', async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  for (const value of [null, '']) {
    const res = await post(`${server.url}/actions/say_hello`, actionStart({ name: 'Ada', style: value }));
    t.equal(res.status, 200, `style ${JSON.stringify(value)}: accepted`);
    t.match(eventBody(res).output, { message: 'Hello, Ada!', style: 'plain' }, 'the default applied');
  }
  // A value that is given must still be one the schema allows.
  const wrong = await post(`${server.url}/actions/say_hello`, actionStart({ name: 'Ada', style: 'shouty' }));
  t.equal(wrong.status, 400);
  t.match(eventBody(wrong).error, /'style' must be one of "plain", "loud", "polite" \(got "shouty"\)/);
});

t.test('input defaults from the spec are applied', async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  const res = await post(`${server.url}/actions/say_hello`, actionStart({ name: 'Ada' }));
  t.equal(res.status, 200);
  t.match(eventBody(res).output, { message: 'Hello, Ada!', style: 'plain' }, 'style defaulted to plain');
  const loud = await post(`${server.url}/actions/say_hello`, actionStart({ name: 'Ada', style: 'loud' }));
  t.match(eventBody(loud).output, { message: 'HELLO, ADA!', style: 'loud' });
});

t.test('connection schema errors are 400s that name the field; connection defaults are applied', async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['no key', {}, /'greeting_key' is required but missing/],
    ['a bare string key', { greeting_key: SECRET }, /'greeting_key' must be an object, not a string/],
    ['key without secretKey', { greeting_key: {} }, /'greeting_key.secretKey' is required but missing/],
    ['secretKey a number', { greeting_key: { secretKey: 5 } }, /'greeting_key.secretKey' must be a string, not an integer/],
    ['punctuation a number', { greeting_key: { secretKey: SECRET }, punctuation: 1 }, /'punctuation' must be a string, not an integer/],
  ];
  for (const [what, conn, pattern] of cases) {
    for (const path of ['/actions/say_hello', '/actions/say_hello/test']) {
      const res = await post(`${server.url}${path}`, actionStart({ name: 'Ada' }, { connection: conn }));
      t.equal(res.status, 400, `${what} on ${path}: 400`);
      t.match(eventBody(res).error, pattern, `${what}: names the field`);
      t.match(eventBody(res).exception, { cause: /The connection is not valid/, assistance: /connection/ });
    }
  }
  t.equal(server.stats.connects, 0, 'an invalid connection is never connected');

  const res = await post(`${server.url}/actions/say_hello`, actionStart({ name: 'Ada' }));
  t.equal(eventBody(res).output?.message, 'Hello, Ada!', 'the default punctuation ends the greeting');
  t.same(server.stats.configs[0], { greeting_key: { secretKey: SECRET }, punctuation: '!' }, 'connect got the connection with its default');
  const custom = await post(`${server.url}/actions/say_hello`, actionStart({ name: 'Ada' }, { connection: connection({ punctuation: '?' }) }));
  t.equal(eventBody(custom).output?.message, 'Hello, Ada?');
});

t.test('output that breaks its schema is a 500 and is never passed on', async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  const bad = await post(`${server.url}/actions/say_hello`, actionStart({ name: 'bad-output' }));
  t.equal(bad.status, 500);
  t.equal(eventBody(bad).status, 'error');
  t.notOk('output' in eventBody(bad), 'no output');
  t.notMatch(bad.text, /bad-output-marker/, 'nothing of the output leaks');
  t.match(eventBody(bad).exception, { cause: /The output of 'say_hello' does not match its schema: 'message' must be a string, not an integer/, assistance: /bug in the plugin/ });

  const missing = await post(`${server.url}/actions/say_hello`, actionStart({ name: 'no-output' }));
  t.equal(missing.status, 500);
  t.notOk('output' in eventBody(missing));
  t.match(eventBody(missing).error, /'message' is required but missing/);
});

t.test('a plain exception is a 500 with the unknown preset', async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  const res = await post(`${server.url}/actions/say_hello`, actionStart({ name: 'throw' }));
  t.equal(res.status, 500);
  t.equal(eventBody(res).status, 'error');
  t.notOk('output' in eventBody(res));
  const exception = eventBody(res).exception as Record<string, string>;
  t.equal(exception.cause, 'Something unexpected went wrong.');
  t.match(exception.assistance, /Run the step again/);
  t.equal(exception.data, 'the greeting machine jammed');
  t.equal(eventBody(res).error, `${exception.cause} ${exception.assistance}`);
  t.ok(server.logLines().some((l) => l.msg === 'unexpected exception' && /the greeting machine jammed/.test(String(l.stack))), 'the stack goes to the process log');
});

t.test('a PluginError is a 400 with cause, assistance and data', async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  const res = await post(`${server.url}/actions/say_hello`, actionStart({ name: 'plugin-error' }));
  t.equal(res.status, 400);
  t.equal(res.json.type, 'action_event');
  const body = eventBody(res);
  t.equal(body.status, 'error');
  t.notOk('output' in body);
  t.same(body.exception, {
    cause: 'Nobody called plugin-error lives here.',
    assistance: 'Check that the identifier and the connection URL are correct.',
    data: '{"message":["no such person","looked up with ********"]}',
  });
  t.match(body.error, /Nobody called plugin-error lives here\./);
  t.match(body.error, /Check that the identifier and the connection URL are correct\./);
});

t.test("the step's log, including the connect, comes back in body.log", async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  const first = await post(`${server.url}/actions/say_hello`, actionStart({ name: 'Ada' }));
  t.match(eventBody(first).log, /^\S+ INFO connected to the greeting machine \(connection 1\)\n\S+ INFO greeting Ada\n$/);
  const second = await post(`${server.url}/actions/say_hello`, actionStart({ name: 'Bob' }));
  t.match(eventBody(second).log, /^\S+ INFO greeting Bob\n$/, 'each step has only its own lines');
  const failed = await post(`${server.url}/actions/say_hello`, actionStart({ name: 'throw' }));
  t.match(eventBody(failed).log, /INFO greeting throw\n/, 'a failed step keeps its log');
  t.ok(server.logLines().some((l) => l.stepLog === true && l.msg === 'greeting Bob'), 'step lines also reach the process log');
});

t.test('validators are loaded once per process, not per request', async (t) => {
  const loads: string[] = [];
  const counting = (source: ValidatorSource): ValidatorSource => ({
    connection: () => (loads.push('connection'), source.connection()),
    actions: Object.fromEntries(Object.entries(source.actions).map(([name, load]) => [name, () => (loads.push(name), load())])),
    triggers: source.triggers,
  });
  const server = await startHello({ validators: counting });
  t.teardown(server.close);
  const statuses = await Promise.all(
    [{ name: 'Ada' }, { name: 'Bob', style: 'loud' }, { name: 1 }, { name: 'Cy' }].map(async (input) => (await post(`${server.url}/actions/say_hello`, actionStart(input))).status),
  );
  t.same(statuses, [200, 200, 400, 200]);
  for (let i = 0; i < 3; i++) await post(`${server.url}/actions/say_hello`, actionStart({ name: `n${i}` }));
  t.same(loads.sort(), ['connection', 'say_hello'], 'each validator module was loaded once');
});

t.test('an input or connection setting the step does not have is named in the step log, with the likely one meant', async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  // A misspelt optional input must not pass unnoticed: the step runs as it always did (a
  // workflow that carries an extra key keeps working) and its log says what was ignored.
  const typo = await post(`${server.url}/actions/say_hello`, actionStart({ name: 'Ada', styel: 'loud' }));
  t.equal(typo.status, 200, 'still runs');
  t.match(eventBody(typo).output, { style: 'plain' }, 'the misspelt input changed nothing');
  t.match(eventBody(typo).log, /WARN Ignored the input 'styel': say_hello has no input of that name\. Did you mean 'style'\?/);
  const stranger = await post(`${server.url}/actions/say_hello`, actionStart({ name: 'Ada', colour: 'red', ['x'.repeat(300)]: 1 }));
  t.match(eventBody(stranger).log, /WARN Ignored the inputs 'colour', 'x{77}\.\.\.': say_hello has no inputs of those names\. Its inputs are: name, style/);
  const clean = await post(`${server.url}/actions/say_hello`, actionStart({ name: 'Ada' }));
  t.notMatch(eventBody(clean).log, /Ignored/, 'nothing said when every input is known');
  // A blank value means "not given" (orchestrators send null or "" for a field left empty):
  // leaving it out changes nothing, so there is nothing to say.
  const blank = await post(`${server.url}/actions/say_hello`, actionStart({ name: 'Ada', legacy: null, retired: '' }));
  t.equal(blank.status, 200);
  t.notMatch(eventBody(blank).log, /Ignored/, 'nothing said for a blank value under an unknown name');
  // The connection is checked once and cached, but every step on it is told.
  for (let i = 0; i < 2; i++) {
    const res = await post(`${server.url}/actions/say_hello`, actionStart({ name: 'Ada' }, { connection: connection({ punctuaton: '?' }) }));
    t.equal(res.status, 200);
    t.match(eventBody(res).log, /WARN Ignored the connection setting 'punctuaton': this plugin's connection has no setting of that name\. Did you mean 'punctuation'\?/, `step ${i + 1} is told`);
  }
});
