/**
 * Schema validation of connections, inputs and outputs. Validators are compiled ahead
 * of time (generated standalone modules) or, for a plugin without generated code, once
 * per process on first use; never per request.
 */

export interface ValidationErrorLike {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

export type CompiledValidator = ((data: unknown) => boolean) & { errors?: ValidationErrorLike[] | null };

export interface StepValidatorModule {
  input: CompiledValidator;
  output: CompiledValidator;
  requiredInputs: readonly string[];
  /** Every input the step's schema names, in the spec's order. */
  inputNames: readonly string[];
}

export interface ConnectionValidatorModule {
  connection: CompiledValidator;
  /** Every setting the connection's schema names, in the spec's order. */
  connectionNames: readonly string[];
}

/** Where a plugin's validators come from: the generated index module has this shape. */
export interface ValidatorSource {
  connection(): Promise<ConnectionValidatorModule>;
  actions: Readonly<Record<string, () => Promise<StepValidatorModule>>>;
  triggers: Readonly<Record<string, () => Promise<StepValidatorModule>>>;
}

export type StepKind = 'action' | 'trigger';

/** Loads each validator module once and keeps it. */
export class ValidatorCache {
  private connectionModule?: Promise<ConnectionValidatorModule>;
  private readonly steps = new Map<string, Promise<StepValidatorModule>>();

  constructor(private readonly source: ValidatorSource) {}

  connection(): Promise<ConnectionValidatorModule> {
    this.connectionModule ??= this.source.connection();
    return this.connectionModule;
  }

  step(kind: StepKind, name: string): Promise<StepValidatorModule> {
    const key = `${kind}:${name}`;
    let found = this.steps.get(key);
    if (!found) {
      const table = kind === 'action' ? this.source.actions : this.source.triggers;
      const load = Object.hasOwn(table, name) ? table[name] : undefined;
      if (!load) return Promise.reject(new Error(`no validators for ${kind} '${name}'`));
      found = load();
      this.steps.set(key, found);
    }
    return found;
  }
}

/** `/summary` -> `summary`, `/items/0/name` -> `items[0].name`. */
export function fieldPath(instancePath: string, child?: string): string {
  const parts = instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) parts.push(child);
  let out = '';
  for (const part of parts) {
    if (/^\d+$/.test(part)) out += `[${part}]`;
    else out += out ? `.${part}` : part;
  }
  return out;
}

function typeOfValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function valueAt(root: unknown, instancePath: string): unknown {
  let node = root;
  for (const part of instancePath.split('/').slice(1)) {
    if (node === null || typeof node !== 'object') return undefined;
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    node = Object.hasOwn(node, key) ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node;
}

const ARTICLE: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

/** One readable sentence per problem, naming the field: "'status' must be one of ...". */
export function describeValidationError(error: ValidationErrorLike, root: unknown): string {
  const field = fieldPath(error.instancePath);
  const subject = field ? `'${field}'` : 'the value';
  const params = error.params;
  switch (error.keyword) {
    case 'required':
      return `'${fieldPath(error.instancePath, String(params.missingProperty))}' is required but missing`;
    case 'type': {
      const wanted = String(params.type)
        .split(',')
        .map((t) => ARTICLE[t] ?? t)
        .join(' or ');
      return `${subject} must be ${wanted}, not ${typeOfValue(valueAt(root, error.instancePath))}`;
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[] | undefined) ?? [];
      const shown = JSON.stringify(valueAt(root, error.instancePath));
      const actual = shown === undefined ? '' : ` (got ${shown.length > 60 ? shown.slice(0, 57) + '...' : shown})`;
      return `${subject} must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}${actual}`;
    }
    case 'pattern': {
      const shown = JSON.stringify(valueAt(root, error.instancePath)) ?? '';
      return `${subject} does not have the form its description gives: it must match ${String(params.pattern)} (got ${shown.length > 60 ? shown.slice(0, 57) + '...' : shown})`;
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `${subject} must be ${params.comparison} ${params.limit}`;
    default:
      return `${subject} ${error.message ?? 'is not valid'}`;
  }
}

const MAX_LISTED = 5;

/** All problems of one validation in one line, at most a few of them. */
export function describeValidationErrors(errors: readonly ValidationErrorLike[] | null | undefined, root: unknown): string {
  const list = errors ?? [];
  const sentences = [...new Set(list.map((e) => describeValidationError(e, root)))];
  const shown = sentences.slice(0, MAX_LISTED).join('; ');
  return sentences.length > MAX_LISTED ? `${shown}; and ${sentences.length - MAX_LISTED} more` : shown || 'it does not match the schema';
}

/**
 * Orchestrators send null or "" for an optional field left blank: that means "not given",
 * so the field is removed (and its spec default, if any, then applies) rather than failing
 * its type or enum. Returns the names removed.
 */
export function dropBlankOptional(input: Record<string, unknown>, required: readonly string[]): string[] {
  const dropped: string[] = [];
  for (const name of Object.keys(input)) {
    const value = input[name];
    if ((value === null || value === '') && !required.includes(name)) {
      delete input[name];
      dropped.push(name);
    }
  }
  return dropped;
}

/** Required inputs may not be null or "" (the orchestrator sends both for "not set"). */
export function findEmptyRequired(input: Record<string, unknown>, required: readonly string[]): string | undefined {
  for (const name of required) {
    if (!Object.hasOwn(input, name)) continue;
    const value = input[name];
    if (value === null || value === '') return name;
  }
  return undefined;
}
