/**
 * Keeps the connection's secrets out of everything a step returns or logs.
 * Outputs: any string equal to or containing a secret becomes `********`.
 * Text (log lines, error messages, exception data): each occurrence is replaced.
 */

export const MASK = '********';

/** Keys under which a connection carries secrets (credential types). */
const SECRET_KEYS = new Set(['secretKey', 'password', 'secret', 'token', 'apiKey']);

export class SecretMask {
  /** Every form a secret may take in text: raw, URL-encoded, JSON-escaped. */
  private forms: string[] = [];

  constructor(secrets: Iterable<string>) {
    this.add(secrets);
  }

  /**
   * Masks more secrets from now on: a step may run on a cached connection made with
   * secrets its own message does not carry (a shared `connection_cache_key`).
   */
  add(secrets: Iterable<string>): void {
    const forms = new Set<string>(this.forms);
    for (const secret of secrets) {
      if (!secret) continue;
      forms.add(secret);
      forms.add(encodeURIComponent(secret));
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

  private contains(value: string): boolean {
    for (const form of this.forms) if (value.includes(form)) return true;
    return false;
  }

  /** A deep copy of a JSON value with every string that contains a secret replaced whole. */
  value<T>(input: T): T {
    if (this.forms.length === 0) return input;
    return this.walk(input, 0) as T;
  }

  private walk(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return this.contains(value) ? MASK : value;
    if (depth > 64 || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v) => this.walk(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      // Object keys are data too: a secret used as a key is masked like a value.
      // defineProperty keeps a key named __proto__ an ordinary key.
      Object.defineProperty(out, this.contains(k) ? MASK : k, { value: this.walk(v, depth + 1), enumerable: true, writable: true, configurable: true });
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
