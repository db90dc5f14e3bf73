/** Every route and status code of protocol.md section 4, over a real listening server. */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { load as parseYaml } from 'js-yaml';
import { Ajv } from 'ajv';
import { buildOpenApi } from '../../src/runtime/openapi.js';
import { loadSpecFile } from '../../src/spec/load.js';
import { buildPluginSchemas } from '../../src/spec/schema.js';
import { pluginManifest } from '../../src/spec/generate.js';
import { specFile } from '../fixtures/hello/plugin.js';
import { actionStart, connection, eventBody, get, post, ROOT, startHello, type Json } from './helpers.js';

const helloSchemas = buildPluginSchemas(loadSpecFile(specFile));

t.test('run routes answer an action_event on both prefixes', async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  for (const prefix of ['', '/api/v1']) {
    const res = await post(`${server.url}${prefix}/actions/say_hello`, actionStart({ name: 'Ada' }));
    t.equal(res.status, 200, `${prefix}/actions/say_hello is 200`);
    t.match(res.contentType, /^application\/json/);
    t.equal(res.json.version, 'v1');
    t.equal(res.json.type, 'action_event');
    t.equal(eventBody(res).status, 'ok');
    t.same(eventBody(res).output, { message: 'Hello, Ada!', style: 'plain', connection_id: 1 });
  }
});

t.test('action test routes run the connection test on both prefixes', async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  for (const prefix of ['', '/api/v1']) {
    const res = await post(`${server.url}${prefix}/actions/say_hello/test`, actionStart({}));
    t.equal(res.status, 200, `${prefix}/actions/say_hello/test is 200`);
    t.equal(res.json.type, 'action_event');
    t.same(eventBody(res).output, { success: true });
    t.match(eventBody(res).log, /testing greeting connection 1/);
  }
});

t.test('trigger test routes run the connection test on both prefixes', async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  const message = { version: 'v1', type: 'trigger_start', body: { trigger: 'hello_trigger', meta: { job: 7 }, connection: connection(), input: {} } };
  for (const prefix of ['', '/api/v1']) {
    const res = await post(`${server.url}${prefix}/triggers/hello_trigger/test`, message);
    t.equal(res.status, 200, `${prefix}/triggers/hello_trigger/test is 200`);
    t.equal(res.json.type, 'trigger_event');
    t.same(eventBody(res).output, { success: true });
    t.same(eventBody(res).meta, { job: 7 });
  }
  const unknown = await post(`${server.url}/triggers/nope/test`, { ...message, body: { ...message.body, trigger: 'nope' } });
  t.equal(unknown.status, 400);
  t.equal(unknown.json.type, 'trigger_event');
  t.match(eventBody(unknown).error, /Unknown trigger 'nope'/);
});

t.test('triggers cannot be started over HTTP', async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  const res = await post(`${server.url}/actions/hello_trigger`, {
    version: 'v1',
    type: 'trigger_start',
    body: { trigger: 'hello_trigger', connection: connection(), input: { name: 'x' } },
  });
  t.equal(res.status, 400);
  t.match(eventBody(res).error, /takes action_start messages, not trigger_start/);
});

t.test('POST /api/v1/connection/test answers a connection_test envelope', async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  const res = await post(`${server.url}/api/v1/connection/test`, { version: 'v1', type: 'connection_test', body: { connection: connection() } });
  t.equal(res.status, 200);
  t.equal(res.json.type, 'connection_test');
  t.equal(eventBody(res).status, 'ok');
  t.same(eventBody(res).output, { success: true });
  t.same(eventBody(res).meta, {});
  t.match(eventBody(res).log, /connected to the greeting machine/);

  const wrongType = await post(`${server.url}/api/v1/connection/test`, actionStart());
  t.equal(wrongType.status, 400);
  t.equal(wrongType.json.type, 'connection_test');
  t.match(eventBody(wrongType).error, /connection_test message/);

  const rejected = await post(`${server.url}/api/v1/connection/test`, { version: 'v1', type: 'connection_test', body: { connection: connection({}, 'reject-me') } });
  t.equal(rejected.status, 400, 'a connect that fails for a known reason is a 400');
  t.match(eventBody(rejected).exception, { cause: 'The API key was rejected.', data: '{"message":["greeting key refused"]}' });

  const root = await post(`${server.url}/connection/test`, { version: 'v1', type: 'connection_test', body: { connection: connection() } });
  t.equal(root.status, 404, 'the connection test exists only under /api/v1');
});

t.test('GET /api/v1/info describes the plugin from its spec', async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  const res = await get(`${server.url}/api/v1/info`);
  t.equal(res.status, 200);
  t.same(res.json, {
    name: 'hello',
    title: 'Hello',
    description: 'Greets people by name. A fixture for the plugin runtime\'s tests.',
    version: '0.3.1',
    vendor: 'fixtures',
    support: 'fixtures',
    plugin_spec_version: 'v2',
    tags: ['hello', 'fixture'],
    sdk_version: '1.0.0',
  });
});

t.test('GET /api/v1/spec serves YAML by default, JSON on request, 422 otherwise', async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  const specText = readFileSync(specFile, 'utf8');
  const yaml = await get(`${server.url}/api/v1/spec`);
  t.equal(yaml.status, 200);
  t.match(yaml.contentType, /yaml/);
  t.equal(yaml.text, specText);
  const yaml2 = await get(`${server.url}/api/v1/spec?format=yaml`);
  t.equal(yaml2.text, specText);
  const json = await get(`${server.url}/api/v1/spec?format=json`);
  t.equal(json.status, 200);
  t.match(json.contentType, /^application\/json/);
  t.same(json.json, parseYaml(specText));
  for (const format of ['xml', '', 'JSON']) {
    const bad = await get(`${server.url}/api/v1/spec?format=${format}`);
    t.equal(bad.status, 422, `format=${format} is 422`);
    t.match(bad.json, { statusCode: 422, message: /format=yaml or format=json/ });
  }
});

t.test('GET /api/v1/actions, /triggers and /tasks list names', async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  t.same((await get(`${server.url}/api/v1/actions`)).json, ['say_hello']);
  t.same((await get(`${server.url}/api/v1/triggers`)).json, ['hello_trigger']);
  const tasks = await get(`${server.url}/api/v1/tasks`);
  t.equal(tasks.status, 200);
  t.same(tasks.json, []);
});

t.test('GET /api/v1/actions/:name gives the action schemas; an unknown name is 400', async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  const res = await get(`${server.url}/api/v1/actions/say_hello`);
  t.equal(res.status, 200);
  t.same(res.json, {
    title: 'Say Hello',
    description: 'Greet someone by name',
    input: helloSchemas.actions.say_hello!.input,
    output: helloSchemas.actions.say_hello!.output,
  });
  const unknown = await get(`${server.url}/api/v1/actions/say_goodbye`);
  t.equal(unknown.status, 400);
  t.match(unknown.json, { statusCode: 400, message: /Unknown action 'say_goodbye'.*say_hello/ });
});

t.test('GET /api/v1/connection gives the connection schema', async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  const res = await get(`${server.url}/api/v1/connection`);
  t.equal(res.status, 200);
  const schema = helloSchemas.connection;
  t.same(res.json, { type: 'object', title: 'Variables', properties: schema.properties, required: ['greeting_key'] });
});

t.test('GET /api/v1/status is Ready', async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  const res = await get(`${server.url}/api/v1/status`);
  t.equal(res.status, 200);
  t.same(res.json, { status: 'Ready' });
});

type OpenApi = { openapi: string; paths: Record<string, Record<string, Json>>; components: { schemas: Record<string, Json> } };

/** A schema with every reference replaced by what it points at (`#/definitions/` or `#/components/schemas/`). */
function inlined(schema: Json | undefined, pool: Record<string, Json> = {}): Json {
  const { definitions = {}, ...root } = schema ?? {};
  const all: Record<string, Json> = { ...pool, ...(definitions as Record<string, Json>) };
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (!value || typeof value !== 'object') return value;
    const ref = (value as Json).$ref;
    if (typeof ref === 'string') {
      const target = all[ref.replace(/^#\/(definitions|components\/schemas)\//, '')];
      if (!target) throw new Error(`unresolved ${ref}`);
      const { definitions: _d, ...rest } = target;
      return walk(rest);
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
  };
  return walk(root) as Json;
}

t.test('GET /api/v1/api is an OpenAPI document whose request and response schemas are the generated ones', async (t) => {
  const server = await startHello();
  t.teardown(server.close);
  const res = await get(`${server.url}/api/v1/api`);
  t.equal(res.status, 200);
  const doc = res.json as unknown as OpenApi;
  t.equal(doc.openapi, '3.1.0');
  for (const path of [
    '/actions/say_hello',
    '/api/v1/actions/say_hello',
    '/actions/say_hello/test',
    '/api/v1/actions/say_hello/test',
    '/triggers/hello_trigger/test',
    '/api/v1/triggers/hello_trigger/test',
    '/api/v1/connection/test',
  ]) {
    t.ok(doc.paths[path]?.post, `POST ${path} is documented`);
  }
  for (const path of ['/api/v1/info', '/api/v1/spec', '/api/v1/api', '/api/v1/actions', '/api/v1/triggers', '/api/v1/tasks', '/api/v1/actions/{name}', '/api/v1/connection', '/api/v1/status']) {
    t.ok(doc.paths[path]?.get, `GET ${path} is documented`);
  }
  const component = (name: string) => inlined(doc.components.schemas[name], doc.components.schemas);
  t.same(component('say_hello_input'), inlined(helloSchemas.actions.say_hello!.input));
  t.same(component('say_hello_output'), inlined(helloSchemas.actions.say_hello!.output));
  t.same(component('connection'), inlined(helloSchemas.connection));

  // The document holds together: a real start message and a real answer validate against
  // the schemas it gives for the run route, and broken ones do not.
  const ajv = new Ajv({ strict: false, validateFormats: false });
  ajv.addSchema({ ...doc, $id: 'urn:test:openapi' } as Json);
  const at = (pointer: string) => ajv.compile({ $ref: `urn:test:openapi#${pointer}` });
  const content = '/paths/~1actions~1say_hello/post';
  const request = at(`${content}/requestBody/content/application~1json/schema`);
  const response = at(`${content}/responses/200/content/application~1json/schema`);
  t.ok(request(actionStart({ name: 'Ada', style: 'loud' })), 'a start message matches the request schema');
  t.notOk(request(actionStart({ name: 7 })), 'a start message with a bad input does not');
  t.notOk(request({ ...actionStart(), body: { action: 'say_hello', connection: {} } }), 'one without the secret does not');
  const ok = await post(`${server.url}/actions/say_hello`, actionStart({ name: 'Ada' }));
  t.ok(response(ok.json), 'a real answer matches the response schema');
  t.notOk(response({ ...ok.json, body: { ...eventBody(ok), output: { message: 1 } } }), 'an answer with a bad output does not');
});

t.test("the OpenAPI document of the real plugin carries the generated schemas from schemas/, references resolved in components", async (t) => {
  const spec = loadSpecFile(join(ROOT, 'plugin.spec.yaml'));
  const doc = buildOpenApi(pluginManifest(spec).info, buildPluginSchemas(spec), {}) as unknown as OpenApi;
  const readSchema = (path: string) => JSON.parse(readFileSync(join(ROOT, 'schemas', path), 'utf8')) as Json;
  const component = (name: string) => inlined(doc.components.schemas[name], doc.components.schemas);
  t.same(component('connection'), inlined(readSchema('connection.json')));
  t.ok(spec.actions.length > 0);
  for (const action of spec.actions) {
    t.same(component(`${action.name}_input`), inlined(readSchema(`actions/${action.name}/input.json`)), `${action.name} input`);
    t.same(component(`${action.name}_output`), inlined(readSchema(`actions/${action.name}/output.json`)), `${action.name} output`);
    const body = doc.paths[`/api/v1/actions/${action.name}`]?.post as Json | undefined;
    t.match(body, { requestBody: { content: { 'application/json': { schema: { properties: { body: { properties: { input: { $ref: `#/components/schemas/${action.name}_input` } } } } } } } } });
  }
});

t.test('unknown routes, non-JSON bodies, wrong content types and large bodies get JSON errors', async (t) => {
  const server = await startHello();
  t.teardown(server.close);

  const notFound = await get(`${server.url}/no/such/route`);
  t.equal(notFound.status, 404);
  t.match(notFound.contentType, /^application\/json/);
  t.match(notFound.json, { statusCode: 404, message: /No route GET \/no\/such\/route/ });
  const wrongMethod = await get(`${server.url}/actions/say_hello`);
  t.equal(wrongMethod.status, 404, 'GET on a run route is not a route');
  t.match(wrongMethod.contentType, /^application\/json/);

  const notJson = await post(`${server.url}/actions/say_hello`, '{"version": "v1", oops');
  t.equal(notJson.status, 400);
  t.match(notJson.contentType, /^application\/json/);
  t.match(notJson.json, { statusCode: 400, message: /not valid JSON/ });

  const empty = await post(`${server.url}/actions/say_hello`, '');
  t.equal(empty.status, 400);
  t.match(empty.contentType, /^application\/json/);

  const text = await post(`${server.url}/actions/say_hello`, JSON.stringify(actionStart()), { 'content-type': 'text/plain' });
  t.equal(text.status, 415);
  t.match(text.contentType, /^application\/json/);
  t.match(text.json, { statusCode: 415, message: /Content-Type: application\/json/ });

  const big = JSON.stringify(actionStart({ name: 'x'.repeat(1024 * 1024) }));
  const tooLarge = await post(`${server.url}/actions/say_hello`, big);
  t.equal(tooLarge.status, 413, 'a body over the default 1 MiB is 413');
  t.match(tooLarge.contentType, /^application\/json/);
  t.match(tooLarge.json, { statusCode: 413, message: /larger than the limit of 1048576 bytes/ });

  const justUnder = JSON.stringify(actionStart({ name: 'x'.repeat(1024 * 1024 - 400) }));
  t.ok(Buffer.byteLength(justUnder) < 1024 * 1024);
  const fits = await post(`${server.url}/actions/say_hello`, justUnder);
  t.equal(fits.status, 200, 'a body under 1 MiB is accepted');
});

t.test('a configured body limit is enforced', async (t) => {
  const server = await startHello({ bodyLimit: 2048 });
  t.teardown(server.close);
  const ok = await post(`${server.url}/actions/say_hello`, actionStart({ name: 'x'.repeat(1000) }));
  t.equal(ok.status, 200);
  const tooLarge = await post(`${server.url}/actions/say_hello`, actionStart({ name: 'x'.repeat(3000) }));
  t.equal(tooLarge.status, 413);
  t.match(tooLarge.json, { statusCode: 413, message: /limit of 2048 bytes/ });
});

t.test('a client still sending a body over the limit reads the 413, not a reset', async (t) => {
  const server = await startHello({ bodyLimit: 64 * 1024 });
  t.teardown(server.close);
  const url = new URL(`${server.url}/actions/say_hello`);
  const total = 4 * 1024 * 1024;
  const chunk = Buffer.alloc(256 * 1024, 'x');
  const answer = await new Promise<{ status?: number; text?: string; error?: string }>((resolve) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': String(total) } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode, text }));
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    // The body goes out in pieces, a little at a time: the server has refused it long before
    // the client is done sending.
    let sent = 0;
    const next = () => {
      if (sent >= total) return void req.end();
      sent += chunk.length;
      req.write(chunk, () => setTimeout(next, 5));
    };
    next();
  });
  t.same(answer.error, undefined, 'no connection error while sending');
  t.equal(answer.status, 413);
  t.match(answer.text, /larger than the limit of 65536 bytes/);
});
