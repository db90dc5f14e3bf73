/** Small rules the actions share about optional inputs and ISM answers. */
import { PluginError, Presets } from '../../runtime/errors.js';
import type { IsmRecord } from '../client.js';

/**
 * An optional input the user actually gave: orchestrators send "" (or only spaces)
 * for a field left blank, which means "not set", never "set to empty".
 */
export function given(value: string | undefined | null): string | undefined {
  if (value === undefined || value === null) return undefined;
  return value.trim() === '' ? undefined : value;
}

/** The record in an ISM answer (an entity, or a one-row collection some versions send). */
export function requireRecord(body: unknown, what: string): IsmRecord {
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const value = (body as { value?: unknown }).value;
    if (Array.isArray(value) && value.length === 1 && typeof value[0] === 'object' && value[0] !== null) return value[0] as IsmRecord;
    if (value === undefined) return body as IsmRecord;
  }
  throw new PluginError(Presets.INVALID_JSON, {
    cause: `ISM did not return ${what}${body === undefined ? ' (the answer had no body)' : ''}.`,
    assistance: 'Check in ISM whether the change was made before running the step again.',
  });
}
