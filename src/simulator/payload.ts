/**
 * Reading a write's payload as ISM does: an empty or non-object body, unknown field names and
 * values of the wrong type are refused with ISM's messages; values are coerced to the field's
 * type (`"42"` to 42 for an integer); fields ISM fills itself are dropped.
 */

import { badRequest, MESSAGES } from './errors.js';
import type { ValueType } from './odata-filter.js';
import type { ObjectSchema } from './schema.js';
import type { Scalar } from './types.js';

/** Whether ISM treats a value as not given: null, missing, or only spaces. */
export function isBlank(value: Scalar | undefined): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

/** A value as text, or null when it is blank. */
export function text(value: Scalar | undefined): string | null {
  return isBlank(value) ? null : String(value);
}

const INVALID = Symbol('invalid');

function coerce(value: unknown, type: ValueType): Scalar | typeof INVALID {
  if (value === null) return type === 'boolean' ? false : null;
  switch (type) {
    case 'string':
    case 'datetime':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      return INVALID;
    case 'integer':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
      return INVALID;
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
      return INVALID;
  }
}

const EXPECTED: Readonly<Record<ValueType, string>> = {
  string: 'a string',
  datetime: 'a date and time',
  integer: 'an integer',
  boolean: 'true or false',
};

/** Which payload fields a write keeps. */
export interface PayloadRules {
  /** Fields ISM fills itself: values sent for them are dropped. */
  ignored: ReadonlySet<string>;
  /** Of those, the system fields a trusted (seed) write may set: RecId, timestamps, numbers. */
  system: ReadonlySet<string>;
}

/** The body's fields, checked and coerced; throws IsmError with ISM's 400 for a bad payload. */
export function readPayload(body: unknown, schema: ObjectSchema, rules: PayloadRules, trusted: boolean): Map<string, Scalar> {
  if (body === undefined || body === null || (typeof body === 'string' && body.trim() === '')) throw badRequest(MESSAGES.emptyBody);
  if (typeof body !== 'object' || Array.isArray(body)) throw badRequest(MESSAGES.invalidJson);
  const entries = Object.entries(body as Record<string, unknown>).filter(([k]) => !k.startsWith('@odata.'));
  if (entries.length === 0) throw badRequest(MESSAGES.emptyBody);
  const messages: string[] = [];
  const input = new Map<string, Scalar>();
  for (const [key, raw] of entries) {
    if (!schema.has(key)) {
      messages.push(MESSAGES.unknownField(key, schema.typeName));
      continue;
    }
    const type = schema.typeOf(key);
    const value = coerce(raw, type);
    if (value === INVALID) {
      messages.push(MESSAGES.invalidValue(`${schema.typeName}.${key}`, EXPECTED[type]));
      continue;
    }
    if (rules.ignored.has(key) && !(trusted && rules.system.has(key))) continue;
    input.set(key, value);
  }
  if (messages.length > 0) throw badRequest(...messages);
  return input;
}

/** A record with every field of the schema at its empty value (false, 0 or null). */
export function blankRecord(schema: ObjectSchema): Record<string, Scalar> {
  const record: Record<string, Scalar> = {};
  for (const field of schema.fields) {
    const type = schema.typeOf(field);
    record[field] = type === 'boolean' ? false : type === 'integer' ? 0 : null;
  }
  return record;
}
