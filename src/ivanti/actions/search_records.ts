/**
 * Search Records: the records of any business object whose fields equal the values given
 * (`filter`, joined by `and`), optionally with ISM's full-text search and a date range, read page
 * by page by RecId so that none is lost or listed twice when records change between pages.
 * No match is an empty list, never an error.
 */
import type { SearchRecordsInput, SearchRecordsOutput } from '../../generated/types.js';
import { ClientError, Presets } from '../../runtime/errors.js';
import type { ActionHandler } from '../../runtime/plugin.js';
import { businessObject, fieldName, filterValue } from '../business-objects.js';
import type { IsmConnection } from '../ism-connection.js';
import { parseTime } from '../iso-time.js';
import { foundSentence, readByKey } from '../key-paging.js';
import { cleanRecord } from '../lookups.js';
import { and, compare, eq, type Filter } from '../odata.js';
import { explainRecordFailure } from '../record-errors.js';
import { given } from './fields.js';

/** Most records one search returns. */
export const MAX_RESULTS = 10_000;

/** `max_results` checked: a whole number from 1 to 10,000 (100 when not given). */
export function maxResults(value: number | undefined): number {
  const max = value ?? 100;
  if (!Number.isInteger(max) || max < 1 || max > MAX_RESULTS) {
    throw new ClientError(Presets.INVALID_INPUT, `'max_results' must be a whole number from 1 to 10,000 (got ${max}).`);
  }
  return max;
}

/** The date range as filter parts: from (inclusive) and to (exclusive). */
function dateRange(input: SearchRecordsInput): Filter[] {
  const field = given(input.date_field);
  const from = parseTime('from', given(input.from));
  const to = parseTime('to', given(input.to));
  if (field === undefined) {
    if (from || to) throw new ClientError(Presets.INVALID_INPUT, "'date_field' is required with 'from' or 'to': give the date field they apply to, such as CreatedDateTime.");
    return [];
  }
  fieldName(field.trim(), 'date_field');
  if (!from && !to) throw new ClientError(Presets.INVALID_INPUT, "'date_field' needs 'from', 'to' or both: the range of times to search.");
  if (from && to && from.getTime() >= to.getTime()) {
    throw new ClientError(Presets.INVALID_INPUT, `'from' (${from.toISOString()}) must be earlier than 'to' (${to.toISOString()}).`);
  }
  return [...(from ? [compare(field.trim(), 'ge', from)] : []), ...(to ? [compare(field.trim(), 'lt', to)] : [])];
}

export const searchRecords: ActionHandler<SearchRecordsInput, SearchRecordsOutput, IsmConnection> = {
  async run(input, { connection, log, signal }) {
    const object = businessObject(input.object);
    const max = maxResults(input.max_results);
    const parts: Filter[] = [];
    for (const [field, value] of Object.entries(input.filter ?? {})) {
      parts.push(eq(fieldName(field, 'filter'), filterValue(value, `'filter.${field}'`)));
    }
    parts.push(...dateRange(input));
    const keyword = given(input.keyword);
    const filter = parts.length === 0 ? undefined : parts.length === 1 ? parts[0] : and(...parts);
    log.info(`Searching ${object.name} records${parts.length || keyword ? '' : ' (all of them)'}, at most ${max}.`);
    const found = await readByKey(
      connection.client.forStep(signal),
      { path: object.collection, ...(filter ? { filter } : {}), ...(keyword !== undefined ? { search: keyword } : {}), key: 'RecId', max },
      log,
    ).catch((err: unknown) => {
      throw explainRecordFailure(err, object);
    });
    log.info(foundSentence(found, `${object.name} record`, max));
    return { records: found.rows.map(cleanRecord), count: found.rows.length, truncated: found.more };
  },
};
