/**
 * The OpenAPI document of the HTTP routes, with each action's real input and output
 * schemas. Every reference points into `#/components/schemas/`: the custom types a generated
 * schema keeps under `definitions` become components of their own (shared when two schemas
 * define the same type alike), so OpenAPI validators, client generators and API consoles
 * resolve the document without knowing the generated files.
 */
import type { PluginSchemas, JsonSchema } from '../spec/schema.js';
import type { PluginInfo } from './plugin.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** A copy of `value` with each `#/definitions/<name>` reference rewritten through `names`. */
function rewriteRefs(value: unknown, names: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, names));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === '$ref' && typeof item === 'string' && item.startsWith('#/definitions/')) {
      const name = names.get(decodeURIComponent(item.slice('#/definitions/'.length)));
      if (name === undefined) throw new Error(`OpenAPI document: ${item} has no definition`);
      out[key] = `#/components/schemas/${name}`;
    } else {
      out[key] = rewriteRefs(item, names);
    }
  }
  return out;
}

/**
 * Puts a generated schema into `components` under `name`, and each of its definitions beside
 * it under the type's own name. The spec's custom types are global, so two schemas that define
 * a type define it alike and share one component; anything else is a generator bug, refused.
 */
function addComponent(components: Record<string, JsonSchema>, name: string, schema: JsonSchema): void {
  const { definitions = {}, ...root } = schema as JsonSchema & { definitions?: Record<string, JsonSchema> };
  const names = new Map(Object.keys(definitions).map((key) => [key, key]));
  for (const [key, def] of Object.entries(definitions)) {
    const component = rewriteRefs(def, names) as JsonSchema;
    const existing = components[key];
    if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(component)) {
      throw new Error(`OpenAPI document: two different schemas are named ${key}`);
    }
    components[key] = component;
  }
  if (components[name] !== undefined) throw new Error(`OpenAPI document: two different schemas are named ${name}`);
  components[name] = rewriteRefs(root, names) as JsonSchema;
}

function startMessage(type: string, stepKey: 'action' | 'trigger' | undefined, stepName: string | undefined, inputRef?: string): JsonSchema {
  const body: JsonSchema = {
    type: 'object',
    properties: {
      ...(stepKey ? { [stepKey]: { type: 'string', const: stepName } } : {}),
      meta: { type: 'object', description: 'Opaque workflow context, echoed back unchanged' },
      connection: ref('connection'),
      ...(inputRef ? { input: ref(inputRef) } : {}),
    },
    ...(stepKey ? { required: [stepKey] } : {}),
  };
  return { type: 'object', required: ['version', 'type', 'body'], properties: { version: { const: 'v1' }, type: { const: type }, body } };
}

function eventMessage(type: string, outputRef?: string): JsonSchema {
  return {
    type: 'object',
    required: ['version', 'type', 'body'],
    properties: {
      version: { const: 'v1' },
      type: { const: type },
      body: {
        type: 'object',
        required: ['status', 'meta', 'log'],
        properties: {
          status: { enum: ['ok', 'error'] },
          meta: { type: 'object' },
          log: { type: 'string' },
          output: outputRef ? ref(outputRef) : { type: 'object' },
          error: { type: 'string' },
          exception: ref('exception'),
        },
      },
    },
  };
}

function postOperation(operationId: string, summary: string, request: JsonSchema, response: JsonSchema) {
  const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
  return {
    post: {
      operationId,
      summary,
      requestBody: { required: true, content: json(request) },
      responses: {
        '200': { description: 'The step succeeded', content: json(response) },
        '400': { description: 'Bad message, unknown step, invalid connection or input, or the step failed for a known reason', content: json(response) },
        '413': { description: 'Body too large' },
        '415': { description: 'Content type is not application/json' },
        '500': { description: 'The output did not match its schema, or an unexpected error', content: json(response) },
      },
    },
  };
}

export function buildOpenApi(info: PluginInfo, schemas: PluginSchemas, actionTitles: Record<string, string>): JsonSchema {
  const components: Record<string, JsonSchema> = {
    exception: {
      type: 'object',
      properties: { cause: { type: 'string' }, assistance: { type: 'string' }, data: { type: 'string' } },
    },
  };
  addComponent(components, 'connection', schemas.connection);
  const paths: Record<string, unknown> = {};
  for (const [name, pair] of Object.entries(schemas.actions)) {
    addComponent(components, `${name}_input`, pair.input);
    addComponent(components, `${name}_output`, pair.output);
    // operationIds are unique: the /api/v1 routes carry the step's name, the short ones a prefix.
    for (const prefix of ['', '/api/v1']) {
      const id = prefix ? name : `short_${name}`;
      paths[`${prefix}/actions/${name}`] = postOperation(id, `Run ${actionTitles[name] ?? name}`, startMessage('action_start', 'action', name, `${name}_input`), eventMessage('action_event', `${name}_output`));
      paths[`${prefix}/actions/${name}/test`] = postOperation(`${id}_test`, `Test the connection through ${name}`, startMessage('action_start', 'action', name, `${name}_input`), eventMessage('action_event'));
    }
  }
  for (const name of Object.keys(schemas.triggers)) {
    for (const prefix of ['', '/api/v1']) {
      const id = `${prefix ? '' : 'short_'}trigger_${name}_test`;
      paths[`${prefix}/triggers/${name}/test`] = postOperation(id, `Test the connection through trigger ${name}`, startMessage('trigger_start', 'trigger', name), eventMessage('trigger_event'));
    }
  }
  paths['/api/v1/connection/test'] = postOperation('connection_test', 'Test a connection', startMessage('connection_test', undefined, undefined), eventMessage('connection_test'));
  const get = (operationId: string, summary: string) => ({ get: { operationId, summary, responses: { '200': { description: 'OK' } } } });
  paths['/api/v1/info'] = get('get_info', 'Plugin information');
  paths['/api/v1/spec'] = {
    get: {
      operationId: 'get_spec',
      summary: 'The plugin spec',
      parameters: [{ name: 'format', in: 'query', schema: { enum: ['yaml', 'json'] } }],
      responses: { '200': { description: 'OK' }, '422': { description: 'Unknown format' } },
    },
  };
  paths['/api/v1/api'] = get('get_openapi', 'This document');
  paths['/api/v1/actions'] = get('list_actions', 'Names of the actions');
  paths['/api/v1/triggers'] = get('list_triggers', 'Names of the triggers');
  paths['/api/v1/tasks'] = get('list_tasks', 'Names of the tasks');
  paths['/api/v1/actions/{name}'] = {
    get: {
      operationId: 'describe_action',
      summary: 'Title, description, input and output of an action',
      parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
      responses: { '200': { description: 'OK' }, '400': { description: 'Unknown action' } },
    },
  };
  paths['/api/v1/connection'] = get('get_connection_schema', 'The connection schema');
  paths['/api/v1/status'] = get('get_status', 'Readiness');
  const ids = Object.values(paths).flatMap((item) => Object.values(item as Record<string, { operationId: string }>).map((op) => op.operationId));
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined) throw new Error(`OpenAPI document: two operations have the id ${twice}; rename the step`);
  return {
    openapi: '3.1.0',
    info: { title: info.title, version: info.version, description: info.description },
    // Relative: the server that serves this document runs every operation in it.
    servers: [{ url: '/' }],
    paths,
    components: { schemas: components },
  };
}
