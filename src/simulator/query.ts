/**
 * Collection queries: `$filter`, `$search`, `$orderby`, `$top`, `$skip`, `$select`, as ISM
 * applies them, including its odd answers (204 for an unknown `$orderby` field, 500 for an empty
 * `$orderby=` or `$select=`).
 *
 * A filter whose top level is an `eq` on an indexed field (or an `and` containing one, or an `or`
 * of such) starts from the index instead of scanning the table; the full predicate still decides.
 */

import { IsmError, MESSAGES, badRequest, serverError } from './errors.js';
import { FilterError, compileFilter, parseFilter, type FilterNode, type RowPredicate } from './odata-filter.js';
import type { ObjectSchema } from './schema.js';
import { indexKey, type StoredRow, type Table } from './table.js';
import type { FieldMap, Scalar } from './types.js';

export const DEFAULT_TOP = 25;
export const MAX_TOP = 100;

export interface OrderTerm {
  field: string;
  descending: boolean;
}

export interface CollectionQuery {
  filter: FilterNode | undefined;
  predicate: RowPredicate | undefined;
  searchWords: string[] | undefined;
  orderBy: OrderTerm[] | undefined;
  select: string[] | undefined;
  top: number;
  skip: number;
}

/** The query options as the request gave them (already URL-decoded). */
export type QueryOptions = Readonly<Record<string, string>>;

/** The result of reading a filter for the journal: its AST, or why it failed. */
export type FilterOutcome = { ast: FilterNode; error?: undefined } | { ast?: FilterNode; error: string };

/** Splits text into the lower-cased words `$search` matches against. */
export function searchWords(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
}

/**
 * Reads and checks the query options. Throws IsmError with ISM's answer for bad options, or
 * an IsmError with status 204 and no body when `$orderby` names an unknown field.
 * `onFilter` receives the parsed filter (or its error) for the request journal.
 */
export function readCollectionQuery(options: QueryOptions, schema: ObjectSchema, onFilter?: (outcome: FilterOutcome) => void): CollectionQuery {
  let filter: FilterNode | undefined;
  let predicate: RowPredicate | undefined;
  const rawFilter = options.$filter;
  if (rawFilter !== undefined) {
    try {
      filter = parseFilter(rawFilter);
      predicate = compileFilter(filter, schema);
      onFilter?.({ ast: filter });
    } catch (err) {
      if (!(err instanceof FilterError)) throw err;
      onFilter?.(filter ? { ast: filter, error: err.message } : { error: err.message });
      throw badRequest(MESSAGES.invalidFilter(err.message));
    }
  }

  let top = DEFAULT_TOP;
  const rawTop = options.$top;
  if (rawTop !== undefined) {
    if (!/^\d+$/.test(rawTop.trim()) || Number(rawTop) > MAX_TOP) throw badRequest(MESSAGES.invalidTop(rawTop));
    top = Number(rawTop);
  }

  let skip = 0;
  const rawSkip = options.$skip;
  if (rawSkip !== undefined) {
    if (!/^\d+$/.test(rawSkip.trim())) throw badRequest(MESSAGES.invalidSkip(rawSkip));
    skip = Number(rawSkip);
  }

  let select: string[] | undefined;
  const rawSelect = options.$select;
  if (rawSelect !== undefined) {
    if (rawSelect.trim() === '') throw serverError(MESSAGES.emptyQueryOption('$select'));
    select = [];
    for (const name of rawSelect.split(',')) {
      const field = schema.resolveField(name.trim());
      if (field === undefined) throw badRequest(MESSAGES.invalidSelect(name.trim(), schema.typeName));
      if (!select.includes(field)) select.push(field);
    }
  }

  let orderBy: OrderTerm[] | undefined;
  const rawOrderBy = options.$orderby;
  if (rawOrderBy !== undefined) {
    if (rawOrderBy.trim() === '') throw serverError(MESSAGES.emptyQueryOption('$orderby'));
    orderBy = [];
    for (const clause of rawOrderBy.split(',')) {
      const parts = clause.trim().split(/\s+/);
      const [name, direction, extra] = parts;
      if (!name || extra !== undefined || (direction !== undefined && direction !== 'asc' && direction !== 'desc')) {
        throw badRequest(MESSAGES.invalidOrderBy(rawOrderBy));
      }
      const field = schema.resolveField(name);
      // ISM answers an unknown sort field with 204 and no body.
      if (field === undefined) throw new IsmError(204, null);
      orderBy.push({ field, descending: direction === 'desc' });
    }
  }

  const rawSearch = options.$search;
  const words = rawSearch === undefined ? undefined : searchWords(rawSearch);

  return { filter, predicate, searchWords: words && words.length > 0 ? words : undefined, orderBy, select, top, skip };
}

/** Candidate rows from an index for the filter, or undefined when the filter cannot use one. */
function indexCandidates(node: FilterNode, table: Table, schema: ObjectSchema): readonly StoredRow[] | undefined {
  if (node.type === 'compare') {
    if (node.op !== 'eq') return undefined;
    const field = schema.resolveField(node.field);
    if (field === undefined || !table.isIndexed(field)) return undefined;
    const type = schema.typeOf(field);
    const { value } = node;
    let key: string | undefined;
    if (type === 'integer') {
      if (value.kind === 'number') key = String(value.value);
      else if (value.kind === 'string' && value.value.trim() !== '' && Number.isFinite(Number(value.value))) key = String(Number(value.value));
    } else if (type === 'string' && value.kind === 'string') {
      key = indexKey(value.value);
      // An empty string matches rows that hold '' (not indexed): scan instead.
      if (key === undefined) return undefined;
    }
    return key === undefined ? undefined : table.lookup(field, key);
  }
  const left = indexCandidates(node.left, table, schema);
  const right = indexCandidates(node.right, table, schema);
  if (node.type === 'and') {
    if (left && right) return left.length <= right.length ? left : right;
    return left ?? right;
  }
  if (!left || !right) return undefined;
  return Array.from(new Set([...left, ...right]));
}

function rowWords(row: StoredRow, schema: ObjectSchema): string[] {
  if (row.words === undefined) {
    const words: string[] = [];
    for (const field of schema.searchFields) {
      const v = row.data[field];
      if (v !== null && v !== undefined) words.push(...searchWords(String(v)));
    }
    row.words = words;
  }
  return row.words;
}

function matchesSearch(row: StoredRow, schema: ObjectSchema, words: readonly string[]): boolean {
  const own = rowWords(row, schema);
  for (const w of words) {
    for (const o of own) if (o.startsWith(w)) return true;
  }
  return false;
}

/** Case-insensitive, accent-aware ordering, like the SQL Server collation behind ISM. */
const textCollator = new Intl.Collator('en', { sensitivity: 'accent', numeric: false });

function compareValues(a: Scalar | undefined, b: Scalar | undefined, type: string): number {
  const aNull = a === null || a === undefined || a === '';
  const bNull = b === null || b === undefined || b === '';
  if (aNull || bNull) return aNull === bNull ? 0 : aNull ? -1 : 1;
  if (type === 'datetime') {
    const ta = Date.parse(String(a));
    const tb = Date.parse(String(b));
    if (!Number.isNaN(ta) && !Number.isNaN(tb)) return ta - tb;
  }
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return textCollator.compare(String(a), String(b));
}

export interface QueryResult {
  total: number;
  page: StoredRow[];
}

/** Runs a query over a table (or over given rows, for navigation properties). */
export function runCollectionQuery(table: Table, schema: ObjectSchema, query: CollectionQuery, within?: readonly StoredRow[]): QueryResult {
  let rows: StoredRow[];
  if (within) {
    rows = [...within].sort((a, b) => b.mod - a.mod);
  } else {
    const candidates = query.filter ? indexCandidates(query.filter, table, schema) : undefined;
    rows = candidates ? [...candidates].sort((a, b) => b.mod - a.mod) : table.newestFirst();
  }
  const { predicate, searchWords: words } = query;
  if (predicate || words) {
    rows = rows.filter((row) => (!predicate || predicate(row.data)) && (!words || matchesSearch(row, schema, words)));
  }
  if (query.orderBy) {
    const terms = query.orderBy.map((t) => ({ ...t, type: schema.typeOf(t.field) }));
    rows.sort((a, b) => {
      for (const t of terms) {
        const c = compareValues(a.data[t.field], b.data[t.field], t.type);
        if (c !== 0) return t.descending ? -c : c;
      }
      return b.mod - a.mod;
    });
  }
  return { total: rows.length, page: rows.slice(query.skip, query.skip + query.top) };
}

/** A record as a collection lists it: every field, or the `$select`ed ones in the asked order. */
export function project(data: FieldMap, select: readonly string[] | undefined): FieldMap {
  if (!select) return data;
  const out: FieldMap = {};
  for (const field of select) out[field] = data[field] ?? null;
  return out;
}
