/**
 * GET /api/v1/api is an OpenAPI document that standard tools take as it is: a standard
 * validator accepts it (every reference resolves inside it), and a client that knows only the
 * document can call an action: it finds the route, builds and checks the start message from the
 * request schema, and checks the answer against the response schema.
 */
import t from 'tap';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv } from 'ajv';
import { SEED, startStack, type Json } from '../ivanti/helpers.js';
import { refsIn } from '../spec/helpers.js';

type Doc = Json & { paths: Record<string, Record<string, Json>>; components: { schemas: Record<string, Json> } };

async function fetchDocument(url: string): Promise<Doc> {
  const res = await fetch(`${url}/api/v1/api`);
  if (res.status !== 200) throw new Error(`GET /api/v1/api answered ${res.status}`);
  return (await res.json()) as Doc;
}

/**
 * A client made from the document alone: operations by path, a start message checked against
 * the request schema before it is sent, the answer checked against the response schema.
 */
async function clientFrom(document: Doc, baseUrl: string) {
  const resolved = (await SwaggerParser.dereference(structuredClone(document) as never)) as unknown as Doc;
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  return {
    async post(path: string, message: Json): Promise<{ status: number; json: Json; requestValid: boolean; responseValid: boolean; errors: unknown }> {
      const operation = resolved.paths[path]?.post;
      if (!operation) throw new Error(`the document has no POST ${path}`);
      const checkRequest = ajv.compile(operation.requestBody.content['application/json'].schema);
      const requestValid = checkRequest(message);
      const res = await fetch(baseUrl + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message) });
      const json = (await res.json()) as Json;
      const answer = operation.responses[String(res.status)];
      const schema = answer?.content?.['application/json']?.schema;
      const checkResponse = schema ? ajv.compile(schema) : undefined;
      const responseValid = checkResponse ? checkResponse(json) : false;
      return { status: res.status, json, requestValid, responseValid, errors: checkRequest.errors ?? checkResponse?.errors };
    },
  };
}

t.test('a standard OpenAPI validator accepts the document, and every reference points into components', async (t) => {
  const stack = await startStack();
  t.teardown(stack.close);
  const document = await fetchDocument(stack.url);
  t.equal(document.openapi, '3.1.0');
  const refs = [...refsIn(document)];
  t.ok(refs.length > 0, `${refs.length} distinct references`);
  t.same(refs.filter((ref) => !ref.startsWith('#/components/schemas/')), [], 'no reference outside components');
  for (const ref of refs) t.ok(document.components.schemas[ref.slice('#/components/schemas/'.length)], `${ref} exists`);
  t.notOk(JSON.stringify(document).includes('"definitions"'), 'no definitions left inside a schema');
  t.ok(document.components.schemas.incident, 'the incident type is a component of its own');

  await t.resolves(SwaggerParser.validate(structuredClone(document) as never), 'swagger-parser validates the document');
});

t.test('client generators get a server and a unique operationId for every operation', async (t) => {
  const stack = await startStack();
  t.teardown(stack.close);
  const document = await fetchDocument(stack.url);
  const servers = document.servers as { url: string }[] | undefined;
  t.ok(servers?.length, 'the document names its server');
  t.equal(new URL(servers![0]!.url, `${stack.url}/api/v1/api`).href, `${stack.url}/`, 'relative: the server that serves the document');
  const ids: string[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      t.type(operation.operationId, 'string', `${method.toUpperCase()} ${path} has an operationId`);
      ids.push(operation.operationId as string);
    }
  }
  t.equal(new Set(ids).size, ids.length, 'operationIds are unique');
  t.equal(document.paths['/api/v1/actions/get_incident']?.post?.operationId, 'get_incident', 'an action is found by its name');
});

t.test('a client built from the document runs get_incident and checks both sides against it', async (t) => {
  const stack = await startStack();
  t.teardown(stack.close);
  const document = await fetchDocument(stack.url);
  const client = await clientFrom(document, stack.url);
  const connection = stack.connection();

  const message = { version: 'v1', type: 'action_start', body: { action: 'get_incident', meta: {}, connection, input: { incident_number: 10001 } } };
  const ok = await client.post('/api/v1/actions/get_incident', message);
  t.ok(ok.requestValid, 'the start message matches the request schema');
  t.equal(ok.status, 200);
  t.equal(ok.json.body.status, 'ok');
  t.equal(ok.json.body.output.incident.RecId, SEED.incident10001);
  t.ok(ok.responseValid, 'the answer matches the documented 200 response');

  const badInput = { ...message, body: { ...message.body, input: { incident_number: 10001.5 } } };
  const refused = await client.post('/api/v1/actions/get_incident', badInput);
  t.notOk(refused.requestValid, 'the document already refuses a bad input before it is sent');
  t.equal(refused.status, 400);
  t.ok(refused.responseValid, 'the error answer matches the documented 400 response');
});
