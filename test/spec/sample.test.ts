/**
 * Sample start messages: every input filled from its example, else its default, else its
 * first enum value, else an empty value of its type; every sample of the real spec
 * validates against the generated schemas and validator modules.
 */
import t from 'tap';
import { sampleMessage, sampleObject, sampleValue } from '../../src/spec/sample.js';
import { createAjv } from '../../src/spec/validators.js';
import { actions as actionValidators, connection as connectionValidator } from '../../src/generated/validators/index.js';
import { ACTIONS, loadDoc, minimalDoc, readJson, realSpec, type Doc } from './helpers.js';

const param = (type: string, extra: Doc = {}): Doc => ({ title: 'P', description: 'A parameter', type, ...extra });

/** A one-action spec whose inputs exercise each fill rule. */
function ruleSpec() {
  const doc = minimalDoc();
  doc.actions.do_it.input = {
    example_first: param('string', { example: 'from example', default: 'from default', enum: ['from default', 'from example'] }),
    default_next: param('string', { default: 'from default', enum: ['first', 'from default'] }),
    enum_then: param('string', { enum: ['first', 'second'] }),
    falsy_example: param('integer', { example: 0, default: 5 }),
    falsy_default: param('boolean', { default: false }),
    empty_example: param('string', { example: '', default: 'x' }),
    numeric_enum: param('integer', { enum: [3, 2, 1] }),
    s: param('string'),
    i: param('integer'),
    n: param('number'),
    b: param('boolean'),
    o: param('object'),
    d: param('date'),
    by: param('bytes'),
    list: param('[]string'),
    nested: param('[][]integer'),
    custom: param('thing'),
    customs: param('[]thing'),
    secret: param('credential_secret_key'),
    secret_example: param('credential_secret_key', { example: 'abc123' }),
    file: param('file'),
    object_example: param('object', { example: { a: [1, 2] } }),
  };
  return loadDoc(doc);
}

t.test('fill rules', async (t) => {
  const spec = ruleSpec();
  const input = sampleObject(spec.actions[0]!.input);
  t.strictSame(input, {
    example_first: 'from example',
    default_next: 'from default',
    enum_then: 'first',
    falsy_example: 0,
    falsy_default: false,
    empty_example: '',
    numeric_enum: 3,
    s: '',
    i: 0,
    n: 0,
    b: false,
    o: {},
    d: '',
    by: '',
    list: [],
    nested: [],
    custom: {},
    customs: [],
    secret: { secretKey: '' },
    secret_example: { secretKey: 'abc123' },
    file: { filename: '', content: '' },
    object_example: { a: [1, 2] },
  });
  t.same(Object.keys(input), spec.actions[0]!.input.map((p) => p.name), 'every input, in spec order');
});

t.test('example, then default, then first enum value, then empty', async (t) => {
  const spec = loadDoc(minimalDoc());
  const mode = spec.actions[0]!.input.find((p) => p.name === 'mode')!;
  t.equal(sampleValue(mode), 'slow', 'the example wins');
  t.equal(sampleValue({ ...mode, example: undefined }), 'fast', 'then the default');
  t.equal(sampleValue({ ...mode, example: undefined, default: undefined }), 'fast', 'then the first enum value');
  t.equal(sampleValue({ ...mode, example: undefined, default: undefined, enum: ['slow', 'fast'] }), 'slow', 'the first, whichever it is');
  t.equal(sampleValue({ ...mode, example: undefined, default: undefined, enum: undefined }), '', 'then an empty string');
});

t.test('samples are copies, not the spec\'s own values', async (t) => {
  const spec = ruleSpec();
  const p = spec.actions[0]!.input.find((x) => x.name === 'object_example')!;
  const value = sampleValue(p) as { a: number[] };
  value.a.push(3);
  t.same(p.example, { a: [1, 2] }, 'changing a sample leaves the spec alone');
});

t.test('sampleMessage', async (t) => {
  const spec = realSpec();
  for (const name of ACTIONS) {
    const msg = sampleMessage(spec, name);
    const step = spec.actions.find((a) => a.name === name)!;
    t.equal(msg?.version, 'v1');
    t.equal(msg?.type, 'action_start');
    t.equal(msg?.body.action, name);
    t.same(msg?.body.meta, {});
    t.same(msg?.body.connection, sampleObject(spec.connection), `${name}: the connection sample`);
    t.same(msg?.body.input, sampleObject(step.input), `${name}: the input sample`);
    t.same(Object.keys(msg?.body.input as Doc).sort(), step.input.map((p) => p.name).sort(), `${name}: every input is filled`);
  }
  t.equal(sampleMessage(spec, 'no_such_action'), undefined, 'undefined for an unknown step');

  const doc = minimalDoc();
  doc.triggers = { on_thing: { title: 'On Thing', description: 'When a thing happens', input: { every: param('integer', { default: 60 }) }, output: doc.actions.do_it.output } };
  const withTrigger = loadDoc(doc);
  const msg = sampleMessage(withTrigger, 'on_thing');
  t.equal(msg?.type, 'trigger_start');
  t.equal(msg?.body.trigger, 'on_thing');
  t.same(msg?.body.input, { every: 60 });
  t.type((msg?.body.dispatcher as Doc | undefined)?.url, 'string', 'a trigger sample has a dispatcher');
});

t.test('the real samples fill inputs as the seed examples do', async (t) => {
  const spec = realSpec();
  t.strictSame(sampleMessage(spec, 'create_incident')?.body.input, {
    summary: 'Incident Created By InsightConnect',
    description: 'This incident was created using InsightConnect',
    customer: 'user@example.com',
    status: 'Logged',
    type: 'Failure',
    impact: 'Medium',
    urgency: 'Medium',
    source: 'Network Monitor',
    category: 'Software',
    assignee: 'John Doe',
  });
  t.strictSame(sampleMessage(spec, 'delete_incident')?.body.input, { incident_number: 12345 });
  t.strictSame(sampleMessage(spec, 'add_note')?.body.connection, {
    credentials: { secretKey: '1A2B3CC4D5E67F8901G2HI345J6K7L89' },
    url: 'https://ivanti.example.com',
    ssl_verify: true,
    connect_timeout: 10,
    request_timeout: 60,
    attachment_size_limit: 20,
    response_size_limit: 32,
  });
});

t.test('every sample validates against its generated schema', async (t) => {
  const spec = realSpec();
  const ajv = createAjv();
  const connectionSchema = ajv.compile(readJson('schemas/connection.json'));
  const connectionModule = await connectionValidator();
  for (const name of ACTIONS) {
    const msg = sampleMessage(spec, name)!;
    const step = spec.actions.find((a) => a.name === name)!;
    const inputSchema = readJson(`schemas/actions/${name}/input.json`);
    const input = createAjv().compile(inputSchema);
    const output = createAjv().compile(readJson(`schemas/actions/${name}/output.json`));
    const module = await actionValidators[name]!();

    t.ok(input(structuredClone(msg.body.input)), `${name}: the sample input validates against input.json`, { errors: input.errors });
    t.ok(module.input(structuredClone(msg.body.input)), `${name}: and against the generated validator`, { errors: module.input.errors });
    t.same(module.requiredInputs, inputSchema.required ?? [], `${name}: requiredInputs is the schema's required list`);
    t.ok(connectionSchema(structuredClone(msg.body.connection)), `${name}: the sample connection validates`, { errors: connectionSchema.errors });
    t.ok(connectionModule.connection(structuredClone(msg.body.connection)), `${name}: and against the generated validator`);

    const sampleOutput = Object.fromEntries(step.output.map((p) => [p.name, sampleValue(p)]));
    t.ok(output(structuredClone(sampleOutput)), `${name}: the sample output validates against output.json`, { errors: output.errors });
    t.ok(module.output(structuredClone(sampleOutput)), `${name}: and against the generated validator`, { errors: module.output.errors });

    // The validators do reject what the schema forbids, and fill in defaults.
    for (const required of module.requiredInputs) {
      const missing = structuredClone(msg.body.input) as Doc;
      delete missing[required];
      const param = step.input.find((p) => p.name === required)!;
      if (param.default === undefined) t.notOk(module.input(missing), `${name}: an input without ${required} is rejected`);
      else {
        t.ok(module.input(missing), `${name}: ${required} may be left out, it has a default`);
        t.same(missing[required], param.default, `${name}: and the default is filled in`);
      }
    }
    const enumParam = step.input.find((p) => p.enum);
    if (enumParam) {
      const bad = { ...(structuredClone(msg.body.input) as Doc), [enumParam.name]: 'Not In The Enum' };
      t.notOk(module.input(bad), `${name}: a value outside ${enumParam.name}'s enum is rejected`);
    }
  }
  t.notOk(connectionModule.connection({ url: 'https://x', credentials: { key: 'no' } }), 'a credential without secretKey is rejected');
});
