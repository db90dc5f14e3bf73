/**
 * Loads plugin.spec.yaml and checks it strictly. Every problem is reported with the path
 * of the offending node (`actions.create_incident.input.status.default: ...`) so a
 * spec author can fix the file without guessing; all problems are reported at once.
 */
import { readFileSync } from 'node:fs';
import { load as parseYaml, CORE_SCHEMA } from 'js-yaml';
import {
  BUILTIN_TYPES,
  type BuiltinType,
  type PluginSpec,
  type SpecCustomType,
  type SpecParam,
  type SpecStep,
  type TypeRef,
} from './model.js';
import { Checker, describe, isMapping } from './checker.js';
import { loadLinks, loadSections, loadTroubleshooting, loadVersionHistory } from './load-sections.js';

export class SpecError extends Error {
  readonly problems: string[];
  constructor(source: string, problems: string[]) {
    super(`${source}: the plugin spec has ${problems.length} problem(s):\n` + problems.map((p) => `  - ${p}`).join('\n'));
    this.name = 'SpecError';
    this.problems = problems;
  }
}

const TOP_LEVEL_KEYS = [
  'plugin_spec_version',
  'extension',
  'products',
  'name',
  'title',
  'description',
  'version',
  'vendor',
  'support',
  'status',
  'sdk',
  'supported_versions',
  'resources',
  'tags',
  'hub_tags',
  'connection_version',
  'key_features',
  'requirements',
  'setup',
  'troubleshooting',
  'workflows',
  'version_history',
  'links',
  'references',
  'types',
  'connection',
  'actions',
  'triggers',
] as const;

const INPUT_PARAM_KEYS = ['title', 'description', 'type', 'required', 'default', 'enum', 'example', 'order', 'minimum', 'maximum', 'pattern', 'placeholder', 'tooltip'];
const OUTPUT_PARAM_KEYS = ['title', 'description', 'type', 'required', 'example', 'order'];
const STEP_KEYS = ['title', 'description', 'input', 'output'];
const STEP_NAME = /^[a-z][a-z0-9_]*$/;
const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FIELD_NAME = /^[A-Za-z_@][A-Za-z0-9_.@-]*$/;

export function parseTypeRef(type: string, customTypes: ReadonlySet<string>): TypeRef | string {
  if (type.startsWith('[]')) {
    const inner = parseTypeRef(type.slice(2), customTypes);
    return typeof inner === 'string' ? inner : { kind: 'array', items: inner };
  }
  if ((BUILTIN_TYPES as readonly string[]).includes(type)) return { kind: 'builtin', name: type as BuiltinType };
  if (customTypes.has(type)) return { kind: 'custom', name: type };
  // A lower-case name may be a custom type that was never defined, or a misspelt
  // built-in (`int`, `strng`): the message has to cover both.
  const custom = /^[a-z][a-z0-9_]*$/.test(type) ? `, and no custom type '${type}' is defined under 'types'` : '';
  return `unknown type '${type}': not a built-in type${custom} (built-in types: ${BUILTIN_TYPES.join(', ')}; arrays are written []T)`;
}

/**
 * Checks that a value fits a spec type. Returns the first problem, or undefined.
 * Custom types are checked field by field; fields the type does not list are allowed,
 * because ISM returns more fields than any spec lists.
 */
export function checkValue(
  value: unknown,
  ref: TypeRef,
  types: ReadonlyMap<string, SpecCustomType>,
  where = '',
): string | undefined {
  const at = where ? ` at ${where}` : '';
  switch (ref.kind) {
    case 'array': {
      if (!Array.isArray(value)) return `expected a list${at}, got ${describe(value)}`;
      for (let i = 0; i < value.length; i++) {
        const p = checkValue(value[i], ref.items, types, `${where}[${i}]`);
        if (p) return p;
      }
      return undefined;
    }
    case 'custom': {
      if (!isMapping(value)) return `expected a ${ref.name} object${at}, got ${describe(value)}`;
      const type = types.get(ref.name);
      if (!type) return `type '${ref.name}' is not defined`;
      for (const field of type.fields) {
        const fieldValue = value[field.name];
        if (fieldValue === undefined) {
          if (field.required) return `missing required field '${field.name}'${at}`;
          continue;
        }
        const p = checkValue(fieldValue, field.typeRef, types, where ? `${where}.${field.name}` : field.name);
        if (p) return p;
      }
      return undefined;
    }
    case 'builtin':
      return checkBuiltin(value, ref.name, at);
  }
}

function checkBuiltin(value: unknown, type: BuiltinType, at: string): string | undefined {
  const bad = (what: string) => `expected ${what}${at}, got ${describe(value)}`;
  switch (type) {
    case 'string':
      return typeof value === 'string' ? undefined : bad('a string');
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) ? undefined : bad('an integer');
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : bad('a number');
    case 'boolean':
      return typeof value === 'boolean' ? undefined : bad('a boolean');
    case 'object':
      return isMapping(value) ? undefined : bad('a mapping');
    case 'date':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? undefined : bad('a date-time string');
    case 'bytes':
      return typeof value === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(value) ? undefined : bad('a base64 string');
    case 'credential_secret_key':
      // The example of a secret is the key itself; at run time it arrives as {secretKey}.
      if (typeof value === 'string') return undefined;
      return isMapping(value) && typeof value.secretKey === 'string' ? undefined : bad('a secret key string or {secretKey}');
    case 'file':
      return isMapping(value) && typeof value.filename === 'string' && typeof value.content === 'string'
        ? undefined
        : bad('a {filename, content} object');
  }
}

function loadParams(
  c: Checker,
  path: string,
  raw: unknown,
  allowedKeys: string[],
  customTypes: ReadonlySet<string>,
  opts: { nameRule: RegExp; required: boolean },
): SpecParam[] {
  const node = c.mapping(path, raw, { required: opts.required });
  if (!node) return [];
  const params: SpecParam[] = [];
  let position = 0;
  for (const [name, rawParam] of Object.entries(node)) {
    position++;
    const p = `${path}.${name}`;
    if (!opts.nameRule.test(name)) c.problem(p, `'${name}' is not a valid name (use ${opts.nameRule.source})`);
    const param = c.mapping(p, rawParam, { required: true });
    if (!param) continue;
    c.unknownKeys(p, param, allowedKeys);
    const title = c.string(`${p}.title`, param.title, { required: true });
    const description = c.string(`${p}.description`, param.description, { required: true });
    const type = c.string(`${p}.type`, param.type, { required: true });
    let typeRef: TypeRef = { kind: 'builtin', name: 'string' };
    let typeOk = false;
    if (type) {
      const parsed = parseTypeRef(type, customTypes);
      if (typeof parsed === 'string') c.problem(`${p}.type`, parsed);
      else {
        typeRef = parsed;
        typeOk = true;
      }
    }
    let required = false;
    if (param.required !== undefined) {
      if (typeof param.required !== 'boolean') c.problem(`${p}.required`, `must be true or false, not ${describe(param.required)}`);
      else required = param.required;
    }
    let order = position;
    if (param.order !== undefined) {
      if (typeof param.order !== 'number' || !Number.isInteger(param.order) || param.order < 1) {
        c.problem(`${p}.order`, `must be a positive integer, not ${describe(param.order)}`);
      } else order = param.order;
    }
    const out: SpecParam = { name, title, description, type, typeRef, required, order };
    if (param.enum !== undefined) {
      if (!Array.isArray(param.enum) || param.enum.length === 0) c.problem(`${p}.enum`, 'must be a non-empty list');
      else out.enum = param.enum;
    }
    for (const bound of ['minimum', 'maximum'] as const) {
      const v = param[bound];
      if (v === undefined) continue;
      if (typeof v !== 'number' || !Number.isFinite(v)) c.problem(`${p}.${bound}`, `must be a number, not ${describe(v)}`);
      else if (typeOk && !(typeRef.kind === 'builtin' && (typeRef.name === 'integer' || typeRef.name === 'number'))) {
        c.problem(`${p}.${bound}`, `only integer and number parameters can have a ${bound}`);
      } else out[bound] = v;
    }
    for (const hint of ['placeholder', 'tooltip'] as const) {
      if (param[hint] !== undefined) out[hint] = c.string(`${p}.${hint}`, param[hint], { required: true });
    }
    if (param.pattern !== undefined) {
      if (typeof param.pattern !== 'string') c.problem(`${p}.pattern`, `must be a regular expression as a string, not ${describe(param.pattern)}`);
      else if (typeOk && !(typeRef.kind === 'builtin' && typeRef.name === 'string')) c.problem(`${p}.pattern`, 'only string parameters can have a pattern');
      else {
        try {
          new RegExp(param.pattern, 'u');
          out.pattern = param.pattern;
        } catch (err) {
          c.problem(`${p}.pattern`, `is not a valid regular expression: ${(err as Error).message}`);
        }
      }
    }
    if ('default' in param) out.default = param.default;
    if ('example' in param) out.example = param.example;
    if (!typeOk) c.untyped.add(out);
    params.push(out);
  }
  return params;
}

/** Value checks that need every custom type to be known first. */
function checkParamValues(c: Checker, path: string, params: SpecParam[], types: ReadonlyMap<string, SpecCustomType>): void {
  for (const param of params) {
    const p = `${path}.${param.name}`;
    // The type is already reported; checking values against a stand-in would only add noise.
    if (c.untyped.has(param)) continue;
    if (param.enum) {
      param.enum.forEach((value, i) => {
        const problem = checkValue(value, param.typeRef, types);
        if (problem) c.problem(`${p}.enum[${i}]`, `${problem}; enum values must have the parameter's type (${param.type})`);
      });
    }
    for (const key of ['default', 'example'] as const) {
      if (!(key in param)) continue;
      const value = param[key];
      const problem = checkValue(value, param.typeRef, types);
      if (problem) {
        c.problem(`${p}.${key}`, `${problem}; the ${key} must have the parameter's type (${param.type})`);
        continue;
      }
      if (param.enum && !param.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
        c.problem(`${p}.${key}`, `${JSON.stringify(value)} is not one of the enum values ${JSON.stringify(param.enum)}; make the ${key} and the enum agree`);
      }
      if (typeof value === 'number') {
        if (param.minimum !== undefined && value < param.minimum) c.problem(`${p}.${key}`, `${value} is below the minimum ${param.minimum}`);
        if (param.maximum !== undefined && value > param.maximum) c.problem(`${p}.${key}`, `${value} is above the maximum ${param.maximum}`);
      }
      if (typeof value === 'string' && param.pattern !== undefined && !new RegExp(param.pattern, 'u').test(value)) {
        c.problem(`${p}.${key}`, `${JSON.stringify(value)} does not match the pattern ${param.pattern}`);
      }
    }
  }
}

function loadSteps(
  c: Checker,
  kind: 'action' | 'trigger',
  path: string,
  raw: unknown,
  customTypes: ReadonlySet<string>,
): SpecStep[] {
  const node = c.mapping(path, raw);
  if (!node) return [];
  const steps: SpecStep[] = [];
  for (const [name, rawStep] of Object.entries(node)) {
    const p = `${path}.${name}`;
    if (!STEP_NAME.test(name)) c.problem(p, `'${name}' is not a valid ${kind} name (lower case letters, digits and _)`);
    const step = c.mapping(p, rawStep, { required: true });
    if (!step) continue;
    c.unknownKeys(p, step, STEP_KEYS);
    const title = c.string(`${p}.title`, step.title, { required: true });
    const description = c.string(`${p}.description`, step.description, { required: true });
    // `input:` or `output:` with nothing after it is YAML null: as missing as leaving it out.
    const noInput = step.input === undefined || step.input === null;
    const noOutput = step.output === undefined || step.output === null || (isMapping(step.output) && Object.keys(step.output).length === 0);
    if (noInput) c.problem(`${p}.input`, `is missing; every ${kind} declares its input (write 'input: {}' for none)`);
    if (noOutput) c.problem(`${p}.output`, `is missing; every ${kind} declares at least one output`);
    const input = noInput ? [] : loadParams(c, `${p}.input`, step.input, INPUT_PARAM_KEYS, customTypes, { nameRule: PARAM_NAME, required: false });
    const output = noOutput ? [] : loadParams(c, `${p}.output`, step.output, OUTPUT_PARAM_KEYS, customTypes, { nameRule: PARAM_NAME, required: false });
    steps.push({ kind, name, title, description, input, output });
  }
  return steps;
}

/** The spec document as written, without checks (YAML 1.2 core schema). */
export function parseSpecDocument(text: string, source = 'plugin.spec.yaml'): unknown {
  try {
    return parseYaml(text, { schema: CORE_SCHEMA, filename: source });
  } catch (err) {
    throw new SpecError(source, [`not valid YAML: ${(err as Error).message}`]);
  }
}

/** Parses and checks spec text. `source` names the file in error messages. */
export function parseSpec(text: string, source = 'plugin.spec.yaml'): PluginSpec {
  return checkSpecDocument(parseSpecDocument(text, source), source);
}

export function checkSpecDocument(doc: unknown, source = 'plugin.spec.yaml'): PluginSpec {
  const c = new Checker();
  if (!isMapping(doc)) throw new SpecError(source, [`the document must be a mapping, not ${describe(doc)}`]);
  c.unknownKeys('', doc, TOP_LEVEL_KEYS);

  const specVersion = c.string('plugin_spec_version', doc.plugin_spec_version, { required: true });
  if (specVersion && specVersion !== 'v2') c.problem('plugin_spec_version', `must be 'v2', not '${specVersion}'`);
  const name = c.string('name', doc.name, { required: true });
  if (name && !STEP_NAME.test(name)) c.problem('name', `'${name}' is not a valid plugin name (lower case letters, digits and _)`);
  const version = c.string('version', doc.version, { required: true });
  if (version && !/^\d+\.\d+\.\d+$/.test(version)) c.problem('version', `'${version}' is not a semantic version (MAJOR.MINOR.PATCH)`);

  const sdk = c.mapping('sdk', doc.sdk);
  if (sdk) c.unknownKeys('sdk', sdk, ['type', 'version', 'user']);
  const resources = c.mapping('resources', doc.resources) ?? {};
  const resourceMap: Record<string, string> = {};
  for (const [k, v] of Object.entries(resources)) resourceMap[k] = c.string(`resources.${k}`, v, { required: true });
  const hubTags = c.mapping('hub_tags', doc.hub_tags) ?? {};
  c.unknownKeys('hub_tags', hubTags, ['use_cases', 'keywords', 'features']);
  const setup = c.mapping('setup', doc.setup) ?? {};
  let connectionVersion: number | undefined;
  if (doc.connection_version !== undefined) {
    if (typeof doc.connection_version === 'number' && Number.isInteger(doc.connection_version) && doc.connection_version >= 1) connectionVersion = doc.connection_version;
    else c.problem('connection_version', `must be a positive integer, not ${describe(doc.connection_version)}`);
  }
  c.unknownKeys('setup', setup, ['intro', 'steps', 'notes']);

  // Custom types: names first, so fields and params can refer to any of them.
  const rawTypes = c.mapping('types', doc.types) ?? {};
  const typeNames = new Set<string>();
  for (const typeName of Object.keys(rawTypes)) {
    if (!/^[a-z][a-z0-9_]*$/.test(typeName)) c.problem(`types.${typeName}`, `'${typeName}' is not a valid type name (lower case letters, digits and _)`);
    else if ((BUILTIN_TYPES as readonly string[]).includes(typeName)) c.problem(`types.${typeName}`, `'${typeName}' is a built-in type and cannot be redefined`);
    else typeNames.add(typeName);
  }
  const types: SpecCustomType[] = [];
  for (const [typeName, rawFields] of Object.entries(rawTypes)) {
    if (!typeNames.has(typeName)) continue;
    const fields = loadParams(c, `types.${typeName}`, rawFields, OUTPUT_PARAM_KEYS, typeNames, { nameRule: FIELD_NAME, required: true });
    if (fields.length === 0 && isMapping(rawFields)) c.problem(`types.${typeName}`, 'a custom type needs at least one field');
    types.push({ name: typeName, fields });
  }
  const typeMap = new Map(types.map((t) => [t.name, t]));

  const connection = loadParams(c, 'connection', doc.connection, INPUT_PARAM_KEYS, typeNames, { nameRule: PARAM_NAME, required: false });
  const actions = loadSteps(c, 'action', 'actions', doc.actions, typeNames);
  const triggers = loadSteps(c, 'trigger', 'triggers', doc.triggers, typeNames);
  if (actions.length === 0 && triggers.length === 0) c.problem('actions', 'the plugin declares no actions and no triggers');

  for (const t of types) checkParamValues(c, `types.${t.name}`, t.fields, typeMap);
  checkParamValues(c, 'connection', connection, typeMap);
  for (const step of [...actions, ...triggers]) {
    const base = `${step.kind === 'action' ? 'actions' : 'triggers'}.${step.name}`;
    checkParamValues(c, `${base}.input`, step.input, typeMap);
    checkParamValues(c, `${base}.output`, step.output, typeMap);
  }

  const spec: PluginSpec = {
    pluginSpecVersion: specVersion,
    extension: c.string('extension', doc.extension) || 'plugin',
    products: c.stringList('products', doc.products),
    name,
    title: c.string('title', doc.title, { required: true }),
    description: c.string('description', doc.description, { required: true }),
    version,
    vendor: c.string('vendor', doc.vendor, { required: true }),
    support: c.string('support', doc.support) || c.string('vendor', doc.vendor),
    status: c.stringList('status', doc.status),
    sdkVersion: sdk ? c.string('sdk.version', sdk.version) : '',
    supportedVersions: c.stringList('supported_versions', doc.supported_versions),
    resources: resourceMap,
    tags: c.stringList('tags', doc.tags),
    hubTags: {
      useCases: c.stringList('hub_tags.use_cases', hubTags.use_cases),
      keywords: c.stringList('hub_tags.keywords', hubTags.keywords),
      features: c.stringList('hub_tags.features', hubTags.features),
    },
    ...(connectionVersion !== undefined ? { connectionVersion } : {}),
    keyFeatures: c.stringList('key_features', doc.key_features),
    requirements: c.stringList('requirements', doc.requirements),
    setup: {
      intro: c.string('setup.intro', setup.intro),
      steps: c.stringList('setup.steps', setup.steps),
      notes: c.string('setup.notes', setup.notes),
    },
    troubleshooting: loadTroubleshooting(c, 'troubleshooting', doc.troubleshooting),
    workflows: loadSections(c, 'workflows', doc.workflows),
    versionHistory: loadVersionHistory(c, 'version_history', doc.version_history),
    links: loadLinks(c, 'links', doc.links),
    references: loadLinks(c, 'references', doc.references),
    types,
    connection,
    actions,
    triggers,
  };
  if (c.problems.length > 0) throw new SpecError(source, c.problems);
  return spec;
}

export function loadSpecFile(path: string): PluginSpec {
  return parseSpec(readFileSync(path, 'utf8'), path);
}
