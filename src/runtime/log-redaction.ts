/**
 * What the process log never shows: the value of any key that names a credential, at any depth
 * of a logged object, is replaced by the mask. The names are the connection's credential keys
 * (mask.ts: secretKey, password, secret, token, apiKey), `credentials`, `authorization` and
 * `x-api-key`, matched in any letter case and with or without `-` or `_` (`api_key`, `X-API-Key`).
 *
 * The walk is pino's `formatters.log` hook, once per line, and copies only the objects on the
 * way to a secret: a line without one (every step-log line) is logged as it was given, in well
 * under a microsecond. pino's own `redact` option takes about 11 µs per line with the paths
 * this needs, since every path is parsed again on every line and a path that starts with a
 * wildcard is tried on every value (docs/pino-redaction-cost.md).
 *
 * Walked: plain objects, arrays and errors (their own enumerable fields). Anything else, such as
 * a request object, goes to its pino serializer as it is. Plain data nested deeper than
 * MAX_DEPTH is cut rather than logged unread.
 */
import { MASK, SECRET_KEYS as CREDENTIAL_KEYS } from './mask.js';

/** Key names in the form `normalized` gives them. */
const SECRET_KEYS = new Set([...CREDENTIAL_KEYS, 'credentials', 'authorization', 'xApiKey'].map(normalized));

function normalized(key: string): string {
  const lower = key.toLowerCase();
  return lower.includes('-') || lower.includes('_') ? lower.replace(/[-_]/g, '') : lower;
}

export const MAX_DEPTH = 8;
export const TOO_DEEP = '[nested too deep to log]';

function walked(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null || Array.isArray(value) || value instanceof Error;
}

/**
 * A copy with the same prototype and fields (an error keeps its message and stack), each one
 * writable. An accessor is copied as the value it gives on the original: Node 24's error
 * `stack` is an accessor that answers only for the error it belongs to.
 */
function copyOf(value: object): Record<string, unknown> {
  if (Array.isArray(value)) return [...value] as unknown as Record<string, unknown>;
  const copy = Object.create(Object.getPrototypeOf(value) as object | null) as Record<string, unknown>;
  for (const [key, field] of Object.entries(Object.getOwnPropertyDescriptors(value))) {
    const shown = 'value' in field ? field.value : (value as Record<string, unknown>)[key];
    Object.defineProperty(copy, key, { value: shown, enumerable: field.enumerable, writable: true, configurable: true });
  }
  return copy;
}

function redact(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object' || !walked(value)) return value;
  if (depth > MAX_DEPTH) return TOO_DEEP;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const field = (value as Record<string, unknown>)[key];
    const shown = SECRET_KEYS.has(normalized(key)) ? MASK : redact(field, depth + 1);
    if (shown === field) continue;
    // The caller's object is never changed.
    copy ??= copyOf(value);
    Object.defineProperty(copy, key, { value: shown, writable: true, enumerable: true, configurable: true });
  }
  return copy ?? value;
}

/** The object with every secret masked: itself when it holds none. */
export function redactSecrets<T extends object>(value: T): T {
  return redact(value, 0) as T;
}
