/**
 * The generated TypeScript types: required and defaulted inputs are not optional, enums
 * are string-literal unions, custom types exist. The type-level assertions at the end
 * are checked by `npm run typecheck`; the rest at run time.
 */
import t from 'tap';
import { generateTypes, pascalCase } from '../../src/spec/types.js';
import type { SpecParam } from '../../src/spec/model.js';
import type {
  ActionName,
  ActionTypes,
  AddNoteInput,
  Connection,
  CreateIncidentInput,
  CreateIncidentOutput,
  DeleteIncidentOutput,
  Incident,
  JournalNote,
  TriggerName,
  UpdateIncidentInput,
} from '../../src/generated/types.js';
import { incidentFields, loadDoc, minimalDoc, readProjectFile, realSpec, referenceFields } from './helpers.js';

const TYPES = readProjectFile('src/generated/types.ts');
const SPEC = realSpec();

/** The member lines of `export interface <name> { ... }`, without comments. */
function members(source: string, name: string): string[] {
  const start = source.indexOf(`export interface ${name} {\n`);
  if (start < 0) return [];
  const end = source.indexOf('\n}\n', start);
  return source
    .slice(start, end)
    .split('\n')
    .slice(1)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('/**'));
}

function tsTypeOf(p: SpecParam): string {
  if (p.enum) return p.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (p.type.startsWith('[]')) {
    const inner = tsTypeOf({ ...p, type: p.type.slice(2) });
    return /^[A-Za-z0-9_]+$/.test(inner) ? `${inner}[]` : `Array<${inner}>`;
  }
  switch (p.type) {
    case 'file':
      return 'FileValue';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'object':
      return 'Record<string, unknown>';
    case 'credential_secret_key':
      return 'CredentialSecretKey';
    case 'string':
    case 'date':
    case 'bytes':
      return 'string';
    default:
      return pascalCase(p.type);
  }
}

function key(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}

/** The line a param should have: optional unless required (or, for inputs, defaulted). */
function memberLine(p: SpecParam, defaultsApply: boolean): string {
  const present = p.required || (defaultsApply && p.default !== undefined);
  return `${key(p.name)}${present ? '' : '?'}: ${tsTypeOf(p)};`;
}

t.test('types.ts is what the generator makes of the spec', async (t) => {
  t.equal(TYPES, generateTypes(SPEC));
});

t.test('connection: required and defaulted fields are not optional', async (t) => {
  const lines = members(TYPES, 'Connection');
  t.same(lines, SPEC.connection.map((p) => memberLine(p, true)));
  t.ok(lines.includes('credentials: CredentialSecretKey;'));
  t.ok(lines.includes('ssl_verify: boolean;'), 'ssl_verify has a default, so it is always present');
});

for (const step of SPEC.actions) {
  t.test(`${step.name}: input and output members`, async (t) => {
    const base = pascalCase(step.name);
    t.same(members(TYPES, `${base}Input`), [...step.input].sort((a, b) => a.order - b.order).map((p) => memberLine(p, true)), `${base}Input`);
    t.same(members(TYPES, `${base}Output`), step.output.map((p) => memberLine(p, false)), `${base}Output`);
  });
}

t.test('spot checks', async (t) => {
  const create = members(TYPES, 'CreateIncidentInput');
  t.ok(create.includes('summary: string;'), 'a required input is not optional');
  t.ok(
    create.includes('status: "Logged" | "Active" | "Waiting for Customer" | "Waiting for 3rd Party" | "Waiting for Resolution" | "Resolved" | "Closed";'),
    'a required enum with a default is a non-optional literal union, in enum order',
  );
  t.ok(create.includes('type: "Request" | "Failure";'));
  t.ok(create.includes('impact?: "Low" | "Medium" | "High";'), 'an optional enum is an optional literal union');
  t.ok(create.includes('category?: string;'), 'an optional input is optional');
  t.ok(members(TYPES, 'AddNoteInput').includes('incident_number: number;'));
  t.ok(members(TYPES, 'CreateIncidentOutput').includes('incident: Incident;'));
  t.ok(members(TYPES, 'AddNoteOutput').includes('journal_note: JournalNote;'));
  t.ok(members(TYPES, 'DeleteIncidentOutput').includes('success: boolean;'));
  t.match(
    TYPES,
    new RegExp(`export interface ActionTypes \\{\\n(?: {2}\\w+: \\{ input: \\w+Input; output: \\w+Output \\};\\n){${SPEC.actions.length}}\\}`),
    'ActionTypes maps every action',
  );
});

for (const [type, tsv] of [
  ['incident', 'incident-fields.tsv'],
  ['journal_note', 'journal-note-fields.tsv'],
] as const) {
  t.test(`custom type ${type}`, async (t) => {
    const lines = members(TYPES, pascalCase(type));
    const fields = type === 'incident' ? incidentFields() : referenceFields(tsv);
    t.equal(lines.length, fields.length + 1, 'one member per field, plus an index signature');
    t.equal(lines.at(-1), '[field: string]: unknown;', 'open: ISM returns more fields than the spec lists');
    for (const f of fields) {
      const ts = f.type === 'boolean' ? 'boolean' : f.type === 'int' || f.type === 'integer' ? 'number' : 'string';
      t.ok(lines.includes(`${key(f.key)}?: ${ts};`), `${type}.${f.key}?: ${ts}`);
    }
  });
}

t.test('a small spec', async (t) => {
  const doc = minimalDoc();
  doc.types.thing['@odata.type'] = { title: 'OData type', description: 'OData type', type: 'string' };
  doc.types.thing.id.required = true;
  doc.actions.do_it.input.level = { title: 'Level', description: 'Level', type: 'integer', enum: [3, 2, 1] };
  doc.actions.do_it.input.retries = { title: 'Retries', description: 'Retries', type: 'integer', default: 2 };
  doc.actions.do_it.input.grid = { title: 'Grid', description: 'Grid', type: '[][]string' };
  doc.actions.do_it.output.things = { title: 'Things', description: 'Things', type: '[]thing' };
  doc.actions.do_it.output.count = { title: 'Count', description: 'Count', type: 'integer', required: false };
  const source = generateTypes(loadDoc(doc));
  t.same(members(source, 'Thing'), ['id: number;', 'label?: string;', '"@odata.type"?: string;', '[field: string]: unknown;']);
  const input = members(source, 'DoItInput');
  t.ok(input.includes('mode: "fast" | "slow";'), 'a defaulted optional enum is present after defaults');
  t.ok(input.includes('level?: 3 | 2 | 1;'), 'a numeric enum is a numeric literal union');
  t.ok(input.includes('retries: number;'), 'a defaulted optional input is present after defaults');
  t.ok(input.includes('grid?: Array<string[]>;'), 'arrays of arrays');
  t.same(members(source, 'DoItOutput'), ['thing: Thing;', 'things?: Thing[];', 'count?: number;'], 'outputs: only required ones are present');
});

// ---------------------------------------------------------------------------------------
// Type-level checks, enforced by the compiler (npm run typecheck).

type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;
type IsOptional<T, K extends keyof T> = object extends Pick<T, K> ? true : false;

export type TypeLevelChecks = [
  Expect<Equal<IsOptional<CreateIncidentInput, 'summary'>, false>>,
  Expect<Equal<IsOptional<CreateIncidentInput, 'status'>, false>>,
  Expect<Equal<IsOptional<CreateIncidentInput, 'impact'>, true>>,
  Expect<Equal<CreateIncidentInput['type'], 'Request' | 'Failure'>>,
  Expect<Equal<NonNullable<UpdateIncidentInput['cause_code']>, 'Configuration' | 'Documentation Request' | 'Hardware' | 'Install Request' | 'Installation' | 'Linked Problem' | 'Other' | 'Reference Request' | 'Session Reset' | 'Software' | 'Training'>>,
  Expect<Equal<AddNoteInput['incident_number'], number>>,
  Expect<Equal<IsOptional<Connection, 'ssl_verify'>, false>>,
  Expect<Equal<IsOptional<Connection, 'connect_timeout'>, false>>,
  Expect<Equal<Connection['credentials'], { secretKey: string }>>,
  Expect<Equal<CreateIncidentOutput['incident'], Incident>>,
  Expect<Equal<DeleteIncidentOutput['success'], boolean>>,
  Expect<
    Equal<
      ActionName,
      | 'create_incident'
      | 'create_service_request'
      | 'update_incident'
      | 'delete_incident'
      | 'add_note'
      | 'get_incident'
      | 'search_incidents'
      | 'add_attachment'
      | 'get_record'
      | 'search_records'
      | 'create_record'
      | 'update_record'
      | 'delete_record'
      | 'link_records'
      | 'unlink_records'
      | 'list_related'
      | 'run_quick_action'
      | 'list_attachments'
      | 'download_attachment'
      | 'delete_attachment'
    >
  >,
  Expect<Equal<TriggerName, 'new_incident' | 'updated_incident'>>,
  Expect<Equal<ActionTypes['add_note']['output']['journal_note'], JournalNote>>,
  Expect<Equal<Incident['IncidentNumber'], number | undefined>>,
];

export const validInput: CreateIncidentInput = {
  summary: 's',
  description: 'd',
  customer: 'user@example.com',
  status: 'Logged',
  type: 'Failure',
};

export const invalidInput: CreateIncidentInput = {
  ...validInput,
  // @ts-expect-error: not one of the enum values
  impact: 'Critical',
};

// @ts-expect-error: summary is required
export const missingInput: CreateIncidentInput = { description: 'd', customer: 'c', status: 'Logged', type: 'Request' };

export const incidentWithExtraFields: Incident = { IncidentNumber: 1, SomeTenantField: 'allowed' };
