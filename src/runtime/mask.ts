/**
 * Keeps the connection's secrets out of everything a step returns or logs.
 * Outputs: any string equal to or containing a secret becomes `********`.
 * Text (log lines, error messages, exception data): each occurrence is replaced.
 */

import type { ExceptionBody } from './errors.js';

export const MASK = '********';

/** Nesting below which a subtree is masked as a whole rather than walked. */
const MAX_DEPTH = 64;

/** Keys under which a connection carries secrets (credential types). */
export const SECRET_KEYS: ReadonlySet<string> = new Set(['secretKey', 'password', 'secret', 'token', 'apiKey']);

export class SecretMask {
  /** Every form a secret may take in text: raw, URL-encoded, JSON-escaped. */
  private forms: string[] = [];

  constructor(secrets: Iterable<string>) {
    this.add(secrets);
  }

  /** Masks more secrets from now on (those of a message read after the mask was made). */
  add(secrets: Iterable<string>): void {
    const forms = new Set<string>(this.forms);
    for (const secret of secrets) {
      if (!secret) continue;
      forms.add(secret);
      // A secret that is not well-formed text is refused by the pipeline, but the mask is made
      // before that check; encoded, it would read as U+FFFD (and encodeURIComponent throws on it).
      forms.add(encodeURIComponent(secret.toWellFormed()));
      forms.add(JSON.stringify(secret).slice(1, -1));
    }
    // Longest first, so a secret that contains another is replaced whole.
    this.forms = [...forms].sort((a, b) => b.length - a.length);
  }

  get empty(): boolean {
    return this.forms.length === 0;
  }

  /** Replaces every occurrence of a secret inside a text. */
  text(value: string): string {
    let out = value;
    for (const form of this.forms) if (out.includes(form)) out = out.split(form).join(MASK);
    return out;
  }

  /** An error's cause, assistance and data with every secret replaced. */
  exception(e: ExceptionBody): ExceptionBody {
    return { cause: this.text(e.cause), assistance: this.text(e.assistance), data: this.text(e.data) };
  }

  private contains(value: string): boolean {
    for (const form of this.forms) if (value.includes(form)) return true;
    return false;
  }

  /**
   * The JSON value with every string (or key) that contains a secret replaced whole.
   * The value is returned as it is when nothing in it needs masking (the usual case), so
   * a large output costs one read-only pass; otherwise a masked copy is made.
   */
  value<T>(input: T): T {
    if (this.forms.length === 0 || !this.needsMask(input, 0)) return input;
    return this.walk(input, 0) as T;
  }

  private needsMask(value: unknown, depth: number): boolean {
    if (typeof value === 'string') return this.contains(value);
    if (value === null || typeof value !== 'object') return false;
    if (depth > MAX_DEPTH) return this.deepText(value) !== undefined;
    if (Array.isArray(value)) {
      for (const item of value) if (this.needsMask(item, depth + 1)) return true;
      return false;
    }
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      if (this.contains(key) || this.needsMask((value as Record<string, unknown>)[key], depth + 1)) return true;
    }
    return false;
  }

  /** Below MAX_DEPTH a subtree is judged by its JSON text; undefined when it holds no secret. */
  private deepText(value: unknown): string | undefined {
    let text: string;
    try {
      text = JSON.stringify(value) ?? '';
    } catch {
      return MASK;
    }
    return this.contains(text) ? text : undefined;
  }

  private walk(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return this.contains(value) ? MASK : value;
    if (value === null || typeof value !== 'object') return value;
    // Deeper than any real output: a subtree holding a secret is replaced whole.
    if (depth > MAX_DEPTH) return this.deepText(value) === undefined ? value : MASK;
    if (Array.isArray(value)) return value.map((v) => this.walk(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      // Object keys are data too: a secret used as a key is masked like a value.
      const name = this.contains(key) ? MASK : key;
      const masked = this.walk((value as Record<string, unknown>)[key], depth + 1);
      // defineProperty keeps a key named __proto__ an ordinary key.
      if (name === '__proto__') Object.defineProperty(out, name, { value: masked, enumerable: true, writable: true, configurable: true });
      else out[name] = masked;
    }
    return out;
  }
}

/** Collects the secret strings of a connection (credential objects anywhere inside it). */
export function connectionSecrets(connection: unknown): string[] {
  const found: string[] = [];
  const visit = (value: unknown, depth: number) => {
    if (depth > 16 || value === null || typeof value !== 'object') return;
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'string' && SECRET_KEYS.has(k)) found.push(v);
      else visit(v, depth + 1);
    }
  };
  visit(connection, 0);
  return found;
}
