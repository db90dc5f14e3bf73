/**
 * Bounds of numeric inputs and connection settings. The spec states them in the descriptions
 * (Rapid7's validators refuse `minimum`/`maximum` in a spec), so they are enforced here, with
 * an error that names the field.
 */
import { ClientError, Presets } from '../runtime/errors.js';

export interface Bound {
  min: number;
  max?: number;
}

export const BOUNDS = {
  connect_timeout: { min: 1, max: 300 },
  request_timeout: { min: 1, max: 600 },
  attachment_size_limit: { min: 1, max: 1024 },
  response_size_limit: { min: 1, max: 1024 },
  max_results: { min: 1, max: 10_000 },
  frequency: { min: 1 },
  look_back: { min: 0, max: 1000 },
  overlap: { min: 0, max: 86_400 },
} as const satisfies Record<string, Bound>;

export type BoundedField = keyof typeof BOUNDS;

/** The value when it is a whole number within the field's bounds; a 400 naming the field otherwise. */
export function withinBounds(field: BoundedField, value: number, where: 'input' | 'connection'): number {
  const bound: Bound = BOUNDS[field];
  if (Number.isInteger(value) && value >= bound.min && (bound.max === undefined || value <= bound.max)) return value;
  const range = bound.max === undefined ? `at least ${bound.min}` : `from ${bound.min} to ${bound.max}`;
  const preset = where === 'input' ? Presets.INVALID_INPUT : Presets.INVALID_CONNECTION;
  throw new ClientError(preset, `The ${where} is not valid: '${field}' must be a whole number ${range} (got ${String(value).slice(0, 40)}).`);
}
