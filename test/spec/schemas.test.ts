/**
 * The generated schemas, compared field by field with the seed document the plugin was
 * specified from, and checked against the schema shape of protocol.md section 6.
 */
import t from 'tap';
import type { Test as Tap } from 'tap';
import { buildObjectSchema } from '../../src/spec/schema.js';
import type { SpecParam } from '../../src/spec/model.js';
import {
  ACTIONS,
  jsonTypeOfTsv,
  loadDoc,
  minimalDoc,
  readJson,
  realSpec,
  incidentFields,
  referenceFields,
  refsIn,
  seed,
  seedBool,
  seedEnum,
  seedValue,
  type Doc,
  type Row,
} from './helpers.js';

const SEED = seed();
const SPEC = realSpec();
const CUSTOM_TYPES = new Set(SPEC.types.map((x) => x.name));

function connectionSchema(): Doc {
  return readJson('schemas/connection.json');
}
function stepSchema(action: string, which: 'input' | 'output'): Doc {
  return readJson(`schemas/actions/${action}/${which}.json`);
}

/** What a spec type becomes in a property schema (without title, description, ...). */
function expectedTypeSchema(type: string): Doc {
  if (type.startsWith('[]')) return { type: 'array', items: expectedTypeSchema(type.slice(2)) };
  if (type === 'credential_secret_key' || type === 'file' || CUSTOM_TYPES.has(type)) return { $ref: `#/definitions/${type}` };
  if (type === 'date') return { type: 'string', format: 'date-time' };
  if (type === 'bytes') return { type: 'string', format: 'bytes' };
  return { type };
}

/** Compares one seed table row with the generated property and the spec's param. */
function compareInputRow(t: Tap, where: string, row: Row, schema: Doc, param: SpecParam | undefined): void {
  const name = row.Name!;
  const prop = schema.properties[name] as Doc | undefined;
  t.ok(prop, `${where}: the schema has ${name}`);
  t.ok(param, `${where}: the spec has ${name}`);
  if (!prop || !param) return;
  t.equal(param.type, row.Type, `${where}.${name}: the spec type is the seed's`);
  t.match(prop, expectedTypeSchema(row.Type!), `${where}.${name}: ${row.Type} maps to ${JSON.stringify(expectedTypeSchema(row.Type!))}`);
  const required: string[] = schema.required ?? [];
  t.equal(required.includes(name), seedBool(row.Required!), `${where}.${name}: required as in the seed (${row.Required})`);
  const seedDefault = seedValue(row.Default!, row.Type!);
  if (seedDefault === undefined) t.notOk('default' in prop, `${where}.${name}: no default, as in the seed`);
  else t.same(prop.default, seedDefault, `${where}.${name}: default ${row.Default} as in the seed`);
  const seedEnumValues = seedEnum(row.Enum!);
  if (seedEnumValues === undefined) t.notOk('enum' in prop, `${where}.${name}: no enum, as in the seed`);
  else t.strictSame(prop.enum, seedEnumValues, `${where}.${name}: the seed's enum, in its order`);
  const seedExample = seedValue(row.Example!, row.Type!);
  // Rapid7's validators want an example for every input: one the seed lacked may be added.
  if (seedExample !== undefined) t.strictSame(param.example, seedExample, `${where}.${name}: example ${row.Example} as in the seed`);
  else t.not(param.example, undefined, `${where}.${name}: an example where the seed had none`);
}

function compareOutputRow(t: Tap, where: string, row: Row, schema: Doc): void {
  const name = row.Name!;
  const prop = schema.properties[name] as Doc | undefined;
  t.ok(prop, `${where}: the schema has ${name}`);
  if (!prop) return;
  t.match(prop, expectedTypeSchema(row.Type!), `${where}.${name}: ${row.Type} maps to the right schema`);
  const required: string[] = schema.required ?? [];
  t.equal(required.includes(name), seedBool(row.Required!), `${where}.${name}: required as in the seed`);
}

t.test('the seed document was parsed', async (t) => {
  t.same(SEED.connection.map((r) => r.Name).sort(), ['credentials', 'ssl_verify', 'url']);
  t.same([...SEED.actions.keys()].sort(), [...ACTIONS].sort());
  for (const [name, action] of SEED.actions) {
    t.ok(action.input.length > 0, `${name} has input rows`);
    t.ok(action.output.length > 0, `${name} has output rows`);
    t.same(Object.keys(action.input[0]!), ['Name', 'Type', 'Default', 'Required', 'Description', 'Enum', 'Example']);
  }
});

/** Actions added after the seed's four (then any business object, quick actions, attachments and service requests); everything else must be the seed's. */
const LATER_ACTIONS = [
  'add_attachment', 'create_record', 'create_service_request', 'delete_attachment', 'delete_record', 'download_attachment', 'get_incident', 'get_record',
  'link_records', 'list_attachments', 'list_related', 'run_quick_action', 'search_incidents', 'search_records', 'unlink_records',
  'update_record',
];

t.test("the spec has the seed's actions, plus the later ones", async (t) => {
  const names = SPEC.actions.map((a) => a.name);
  for (const seedName of SEED.actions.keys()) t.ok(names.includes(seedName), `${seedName} is in the spec`);
  t.same(names.filter((n) => !SEED.actions.has(n)).sort(), LATER_ACTIONS, 'the only other actions are the later ones');
  for (const action of SPEC.actions.filter((a) => SEED.actions.has(a.name))) {
    t.equal(action.title, SEED.actions.get(action.name)?.title, `${action.name}: title as in the seed`);
  }
});

t.test('connection against the seed', async (t) => {
  const schema = connectionSchema();
  const names = Object.keys(schema.properties);
  for (const row of SEED.connection) t.ok(names.includes(row.Name!), `the seed's ${row.Name} is in the connection`);
  t.same(
    names.filter((n) => !SEED.connection.some((r) => r.Name === n)).sort(),
    ['attachment_size_limit', 'connect_timeout', 'request_timeout', 'response_size_limit'],
    'the only extra fields are the two timeouts, the attachment limit and the answer limit',
  );
  for (const row of SEED.connection) {
    compareInputRow(t, 'connection', row, schema, SPEC.connection.find((p) => p.name === row.Name));
  }
  t.same(schema.required, ['credentials', 'url'], 'required: exactly the seed\'s required fields');
  for (const extra of ['connect_timeout', 'request_timeout', 'attachment_size_limit', 'response_size_limit']) {
    t.equal(schema.properties[extra].type, 'integer', `${extra} is an integer`);
    t.type(schema.properties[extra].default, 'number', `${extra} has a default`);
    t.notOk(schema.required.includes(extra), `${extra} is optional`);
  }
});

for (const action of ACTIONS) {
  t.test(`${action} against the seed`, async (t) => {
    const seedAction = SEED.actions.get(action)!;
    const step = SPEC.actions.find((a) => a.name === action)!;
    const input = stepSchema(action, 'input');
    const output = stepSchema(action, 'output');

    t.same(Object.keys(input.properties).sort(), seedAction.input.map((r) => r.Name).sort(), 'input: exactly the seed\'s names');
    for (const row of seedAction.input) compareInputRow(t, `${action}.input`, row, input, step.input.find((p) => p.name === row.Name));
    const seedRequired = seedAction.input.filter((r) => seedBool(r.Required!)).map((r) => r.Name);
    t.same([...(input.required ?? [])].sort(), seedRequired.sort(), 'input: required list as in the seed');

    t.same(Object.keys(output.properties).sort(), seedAction.output.map((r) => r.Name).sort(), 'output: exactly the seed\'s names');
    for (const row of seedAction.output) compareOutputRow(t, `${action}.output`, row, output);
    const seedOutRequired = seedAction.output.filter((r) => seedBool(r.Required!)).map((r) => r.Name);
    t.same([...(output.required ?? [])].sort(), seedOutRequired.sort(), 'output: required list as in the seed');
  });
}

/** Every schema file generated for the real spec, by its path. */
function allSchemas(): [string, Doc][] {
  const out: [string, Doc][] = [['schemas/connection.json', connectionSchema()]];
  for (const action of ACTIONS) {
    for (const which of ['input', 'output'] as const) out.push([`schemas/actions/${action}/${which}.json`, stepSchema(action, which)]);
  }
  return out;
}

t.test('top-level shape of every schema', async (t) => {
  for (const [file, schema] of allSchemas()) {
    t.equal(schema.type, 'object', `${file}: type object`);
    t.equal(schema.title, 'Variables', `${file}: title Variables`);
    t.type(schema.properties, 'object', `${file}: properties`);
    const extra = Object.keys(schema).filter((k) => !['type', 'title', 'properties', 'required', 'definitions'].includes(k));
    t.same(extra, [], `${file}: no keys besides type, title, properties, required, definitions`);
    if ('required' in schema) {
      t.ok(Array.isArray(schema.required) && schema.required.length > 0, `${file}: required is omitted when empty`);
      for (const name of schema.required) t.ok(name in schema.properties, `${file}: required ${name} is a property`);
    }
    for (const [name, prop] of Object.entries<Doc>(schema.properties)) {
      t.ok(prop.type !== undefined || prop.$ref !== undefined, `${file}: ${name} has a type or $ref`);
      t.type(prop.title, 'string', `${file}: ${name} has a title`);
      t.type(prop.description, 'string', `${file}: ${name} has a description`);
    }
    const orders = Object.values<Doc>(schema.properties).map((p) => p.order);
    t.same(orders, orders.map((_, i) => i + 1), `${file}: order is present and 1-based, in spec order`);
  }
});

t.test('definitions: only the used ones, and every used one', async (t) => {
  const expected: Record<string, string[]> = {
    'schemas/connection.json': ['credential_secret_key'],
    'schemas/actions/create_incident/input.json': [],
    'schemas/actions/create_incident/output.json': ['incident'],
    'schemas/actions/update_incident/input.json': [],
    'schemas/actions/update_incident/output.json': ['incident'],
    'schemas/actions/delete_incident/input.json': [],
    'schemas/actions/delete_incident/output.json': [],
    'schemas/actions/add_note/input.json': [],
    'schemas/actions/add_note/output.json': ['journal_note'],
  };
  for (const [file, schema] of allSchemas()) {
    const defs = Object.keys(schema.definitions ?? {}).sort();
    t.same(defs, expected[file], `${file}: definitions ${JSON.stringify(expected[file])}`);
    if (defs.length === 0) t.notOk('definitions' in schema, `${file}: no empty definitions`);
    const refs = [...refsIn(schema)].sort();
    t.same(refs, defs.map((d) => `#/definitions/${d}`), `${file}: every $ref resolves and every definition is referenced`);
  }
});

t.test('credential_secret_key', async (t) => {
  const schema = connectionSchema();
  t.same(schema.properties.credentials.$ref, '#/definitions/credential_secret_key');
  const def = schema.definitions.credential_secret_key;
  t.equal(def.type, 'object');
  t.same(def.required, ['secretKey']);
  t.equal(def.properties.secretKey.type, 'string');
  t.equal(def.properties.secretKey.format, 'password');
});

const CUSTOM: [string, string, 'incident-fields.tsv' | 'journal-note-fields.tsv'][] = [
  ['incident', 'schemas/actions/create_incident/output.json', 'incident-fields.tsv'],
  ['journal_note', 'schemas/actions/add_note/output.json', 'journal-note-fields.tsv'],
];

for (const [type, file, tsv] of CUSTOM) {
  t.test(`custom type ${type} against ${tsv}`, async (t) => {
    const fields = type === 'incident' ? incidentFields() : referenceFields(tsv);
    if (type === 'incident') t.equal(fields.length, 168, "110 fields of the first plugin, 57 more of Rapid7's 2.0.0, and TypeOfIncident_Valid");
    const def = readJson(file).definitions[type] as Doc;
    t.equal(def.type, 'object');
    t.notOk('additionalProperties' in def, 'no additionalProperties: ISM returns more fields than the spec lists');
    t.notOk('required' in def, 'required is omitted when empty');
    t.same(Object.keys(def.properties), fields.map((f) => f.key), 'every field, keyed by its ISM name, in the reference order');
    for (const [i, f] of fields.entries()) {
      const prop = def.properties[f.key] as Doc | undefined;
      t.equal(prop?.type, jsonTypeOfTsv(f.type), `${type}.${f.key}: ${f.type}`);
      t.equal(prop?.order, i + 1, `${type}.${f.key}: order ${i + 1}`);
    }
  });
}

t.test('the update output uses the same incident definition', async (t) => {
  t.same(stepSchema('update_incident', 'output').definitions, stepSchema('create_incident', 'output').definitions);
});

t.test('schema building on a small spec', async (t) => {
  const doc = minimalDoc();
  doc.types.holder = { things: { title: 'Things', description: 'Things held', type: '[]thing' } };
  doc.types.unused = { x: { title: 'X', description: 'Unused', type: 'string' } };
  doc.actions.do_it.output.holder = { title: 'Holder', description: 'A holder', type: 'holder' };
  doc.actions.do_it.input.when = { title: 'When', description: 'When', type: 'date' };
  doc.actions.do_it.input.blob = { title: 'Blob', description: 'Blob', type: 'bytes' };
  doc.actions.do_it.input.tags = { title: 'Tags', description: 'Tags', type: '[]string', order: 9 };
  const spec = loadDoc(doc);
  const step = spec.actions[0]!;

  const input = buildObjectSchema(step.input, spec);
  t.notOk('required' in input, 'required is omitted when no input is required');
  t.notOk('definitions' in input, 'no definitions when none is used');
  t.match(input.properties, {
    when: { type: 'string', format: 'date-time' },
    blob: { type: 'string', format: 'bytes' },
    tags: { type: 'array', items: { type: 'string' }, order: 9 },
    mode: { type: 'string', enum: ['fast', 'slow'], default: 'fast', order: 1 },
  });

  const output = buildObjectSchema(step.output, spec);
  const defs = output.definitions as Doc;
  t.same(Object.keys(defs).sort(), ['holder', 'thing'], 'a type used only inside another type is included; an unused one is not');
  t.same(defs.holder.properties.things, { type: 'array', items: { $ref: '#/definitions/thing' }, title: 'Things', description: 'Things held', order: 1 });
  t.same(output.required, ['thing']);
  t.notOk('required' in defs.thing, 'a custom type without required fields has no required list');
});
