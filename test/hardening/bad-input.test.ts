/**
 * Bad input, property-based: malformed envelopes and inputs (wrong types, missing and extra
 * fields, huge strings, deep nesting, unicode edge cases, numbers out of range, prototype
 * pollution keys) sent as raw HTTP bodies to the real server, and the same messages through the
 * in-process pipeline (as `run` on stdin parses them). Every answer is JSON, a 4xx names the
 * problem, no 5xx but output validation, the server stays up, its memory does not grow across
 * rounds, and Object.prototype is never touched.
 */
import t from 'tap';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Runtime, type ExecuteOptions } from '../../src/runtime/execute.js';
import { createIvantiPlugin } from '../../src/ivanti/plugin.js';
import { startSimulator } from '../../src/simulator/index.js';
import { CANARY, FAST_RETRY, canaryHits, parseJson, rawPost, recordResults, startServerChild, tally, type Json } from './helpers.js';

// Bounded, with room for a loaded machine: tap's runner would give up after 30 s.

/** Fixed, printed: a failing case replays with the same seed (and fast-check prints its path). */
const SEED = Number(process.env.HARDENING_SEED ?? 20_260_601);
const ROUNDS = 3;
const RUNS_PER_ROUND = 340;
const DEPTH = 10_000;
const HUGE = 'x'.repeat(200 * 1024);

t.comment(`fast-check seed ${SEED} (set HARDENING_SEED to replay another)`);

type Action = 'create_incident' | 'update_incident' | 'add_note' | 'delete_incident' | 'get_incident' | 'search_incidents' | 'add_attachment';
const ACTIONS: Action[] = ['create_incident', 'update_incident', 'add_note', 'delete_incident', 'get_incident', 'search_incidents', 'add_attachment'];
/** The actions that take an incident number. */
const NUMBERED: Action[] = ['update_incident', 'add_note', 'delete_incident', 'get_incident', 'add_attachment'];

interface FieldInfo {
  name: string;
  /** undefined for an object (a `$ref`). */
  type: 'string' | 'integer' | 'boolean' | undefined;
  required: boolean;
  enum?: string[];
  default?: unknown;
}

const schemaFields = (action: Action): FieldInfo[] => {
  const file = fileURLToPath(new URL(`../../schemas/actions/${action}/input.json`, import.meta.url));
  const schema = JSON.parse(readFileSync(file, 'utf8')) as { properties: Record<string, { type: FieldInfo['type']; enum?: string[]; default?: unknown }>; required?: string[] };
  return Object.entries(schema.properties).map(([name, p]) => ({ name, type: p.type, required: (schema.required ?? []).includes(name), enum: p.enum, default: p.default }));
};
const FIELDS = Object.fromEntries(ACTIONS.map((a) => [a, schemaFields(a)])) as Record<Action, FieldInfo[]>;

/** A valid input per action; deletes aim at a number nobody has, so the seed stays. */
const validInput = (action: Action, n: number): Json => {
  switch (action) {
    case 'create_incident':
      return { summary: `fuzz ${n}`, description: 'generated', customer: 'user@example.com', status: 'Logged', type: 'Failure' };
    case 'update_incident':
      return { incident_number: 10002, category: 'Software' };
    case 'add_note':
      return { incident_number: 10002, summary: `fuzz note ${n}` };
    case 'delete_incident':
      return { incident_number: 99_999 };
    case 'get_incident':
      return { incident_number: 10002 };
    case 'search_incidents':
      return { status: 'Logged', max_results: 3 };
    case 'add_attachment':
      return { incident_number: 10002, attachment: { filename: `fuzz-${n}.txt`, content: 'aGVsbG8=' } };
  }
};

// ---------------------------------------------------------------------------------------------
// Raw JSON text: what JSON.stringify cannot write (1e309, 2^53+1 as written, lone surrogates,
// 10,000 levels) goes in through placeholders replaced after serialising.

const RAW = (text: string) => `\u0001RAW:${text}\u0001`;
const RAW_RE = /"\\u0001RAW:((?:[^\\]|\\.)*?)\\u0001"/g;
function serialise(message: unknown): string {
  return JSON.stringify(message).replace(RAW_RE, (_m, inner: string) => JSON.parse(`"${inner}"`) as string);
}

const DEEP_OBJECT = '{"a":'.repeat(DEPTH) + '1' + '}'.repeat(DEPTH);
const DEEP_ARRAY = '['.repeat(DEPTH) + ']'.repeat(DEPTH);
const DEEP_MIXED = '[{"a":'.repeat(DEPTH / 2) + 'null' + '}]'.repeat(DEPTH / 2);

const EDGE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u202eevil\u202c',
  '\u200f\u200e',
  '\ufeff',
  '🔥💥👩‍👩‍👧‍👦',
  '\u2028\u2029',
  'e\u0301',
  '\t\r\n',
  '%00%27',
  '\\',
  '"',
  "'",
  '${x}',
  '<script>',
  'ﷺ',
  'null',
];
const RAW_STRINGS = ['"\\ud800"', '"\\udfff"', '"a\\udc00b"', '"\\u0000"', '"\\ud83d"'];
const RAW_NUMBERS = ['1e309', '-1e309', '-0', '9007199254740993', '1e21', '1.5', '0.1e1', '-1', '0', '2147483648', '123456789012345678901234567890'];
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'];

const edgeString = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...EDGE_STRINGS) },
  { weight: 2, arbitrary: fc.constantFrom(...RAW_STRINGS).map(RAW) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constant(HUGE) },
);

const anyJson = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  edgeString,
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
  fc.constantFrom(...RAW_NUMBERS).map(RAW),
  fc.constantFrom(DEEP_OBJECT, DEEP_ARRAY).map(RAW),
);

/** A value of another JSON type than `type` (never null or "": those mean "not given"). */
function wrongType(type: FieldInfo['type']): fc.Arbitrary<unknown> {
  const nonString = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.array(fc.integer(), { minLength: 1, maxLength: 3 }), fc.constant({ a: 1 }), fc.constantFrom(DEEP_ARRAY).map(RAW));
  if (type === 'string') return nonString;
  if (type === 'integer') {
    return fc.oneof(
      fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== ''),
      fc.constantFrom('10001', '10001 or 1 eq 1', ' 10001'),
      fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d)),
      fc.boolean(),
      fc.constant([10001]),
      fc.constantFrom('1e309', '-1e309', '1.5').map(RAW),
    );
  }
  return fc.oneof(fc.integer(), fc.string({ minLength: 1 }));
}

interface Case {
  label: string;
  /** The family of the case, for the figures. */
  kind?: string;
  path: string;
  body: string | Buffer;
  contentType?: string;
  /** The answer's message must match this (it names the problem). */
  expect?: RegExp;
  /** Statuses allowed besides the default (200/400). */
  statuses?: number[];
  /** Also run through the in-process pipeline (for JSON-parseable bodies). */
  mode: ExecuteOptions['mode'];
  route: ExecuteOptions['route'];
}

/** A placeholder for one of the 10,000-level texts. */
const isDeep = (v: unknown) => typeof v === 'string' && v.startsWith('\u0001RAW:') && v.length > 5_000;
const NESTED = /nested|deep/i;
const unlessDeep = (value: unknown, expect: RegExp | undefined) => (isDeep(value) ? NESTED : expect);

interface Built {
  label: string;
  message: unknown;
  expect?: RegExp;
}

let counter = 0;
const baseMessage = (action: Action, connection: Json): Json => ({
  version: 'v1',
  type: 'action_start',
  body: { action, meta: { job: 'fuzz' }, connection, input: validInput(action, ++counter) },
});

function buildCase(built: Built & { action: Action }, mode: ExecuteOptions['mode'] = 'run'): Case {
  return {
    label: built.label,
    path: `/actions/${built.action}${mode === 'test' ? '/test' : ''}`,
    body: serialise(built.message),
    expect: built.expect,
    mode,
    route: { kind: 'action', name: built.action },
  };
}

function caseArbitrary(connection: Json): fc.Arbitrary<Case> {
  const action = fc.constantFrom(...ACTIONS);

  const envelope = fc.tuple(action, fc.constantFrom('version', 'type', 'body', 'action', 'meta', 'connection', 'input', 'message'), anyJson, fc.boolean()).map(([a, part, value, drop]): Case => {
    const m = baseMessage(a, connection);
    let expect: RegExp;
    if (part === 'message') {
      const message = Array.isArray(value) || typeof value !== 'object' || value === null ? value : [value];
      return buildCase({ action: a, label: 'the message is not an object', message, expect: unlessDeep(value, /message must be a JSON object|out of range/) });
    }
    if (part === 'version' || part === 'type' || part === 'body') {
      if (drop) delete m[part];
      else m[part] = value === 'v1' || value === 'action_start' ? 42 : value;
      expect = part === 'body' ? /'?body'?/ : new RegExp(part);
      if (part === 'body' && !drop && typeof value === 'object' && value !== null && !Array.isArray(value)) expect = /body\.action|action/;
    } else {
      if (drop) delete m.body[part];
      else m.body[part] = value;
      expect = new RegExp(part);
      // meta, connection and input may be missing or null (they count as {}); any object is a valid meta.
      if (part !== 'action' && (drop || value === null)) expect = /./;
      if (part === 'meta' && typeof value === 'object' && value !== null && !Array.isArray(value)) expect = /./;
      if (part === 'action' && typeof value === 'string' && !drop) expect = /action/;
    }
    return buildCase({ action: a, label: `envelope: ${part} ${drop ? 'missing' : 'replaced'}`, message: m, expect: drop ? expect : unlessDeep(value, expect) });
  });

  const withRequired = fc.constantFrom(...ACTIONS.filter((a) => FIELDS[a].some((f) => f.required)));
  const withRequiredNoDefault = fc.constantFrom(...ACTIONS.filter((a) => FIELDS[a].some((f) => f.required && f.default === undefined)));
  const missingRequired = withRequiredNoDefault.chain((a) =>
    // A required input with a default is filled in when missing: not an error.
    fc.constantFrom(...FIELDS[a].filter((f) => f.required && f.default === undefined)).map((f): Case => {
      const m = baseMessage(a, connection);
      delete m.body.input[f.name];
      return buildCase({ action: a, label: `input: required ${f.name} missing`, message: m, expect: new RegExp(`'${f.name}'`) });
    }),
  );

  const blankRequired = withRequired.chain((a) =>
    fc.tuple(fc.constantFrom(...FIELDS[a].filter((f) => f.required)), fc.constantFrom(null, '')).map(([f, v]): Case => {
      const m = baseMessage(a, connection);
      m.body.input[f.name] = v;
      return buildCase({ action: a, label: `input: required ${f.name} ${JSON.stringify(v)}`, message: m, expect: new RegExp(`'${f.name}'`) });
    }),
  );

  const wrongTyped = action.chain((a) =>
    fc.constantFrom(...FIELDS[a]).chain((f) =>
      wrongType(f.type).map((v): Case => {
        const m = baseMessage(a, connection);
        m.body.input[f.name] = v;
        return buildCase({ action: a, label: `input: ${f.name} of the wrong type`, message: m, expect: unlessDeep(v, new RegExp(f.name)) });
      }),
    ),
  );

  const badEnum = action.chain((a) => {
    const enums = FIELDS[a].filter((f) => f.enum);
    if (enums.length === 0) return fc.constant(buildCase({ action: a, label: 'no enum', message: baseMessage(a, connection) }));
    return fc.tuple(fc.constantFrom(...enums), edgeString).map(([f, v]): Case => {
      const m = baseMessage(a, connection);
      m.body.input[f.name] = v;
      const notAnError = v === '' ? !f.required : f.enum!.includes(v);
      return buildCase({ action: a, label: `input: ${f.name} outside its list`, message: m, expect: notAnError ? undefined : new RegExp(`'${f.name}'`) });
    });
  });

  const numbers = fc.tuple(fc.constantFrom(...NUMBERED), fc.constantFrom(...RAW_NUMBERS)).map(([a, n]): Case => {
    const m = baseMessage(a, connection);
    m.body.input.incident_number = RAW(n);
    return buildCase({ action: a, label: `input: incident_number ${n}`, message: m, expect: /incident_number/ });
  });

  const textFields = action.chain((a) => {
    const texts = FIELDS[a].filter((f) => f.type === 'string' && !f.enum);
    if (texts.length === 0) return fc.constant(buildCase({ action: a, label: 'no text field', message: baseMessage(a, connection) }));
    return fc.tuple(fc.constantFrom(...texts), edgeString).map(([f, v]): Case => {
      const m = baseMessage(a, connection);
      m.body.input[f.name] = v;
      return buildCase({ action: a, label: `input: ${f.name} = edge string`, message: m });
    });
  });

  const extraFields = action.chain((a) =>
    fc.tuple(fc.constantFrom('input', 'meta', 'connection', 'body', 'top', 'credentials'), fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...PROTO_KEYS)), anyJson).map(([where, key, value]): Case => {
      const m = baseMessage(a, connection);
      m.body.connection = { ...m.body.connection, credentials: { ...m.body.connection.credentials } };
      const target = where === 'top' ? m : where === 'body' ? m.body : where === 'credentials' ? m.body.connection.credentials : m.body[where];
      Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
      const forbidden = key === '__proto__' || (key === 'constructor' && typeof value === 'object' && value !== null && 'prototype' in value);
      return buildCase({ action: a, label: `extra ${where}.${key.slice(0, 12)}`, message: m, expect: forbidden ? /__proto__|prototype/ : isDeep(value) ? NESTED : undefined });
    }),
  );

  const pollution = action.chain((a) =>
    fc.tuple(fc.constantFrom('top', 'body', 'meta', 'connection', 'credentials', 'input'), fc.constantFrom('__proto__', 'constructor')).map(([where, key]): Case => {
      const m = baseMessage(a, connection);
      const payload: Json = key === '__proto__' ? { polluted: 'yes', toString: 'x' } : { prototype: { polluted: 'yes' } };
      m.body.connection = { ...m.body.connection, credentials: { ...m.body.connection.credentials } };
      const target = where === 'top' ? m : where === 'body' ? m.body : where === 'credentials' ? m.body.connection.credentials : m.body[where];
      Object.defineProperty(target, key, { value: payload, enumerable: true, configurable: true, writable: true });
      return buildCase({ action: a, label: `pollution: ${where}.${key}`, message: m, expect: /__proto__|prototype/ });
    }),
  );

  const deepNesting = fc.tuple(action, fc.constantFrom('meta', 'input', 'connection', 'body', 'top', 'field'), fc.constantFrom(DEEP_OBJECT, DEEP_ARRAY, DEEP_MIXED)).map(([a, where, deep]): Case => {
    const m = baseMessage(a, connection);
    if (where === 'top') m.extra = RAW(deep);
    else if (where === 'body') m.body.extra = RAW(deep);
    else if (where === 'field') m.body.input.summary = RAW(deep);
    else m.body[where] = RAW(deep);
    return buildCase({ action: a, label: `deep nesting in ${where}`, message: m, expect: /nested|deep/i });
  });

  const rawBodies = fc.oneof(
    fc.constantFrom(
      { label: 'a deep array as the whole body', body: DEEP_ARRAY, expect: /nested|deep|JSON object/i },
      { label: 'a deep object as the whole body', body: DEEP_OBJECT, expect: /nested|deep/i },
      { label: 'truncated JSON', body: '{"version":"v1","type":"action_start","body":{', expect: /not valid JSON/ },
      { label: 'JSON with a trailing comma', body: '{"version":"v1",}', expect: /not valid JSON/ },
      { label: 'two JSON documents', body: '{"version":"v1"}{"version":"v1"}', expect: /not valid JSON/ },
      { label: 'empty body', body: '', expect: /empty/i },
      { label: 'whitespace body', body: '   \n', expect: /not valid JSON|empty/i },
      { label: 'a bare string', body: '"action_start"', expect: /JSON object/ },
      { label: 'null', body: 'null', expect: /JSON object/ },
      { label: 'NaN', body: 'NaN', expect: /not valid JSON/ },
      { label: '1e309', body: '1e309', expect: /out of range/ },
    ),
    fc.string({ unit: 'binary', maxLength: 60 }).map((s) => ({ label: 'random text', body: s, expect: undefined as RegExp | undefined })),
    fc.uint8Array({ minLength: 1, maxLength: 40 }).map((bytes) => ({ label: 'random bytes', body: Buffer.from(bytes) as string | Buffer, expect: undefined as RegExp | undefined })),
    fc.constant({ label: 'invalid UTF-8 inside a string', body: Buffer.concat([Buffer.from('{"version":"v1","type":"action_start","body":{"action":"'), Buffer.from([0xff, 0xfe, 0xed, 0xa0, 0x80]), Buffer.from('"}}')]), expect: /action/ as RegExp | undefined }),
  ).map((r): Case => ({ label: r.label, path: '/actions/create_incident', body: r.body, expect: r.expect, mode: 'run', route: { kind: 'action', name: 'create_incident' } }));

  const contentTypes = fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', '').map(
    (type): Case => ({
      label: `content type '${type}'`,
      path: '/actions/add_note',
      body: serialise(baseMessage('add_note', connection)),
      contentType: type,
      expect: /content type|Content-Type/i,
      statuses: [415],
      mode: 'run',
      route: { kind: 'action', name: 'add_note' },
    }),
  );

  const routes = fc.tuple(action, fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom(HUGE, 'create_incident', 'constructor', '__proto__', 'toString', 'hasOwnProperty'))).map(([a, name]): Case => {
    const m = baseMessage(a, connection);
    m.body.action = name;
    return {
      label: 'an action name that is not the route',
      path: `/actions/${a}`,
      body: serialise(m),
      expect: name === a ? undefined : /action/,
      mode: 'run',
      route: { kind: 'action', name: a },
    };
  });

  const unknownStep = fc.constantFrom('constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', 'say_hello', '../create_incident').map((name): Case => {
    const m = baseMessage('create_incident', connection);
    m.body.action = name;
    return { label: `unknown action '${name}'`, path: `/api/v1/actions/${encodeURIComponent(name)}`, body: serialise(m), expect: /action/, statuses: [404], mode: 'run', route: { kind: 'action', name } };
  });

  const tests = fc.tuple(action, anyJson).map(([a, value]): Case => {
    const m = baseMessage(a, connection);
    m.body.connection = { ...connection, ssl_verify: value };
    const ok = typeof value === 'boolean' || value === null;
    return buildCase({ action: a, label: 'connection test with a wrong ssl_verify', message: m, expect: ok ? undefined : unlessDeep(value, /ssl_verify/) }, 'test');
  });

  const hugeBody = fc.constant<Case>({
    label: 'a body over the limit',
    path: '/actions/create_incident',
    body: '{"version":"v1","pad":"' + 'p'.repeat(1024 * 1024 + 10) + '"}',
    expect: /larger than the limit/,
    statuses: [413],
    mode: 'run',
    route: { kind: 'action', name: 'create_incident' },
  });

  const kinds: [string, number, fc.Arbitrary<Case>][] = [
    ['envelope fields', 8, envelope],
    ['required input missing', 4, missingRequired],
    ['required input null or empty', 3, blankRequired],
    ['input of the wrong type', 8, wrongTyped],
    ['input outside its list', 4, badEnum],
    ['incident number out of range', 4, numbers],
    ['unicode and huge text', 5, textFields],
    ['extra fields', 6, extraFields],
    ['prototype pollution keys', 4, pollution],
    ['10,000 levels of nesting', 3, deepNesting],
    ['raw bodies (not JSON, bytes, empty)', 5, rawBodies],
    ['wrong content type', 1, contentTypes],
    ['route and action disagree', 3, routes],
    ['unknown action', 1, unknownStep],
    ['connection test, bad connection', 2, tests],
    ['body over the limit', 1, hugeBody],
  ];
  return fc.oneof(...kinds.map(([kind, weight, arbitrary]) => ({ weight, arbitrary: arbitrary.map((c) => ({ ...c, kind })) })));
}

/** The message of an answer: the envelope's error, or a JSON error's message. */
function messageOf(json: Json): string {
  if (typeof json.body === 'object' && json.body !== null && typeof json.body.error === 'string') return `${json.body.error} ${json.body.exception?.data ?? ''}`;
  return typeof json.message === 'string' ? json.message : '';
}

const GENERIC = /Something unexpected went wrong|The plugin failed to handle the request/;

interface Figures {
  cases: number;
  inProcess: number;
  byStatus: Record<string, number>;
  byKind: Record<string, number>;
  secretsFound: number;
}

/** Checks one answer (HTTP or in-process) against the contract; returns what is wrong. */
function problems(c: Case, status: number, text: string): string[] {
  const out: string[] = [];
  const json = parseJson(text);
  if (!json) return [`answer is not JSON (${status}): ${text.slice(0, 200)}`];
  const allowed = new Set([200, 400, ...(c.statuses ?? [])]);
  const message = messageOf(json);
  if (status >= 500) {
    const outputFailure = json.body?.exception?.cause && /output/.test(String(json.body.exception.cause));
    if (!(status === 500 && outputFailure)) out.push(`${status} that is not an output-validation failure: ${message}`);
  } else if (!allowed.has(status)) {
    out.push(`unexpected status ${status}: ${message}`);
  }
  if (status === 200 && json.body?.status !== 'ok') out.push('200 without status ok');
  if (status >= 400) {
    if (message.trim() === '') out.push(`${status} without a message`);
    if (GENERIC.test(message)) out.push(`a generic message: ${message}`);
    if (c.expect && !c.expect.test(message)) out.push(`the message does not name the problem (${c.expect}): ${message.slice(0, 300)}`);
    if (message.length > 4_000) out.push(`an unbounded message (${message.length} characters)`);
  } else if (c.expect && c.expect.source !== '.' && !c.statuses) {
    out.push(`accepted (${status}) what should be refused (${c.expect}): ${text.slice(0, 200)}`);
  }
  if (canaryHits(text) > 0) out.push('the canary API key appears in the answer');
  return out;
}

t.test('bad input: generated malformed messages against the real server', async (t) => {
  const sim = await startSimulator({ apiKeys: { [CANARY]: 'Administrator' }, journalLimit: 2_000 });
  t.teardown(() => sim.close());
  const child = await startServerChild();
  t.teardown(() => child.close());
  const connection: Json = { credentials: { secretKey: CANARY }, url: sim.url, ssl_verify: true, request_timeout: 5, connect_timeout: 5 };
  const runtime = new Runtime(createIvantiPlugin({ retry: FAST_RETRY }));
  t.teardown(() => runtime.close());
  const standardPrototype = Reflect.ownKeys(Object.prototype).map(String).sort();

  const figures: Figures = { cases: 0, inProcess: 0, byStatus: {}, byKind: {}, secretsFound: 0 };
  const memory: { rss: number; heapUsed: number }[] = [];
  const started = performance.now();

  for (let round = 0; round < ROUNDS; round++) {
    await fc.assert(
      fc.asyncProperty(caseArbitrary(connection), async (c) => {
        figures.cases++;
        tally(figures.byKind, c.kind ?? c.label);
        const headers: Record<string, string> = c.contentType === undefined ? { 'content-type': 'application/json' } : c.contentType === '' ? {} : { 'content-type': c.contentType };
        const answer = await rawPost(child.url, c.path, c.body, headers);
        tally(figures.byStatus, answer.status);
        const found = problems(c, answer.status, answer.text);
        figures.secretsFound += canaryHits(answer.text);
        if (found.length) throw new Error(`HTTP ${c.label} (${c.path}): ${found.join('; ')}`);

        // The same message through the pipeline as stdin parses it: JSON.parse, no body guard.
        const text = typeof c.body === 'string' ? c.body : c.body.toString('utf8');
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          return;
        }
        if (c.statuses?.includes(415) || c.statuses?.includes(413)) return;
        figures.inProcess++;
        const result = await runtime.execute(parsed, { mode: c.mode, route: c.route });
        let serialised: string;
        try {
          serialised = JSON.stringify(result.envelope);
        } catch (err) {
          throw new Error(`in-process ${c.label}: the envelope cannot be serialised (${(err as Error).message})`);
        }
        const inProblems = problems(c, result.status, serialised);
        figures.secretsFound += canaryHits(serialised);
        if (inProblems.length) throw new Error(`in-process ${c.label}: ${inProblems.join('; ')}`);
      }),
      { seed: SEED + round, numRuns: RUNS_PER_ROUND, endOnFailure: true, verbose: 1 },
    );
    // The server is still up after the batch.
    const status = await fetch(`${child.url}/api/v1/status`, { signal: AbortSignal.timeout(5_000) });
    t.equal(status.status, 200, `round ${round + 1}: the server answers its status probe`);
    t.ok(child.alive(), `round ${round + 1}: the server process is alive`);
    const m = await child.memory();
    t.same(m.prototypeKeys, [], `round ${round + 1}: Object.prototype of the server is untouched`);
    memory.push({ rss: m.rss, heapUsed: m.heapUsed });
  }

  t.ok(figures.cases >= 1_000, `${figures.cases} cases tried (at least 1,000)`);
  t.same(Reflect.ownKeys(Object.prototype).map(String).sort(), standardPrototype, 'Object.prototype of this process is untouched');
  t.equal(({} as Json).polluted, undefined, 'no object inherits a polluted key');
  t.equal(figures.secretsFound, 0, 'the canary never appears');

  // Round 1 warms up (validators, connections, JIT); rounds 2 and 3 must not grow.
  const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;
  const heapGrowth = memory[2]!.heapUsed - memory[1]!.heapUsed;
  const rssGrowth = memory[2]!.rss - memory[1]!.rss;
  t.ok(heapGrowth < 8 * 1024 * 1024, `heap after GC: ${memory.map((m) => mb(m.heapUsed)).join(' -> ')} MB (growth ${mb(heapGrowth)} MB < 8 MB)`);
  t.ok(rssGrowth < 40 * 1024 * 1024, `RSS: ${memory.map((m) => mb(m.rss)).join(' -> ')} MB (growth ${mb(rssGrowth)} MB < 40 MB)`);

  recordResults('badInput', {
    seed: SEED,
    cases: figures.cases,
    inProcessCases: figures.inProcess,
    rounds: ROUNDS,
    answersByStatus: figures.byStatus,
    casesByKind: figures.byKind,
    heapUsedMB: memory.map((m) => mb(m.heapUsed)),
    rssMB: memory.map((m) => mb(m.rss)),
    serverCrashes: child.alive() ? 0 : 1,
    secretsFound: figures.secretsFound,
    ms: Math.round(performance.now() - started),
  });
});
