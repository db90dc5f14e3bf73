/** Malformed start messages, route/body mismatches and unknown steps: each a 400 naming the problem. */
import t from 'tap';
import { actionStart, connection, eventBody, post, SECRET, startHello, type Json } from './helpers.js';
import { findMessageProblem } from '../../src/runtime/envelope.js';

const good = actionStart();
const goodBody = good.body as Json;

const malformed: Array<[string, unknown, RegExp]> = [
  ['an array', [good], /must be a JSON object, not an array/],
  ['a string', 'hello', /must be a JSON object, not a string/],
  ['a number', 42, /must be a JSON object, not a number/],
  ['null', null, /must be a JSON object, not null/],
  ['no version', { type: 'action_start', body: goodBody }, /no 'version'/],
  ['version v2', { ...good, version: 'v2' }, /Unsupported message version "v2"/],
  ['version as a number', { ...good, version: 1 }, /Unsupported message version 1/],
  ['no type', { version: 'v1', body: goodBody }, /no 'type'/],
  ['unknown type', { ...good, type: 'action_begin' }, /Unknown message type "action_begin"/],
  ['type not a string', { ...good, type: 3 }, /Unknown message type 3/],
  ['no body', { version: 'v1', type: 'action_start' }, /no 'body'/],
  ['body an array', { ...good, body: [] }, /'body' must be an object, not an array/],
  ['body a string', { ...good, body: 'x' }, /'body' must be an object, not a string/],
  ['no action', { ...good, body: { ...goodBody, action: undefined } }, /needs 'body.action'/],
  ['action a number', { ...good, body: { ...goodBody, action: 5 } }, /'body.action' must be a string, not a number/],
  ['action empty', { ...good, body: { ...goodBody, action: '' } }, /'body.action' must not be empty/],
  ['action blank', { ...good, body: { ...goodBody, action: '  ' } }, /'body.action' must not be empty/],
  ['meta an array', { ...good, body: { ...goodBody, meta: [] } }, /'body.meta' must be an object, not an array/],
  ['connection a string', { ...good, body: { ...goodBody, connection: 'key' } }, /'body.connection' must be an object, not a string/],
  ['input a number', { ...good, body: { ...goodBody, input: 1 } }, /'body.input' must be an object, not a number/],
  ['input an array', { ...good, body: { ...goodBody, input: ['World'] } }, /'body.input' must be an object, not an array/],
];

t.test('each malformed envelope is a 400 whose error names the problem', async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  for (const [what, message, pattern] of malformed) {
    const res = await post(`${server.url}/actions/say_hello`, JSON.stringify(message));
    t.equal(res.status, 400, `${what}: 400`);
    t.equal(res.json.version, 'v1', `${what}: still an envelope`);
    t.equal(res.json.type, 'action_event', `${what}: answered as an action_event`);
    const body = eventBody(res);
    t.equal(body.status, 'error', `${what}: status error`);
    t.notOk('output' in body, `${what}: no output`);
    t.match(body.error, pattern, `${what}: error names the problem`);
    t.match(body.exception, { cause: pattern, assistance: /version.*v1/ }, `${what}: exception has cause and assistance`);
    t.equal(typeof body.log, 'string', `${what}: log is a string`);
  }
  t.equal(server.stats.connects, 0, 'no malformed message got as far as connecting');
});

t.test('missing meta, connection and input count as {}', async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  const res = await post(`${server.url}/actions/say_hello/test`, { version: 'v1', type: 'action_start', body: { action: 'say_hello' } });
  t.equal(res.status, 400, 'an empty connection still fails its schema');
  t.match(eventBody(res).error, /'greeting_key' is required but missing/);
  t.same(eventBody(res).meta, {});
  const nulls = await post(`${server.url}/actions/say_hello`, {
    version: 'v1',
    type: 'action_start',
    body: { action: 'say_hello', meta: null, connection: connection(), input: null },
  });
  t.equal(nulls.status, 400);
  t.match(eventBody(nulls).error, /'name' is required but missing/, 'null input is {} and misses its required field');
  t.same(eventBody(nulls).meta, {});
});

t.test('the route name and the body name must agree', async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  for (const path of ['/actions/other', '/api/v1/actions/other', '/actions/other/test', '/api/v1/actions/other/test']) {
    const res = await post(`${server.url}${path}`, actionStart());
    t.equal(res.status, 400, `${path}: 400`);
    t.match(eventBody(res).error, /route names the action 'other' but the message names 'say_hello'/, `${path}: names both`);
  }
  const wrongType = await post(`${server.url}/actions/say_hello`, { version: 'v1', type: 'connection_test', body: { connection: connection() } });
  t.equal(wrongType.status, 400);
  t.match(eventBody(wrongType).error, /takes action_start messages, not connection_test/);
  t.equal(server.stats.connects, 0);
});

t.test('an unknown action is a 400 listing the actions there are', async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  const message = actionStart({}, { action: 'say_goodbye' });
  for (const path of ['/actions/say_goodbye', '/api/v1/actions/say_goodbye', '/actions/say_goodbye/test']) {
    const res = await post(`${server.url}${path}`, message);
    t.equal(res.status, 400, `${path}: 400`);
    t.match(eventBody(res).error, /Unknown action 'say_goodbye'. This plugin has: say_hello/);
  }
  t.equal(server.stats.connects, 0);
});

t.test('meta is echoed unchanged, on success and on every kind of error', async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  const meta = { job_id: 'job-1', step: { id: 3, tags: ['a', null, { deep: true }] }, n: 1.5 };
  const cases: Array<[string, Json, number]> = [
    ['success', actionStart({ name: 'Ada' }, { meta }), 200],
    ['bad envelope', { ...actionStart({}, { meta }), version: 'v0' }, 400],
    ['unknown action', actionStart({}, { meta, action: 'nope' }), 400],
    ['bad input', actionStart({ name: 1 }, { meta }), 400],
    ['plugin error', actionStart({ name: 'plugin-error' }, { meta }), 400],
    ['bad output', actionStart({ name: 'bad-output' }, { meta }), 500],
    ['exception', actionStart({ name: 'throw' }, { meta }), 500],
  ];
  for (const [what, message, status] of cases) {
    const path = what === 'unknown action' ? '/actions/nope' : '/actions/say_hello';
    const res = await post(`${server.url}${path}`, message);
    t.equal(res.status, status, `${what}: ${status}`);
    t.same(eventBody(res).meta, meta, `${what}: meta echoed`);
  }
});

t.test('meta is echoed unchanged except that the connection secret inside it is masked', async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  const meta = { job_id: 'job-2', pasted: `key=${SECRET}`, nested: [{ again: SECRET }], safe: 'keep me' };
  for (const [what, message] of [
    ['success', actionStart({ name: 'Ada' }, { meta })],
    ['error', actionStart({ name: 1 }, { meta })],
  ] as const) {
    const res = await post(`${server.url}/actions/say_hello`, message);
    t.same(eventBody(res).meta, { job_id: 'job-2', pasted: '********', nested: [{ again: '********' }], safe: 'keep me' }, `${what}: masked`);
    t.notOk(res.text.includes(SECRET), `${what}: the secret appears nowhere in the answer`);
  }
});

t.test('findMessageProblem names the exact path of what it refuses, below base', async (t) => {
  const message = { body: { input: { tags: ['ok', 'half \ud800'], n: 1 } } };
  t.same(findMessageProblem(message)?.path, ['body', 'input', 'tags', 1]);
  t.match(findMessageProblem(message)?.cause, /^The input is not valid: 'tags\[1\]' is not well-formed Unicode/);
  t.same(findMessageProblem({ a: [{ b: Infinity }] })?.path, ['a', 0, 'b']);
  t.same(findMessageProblem({ x: { ['k\udc00']: 1 } })?.path, ['x'], 'a bad key is named by the object that holds it');
  t.same(findMessageProblem({ deep: JSON.parse('{"__proto__": 1}') as unknown }, ['body', 'meta'])?.path, ['body', 'meta', 'deep']);
  let deep: unknown = 'end';
  for (let i = 0; i < 70; i++) deep = [deep];
  const tooDeep = findMessageProblem(deep, ['body', 'meta']);
  t.equal(tooDeep?.path.length, 2 + 64, 'the depth is counted below base');
  t.same(tooDeep?.path.slice(0, 3), ['body', 'meta', 0]);
  t.equal(findMessageProblem({ fine: [1, 'two', { three: true }] }), undefined);
  t.equal(findMessageProblem('\ud800'), undefined, 'a bare string is not inspected as a field');
});
