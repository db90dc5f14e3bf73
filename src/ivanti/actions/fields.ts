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

/**
 * Promise.all for lookups run side by side, except that it waits for all of them before
 * failing: a step never answers while one of its requests is still on its way to ISM.
 * The first failure in argument order is the one thrown.
 */
export async function allLookups<const T extends readonly unknown[]>(lookups: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(lookups);
  for (const result of settled) if (result.status === 'rejected') throw result.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<T[K]> };
}
