/** Walking the raw spec document: type checks that collect every problem with the path of its node. */
import type { SpecParam } from './model.js';

export type Raw = Record<string, unknown>;

export function isMapping(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

/** Collects problems while walking the raw document. */
export class Checker {
  readonly problems: string[] = [];
  /** Params whose type did not parse: their values cannot be checked against it. */
  readonly untyped = new WeakSet<SpecParam>();

  problem(path: string, message: string): void {
    this.problems.push(`${path}: ${message}`);
  }

  unknownKeys(path: string, node: Raw, allowed: readonly string[]): void {
    for (const key of Object.keys(node)) {
      if (!allowed.includes(key)) {
        this.problem(path ? `${path}.${key}` : key, `unknown key '${key}' (allowed: ${allowed.join(', ')})`);
      }
    }
  }

  string(path: string, v: unknown, opts: { required?: boolean } = {}): string {
    if (v === undefined || v === null) {
      if (opts.required) this.problem(path, 'is missing; add a non-empty string');
      return '';
    }
    if (typeof v !== 'string') {
      this.problem(path, `must be a string, not ${describe(v)}`);
      return '';
    }
    if (opts.required && v.trim() === '') this.problem(path, 'must not be empty');
    return v;
  }

  stringList(path: string, v: unknown): string[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      this.problem(path, `must be a list of strings, not ${describe(v)}`);
      return [];
    }
    return v.map((item, i) => this.string(`${path}[${i}]`, item, { required: true }));
  }

  mapping(path: string, v: unknown, opts: { required?: boolean } = {}): Raw | undefined {
    if (v === undefined || v === null) {
      if (opts.required) this.problem(path, 'is missing; add a mapping');
      return undefined;
    }
    if (!isMapping(v)) {
      this.problem(path, `must be a mapping, not ${describe(v)}`);
      return undefined;
    }
    return v;
  }
}

