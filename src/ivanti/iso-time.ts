/** Times users give as inputs: ISO 8601 with at least a date, on a day that exists. */
import { ClientError, Presets } from '../runtime/errors.js';

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/** Whether the date and time named exist: Date.parse rolls 2026-02-30 over to March 2 instead of refusing it. */
function existsOnCalendar(match: RegExpExecArray): boolean {
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => (part === undefined ? 0 : Number(part))) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour <= 23 && minute <= 59 && second <= 59;
}

/** The time an input names, or undefined when it is not given; a ClientError naming the input when it is not a time. */
export function parseTime(name: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  // ISO 8601 with a date at least; Date.parse alone also takes "May 3" and the like.
  const match = ISO_TIME.exec(value.trim());
  const time = match && existsOnCalendar(match) ? Date.parse(value.trim()) : NaN;
  if (Number.isNaN(time)) {
    throw new ClientError(Presets.INVALID_INPUT, `The input is not valid: '${name}' must be an ISO 8601 date-time such as 2026-01-31T00:00:00Z (got ${JSON.stringify(value.slice(0, 60))}).`);
  }
  return new Date(time);
}
