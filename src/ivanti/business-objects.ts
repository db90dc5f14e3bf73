/**
 * What the generic record actions accept from users before anything reaches a URL or a filter:
 * business object names (`Problem`, `Change#`, `CI#Computer`, `frs_custom_object`) turned into
 * their collection by ISM's rule, field names, RecIds and field values, each checked against a
 * strict form, with an error that names the input.
 */
import { ClientError, Presets } from '../runtime/errors.js';
import { isRecId, type ODataLiteral } from './odata.js';

/**
 * A business object name: a letter, then letters, digits and `_`, optionally one `#` followed by
 * a subtype name (or by nothing). The spec's description of `object` states this form in words
 * (Rapid7's validators allow no `pattern` in a spec), so this check is what enforces it.
 */
export const OBJECT_NAME_PATTERN = '^[A-Za-z][A-Za-z0-9_]{0,99}(#([A-Za-z][A-Za-z0-9_]{0,99})?)?$';
const OBJECT_NAME = new RegExp(OBJECT_NAME_PATTERN);

/** A field name as ISM spells them: letters, digits and `_`, not starting with a digit. */
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** A relationship name as the metadata gives it (`IncidentAssociatesCI`). */
export const RELATIONSHIP_PATTERN = '^[A-Za-z_][A-Za-z0-9_]{0,127}$';
const RELATIONSHIP = new RegExp(RELATIONSHIP_PATTERN);

/** A value as an error message shows it: JSON, cut short. */
export function shownValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function invalid(cause: string): ClientError {
  return new ClientError(Presets.INVALID_INPUT, cause);
}

/** A checked business object: its name as given, and its collection. */
export interface BusinessObjectRef {
  /** As the user gave it (`CI#Computer`). */
  name: string;
  /** `CI__Computers` */
  collection: string;
}

/**
 * ISM's rule: `#` becomes `__`, a trailing `#` is dropped, and a literal `s` is appended, never an
 * English plural (`Change#` → `Changes`, `CI#Computer` → `CI__Computers`, `Journal#Notes` →
 * `Journal__Notess`). Throws a ClientError naming `object` for anything else.
 */
export function businessObject(name: string, input = 'object'): BusinessObjectRef {
  // Not trimmed: a name with spaces around it is off its form, as the description says.
  if (!OBJECT_NAME.test(name)) {
    throw invalid(
      `'${input}' must be a business object name as ISM shows it, such as Problem, Change#, CI#Computer or frs_custom_object: ` +
        `a letter, then letters, digits or _, with at most one # (got ${shownValue(name)}).`,
    );
  }
  return { name, collection: `${name.replace(/#$/, '').replace('#', '__')}s` };
}

/** A field name checked against ISM's form; throws a ClientError naming the input it came from. */
export function fieldName(name: string, input: string): string {
  if (!FIELD_NAME.test(name)) {
    throw invalid(`'${input}' names a field ISM cannot have: ${shownValue(name)}. Field names are letters, digits and _, as ISM spells them (for example Status or ProfileLink_RecID).`);
  }
  return name;
}

export function relationshipName(name: string, input = 'relationship'): string {
  if (!RELATIONSHIP.test(name)) {
    throw invalid(`'${input}' must be a relationship name as ISM's metadata gives it, such as IncidentAssociatesCI (letters, digits and _; got ${shownValue(name)}).`);
  }
  return name;
}

/** A RecId: 32 hexadecimal characters, sent in upper case. */
export function recordId(value: string, input: string): string {
  const trimmed = value.trim();
  if (!isRecId(trimmed)) throw invalid(`'${input}' must be an ISM record ID, 32 hexadecimal characters such as 085867F47547496783005D95CB82D557 (got ${shownValue(value)}).`);
  return trimmed.toUpperCase();
}

/**
 * A field value as an OData literal: a string (quoted), a number, true or false, or null (ISM's
 * `$NULL`). Lists, objects and the text `$NULL` (which ISM would read as null) are refused.
 */
export function filterValue(value: unknown, where: string): ODataLiteral {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalid(`${where} must be a finite number (got ${shownValue(value)}).`);
    return value;
  }
  if (typeof value === 'string') {
    if (value.trim().toUpperCase() === '$NULL') throw invalid(`${where} is the text '$NULL', which ISM reads as "no value": give null to match an empty field.`);
    return value;
  }
  throw invalid(`${where} must be text, a number, true, false or null (got ${shownValue(value)}).`);
}

/** A prompt's or parameter's value as the text ISM takes: text, a number, true or false; `where` names it in the error. */
export function textValue(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return String(value);
  throw invalid(`'${where}' must be text, a number, true or false (got ${shownValue(value)}).`);
}

/** The fields of a create or update: at least one, each name checked, each value a scalar. */
export function fieldValues(fields: Record<string, unknown> | undefined, input = 'fields'): Record<string, string | number | boolean | null> {
  const entries = Object.entries(fields ?? {});
  if (entries.length === 0) throw invalid(`'${input}' must name at least one field, such as {"Subject": "..."}.`);
  const out: Record<string, string | number | boolean | null> = {};
  for (const [name, value] of entries) {
    fieldName(name, input);
    if (value !== null && typeof value !== 'string' && typeof value !== 'boolean' && !(typeof value === 'number' && Number.isFinite(value))) {
      throw invalid(`'${input}.${name}' must be text, a number, true, false or null (got ${shownValue(value)}).`);
    }
    // defineProperty keeps a field named __proto__ an ordinary key of the body.
    Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
