/**
 * Reading a collection page by page without losing rows. Paging with `$skip` alone loses a row
 * whenever an earlier row is deleted (or stops matching) between two pages: every later row moves
 * up one place and the next page starts one row too far. Here each page asks for the rows whose
 * key comes after the last key read (`$filter=(...) and RecId gt '<last>'`, `$orderby=RecId`), so
 * a row that matches from the first page to the last is read exactly once, whatever happens to
 * the others meanwhile. An empty 200 answer reads exactly like "no more rows": a short page where
 * ISM's own count (`@odata.count`) promised more is read again before it is taken as the end.
 *
 * Whether more rows match than `max` lets through is known, not guessed: a row beyond the limit
 * in the last page says so, a short last page says not; a full last page that ends exactly at
 * the limit is followed by a request for one row more (ISM's count cannot be trusted for it).
 */
import { PluginError, Presets } from '../runtime/errors.js';
import type { StepLogger } from '../runtime/step-log.js';
import type { IsmClient, IsmRecord } from './client.js';
import { and, compare, queryString, type Filter } from './odata.js';

/** ISM's largest `$top`. */
export const PAGE_SIZE = 100;
/** Times a page shorter than ISM's count promised is read again before it is taken as the end. */
const REREADS = 2;

export interface KeyPagingQuery {
  /** The collection, or a navigation path (`incidents('R')/IncidentAssociatesCI`), built from checked parts. */
  path: string;
  filter?: Filter;
  /** ISM's full-text `$search`. */
  search?: string;
  /** The key rows are ordered and continued by: unique and never changed (RecId, IncidentNumber). */
  key: string;
  /** Most rows to return. */
  max: number;
  signal?: AbortSignal;
}

export interface KeyedRows {
  /** The rows that match, in key order, at most `max` of them. */
  rows: IsmRecord[];
  /** Whether more rows match than `max` let through. */
  more: boolean;
}

/** The rows of a collection that match, in key order, at most `max` of them. */
export async function readByKey(client: IsmClient, query: KeyPagingQuery, log: StepLogger): Promise<KeyedRows> {
  const rows: IsmRecord[] = [];
  const seen = new Set<string>();
  let last: string | number | undefined;
  /** How many matches ISM counted beyond the rows read so far, when it counted. */
  let expected: number | undefined;
  let more = false;
  for (;;) {
    // Past the limit, one row more is asked for: only to know whether there is one.
    const probing = rows.length >= query.max;
    const top = probing ? 1 : Math.min(PAGE_SIZE, query.max - rows.length);
    const after = last === undefined ? [] : [compare(query.key, 'gt', last)];
    const parts = [...(query.filter ? [query.filter] : []), ...after];
    const options = queryString({
      ...(parts.length > 0 ? { filter: parts.length === 1 ? parts[0]! : and(...parts) } : {}),
      ...(query.search !== undefined ? { search: query.search } : {}),
      orderby: [{ field: query.key }],
      top,
    });
    const path = `${query.path}?${options}`;
    const read = () => client.listPage(path, log, query.signal ? { signal: query.signal } : {});
    let { rows: page, count } = await read();
    for (let reread = 0; ; reread++) {
      if (count !== undefined) expected = count;
      if (!(page.length < top && expected !== undefined && page.length < expected) || reread >= REREADS) break;
      log.warn(`ISM answered ${page.length} rows${last === undefined ? '' : ` after ${query.key} ${last}`}, where it had counted ${expected}; reading that page again.`);
      ({ rows: page, count } = await read());
    }
    if (expected !== undefined) expected = Math.max(0, expected - page.length);
    let fresh = 0;
    for (const row of page) {
      const key = row[query.key];
      if (!(typeof key === 'string' && key !== '') && !(typeof key === 'number' && Number.isFinite(key))) {
        throw new PluginError(Presets.INVALID_JSON, { cause: `ISM answered a row without its ${query.key}, which paging needs.`, data: { path: query.path } });
      }
      // The largest key read, not merely the last row's: a tenant that ignores $orderby then
      // still continues after every row it has given.
      if (last === undefined || comesAfter(key, last)) last = key;
      if (seen.has(String(key))) continue;
      if (rows.length >= query.max) {
        more = true;
        break;
      }
      seen.add(String(key));
      fresh++;
      rows.push(row);
    }
    // A short page is the end; a page longer than asked for is a tenant that ignored $top and
    // sent everything.
    if (probing || more || page.length !== top) break;
    if (fresh === 0) {
      // A full page of rows already read: the tenant ignored the key condition, and asking
      // again would read them forever.
      throw new PluginError(Presets.SERVER_ERROR, {
        cause: `ISM answered the same ${page.length} rows again for the next page of ${query.path}, so the rest cannot be read safely.`,
        assistance: 'Lower max_results to what one page holds (100), or narrow the search.',
        data: { path: query.path, read: rows.length },
      });
    }
  }
  return { rows, more };
}

/**
 * What a search found, for its log: `Found 3 incidents.`, or `Found 100 incidents (stopped at
 * max_results 100; more incidents match).` `noun` is singular; the plural adds an s.
 */
export function foundSentence(found: KeyedRows, noun: string, max: number): string {
  const plural = `${noun}s`;
  const stopped = found.more ? ` (stopped at max_results ${max}; more ${plural} match)` : '';
  return `Found ${found.rows.length} ${found.rows.length === 1 ? noun : plural}${stopped}.`;
}

/** Whether key `a` comes after `b` in ISM's order: numbers by value, text without regard to case. */
function comesAfter(a: string | number, b: string | number): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a > b;
  return String(a).toUpperCase() > String(b).toUpperCase();
}
