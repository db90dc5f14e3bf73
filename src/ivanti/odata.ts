/**
 * OData query building from typed parts. User text only ever enters a query as a
 * quoted literal (a quote inside written twice) and every parameter is URL-encoded,
 * so no input can change the shape of a filter or of the URL.
 */

export type ODataLiteral = string | number | boolean | Date | null;
export type ComparisonOperator = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

export type Filter =
  | { kind: 'compare'; field: string; op: ComparisonOperator; value: ODataLiteral }
  | { kind: 'and' | 'or'; parts: Filter[] };

const FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SET = /^[A-Za-z_][A-Za-z0-9_]*$/;
const REC_ID = /^[0-9A-Fa-f]{32}$/;

function checkField(field: string): string {
  // Field names come from the plugin's code, never from users; this guards against mistakes.
  if (!FIELD.test(field)) throw new Error(`invalid OData field name ${JSON.stringify(field)}`);
  return field;
}

export function literal(value: ODataLiteral): string {
  if (value === null) return "'$NULL'";
  if (typeof value === 'string') {
    // ISM reads the string '$NULL' as null, whatever the quoting: a value that would widen a match.
    if (value.toUpperCase() === '$NULL') throw new Error("the string '$NULL' cannot be written as an OData literal (ISM reads it as null)");
    return `'${value.replace(/'/g, "''")}'`;
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new Error('invalid date in OData filter');
    return value.toISOString().replace(/\.000Z$/, 'Z');
  }
  if (!Number.isFinite(value)) throw new Error(`invalid number in OData filter: ${value}`);
  return String(value);
}

export const compare = (field: string, op: ComparisonOperator, value: ODataLiteral): Filter => ({ kind: 'compare', field: checkField(field), op, value });
export const eq = (field: string, value: ODataLiteral): Filter => compare(field, 'eq', value);
export const and = (...parts: Filter[]): Filter => ({ kind: 'and', parts });
export const or = (...parts: Filter[]): Filter => ({ kind: 'or', parts });

export function renderFilter(filter: Filter): string {
  if (filter.kind === 'compare') return `${filter.field} ${filter.op} ${literal(filter.value)}`;
  if (filter.parts.length === 0) throw new Error(`empty '${filter.kind}' filter`);
  if (filter.parts.length === 1) return renderFilter(filter.parts[0]!);
  return filter.parts.map((p) => (p.kind === 'compare' ? renderFilter(p) : `(${renderFilter(p)})`)).join(` ${filter.kind} `);
}

export interface QueryOptions {
  filter?: Filter;
  search?: string;
  select?: readonly string[];
  orderby?: readonly { field: string; desc?: boolean }[];
  top?: number;
}

/** Percent-encoding for a query value: spaces as %20, and `'`, `(`, `)`, `*`, `!` encoded too. */
export function encodeQueryValue(value: string): string {
  // encodeURIComponent throws on half a surrogate pair; such text can only be sent as U+FFFD.
  return encodeURIComponent(value.toWellFormed()).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function queryString(options: QueryOptions): string {
  const params: [string, string][] = [];
  if (options.filter) params.push(['$filter', renderFilter(options.filter)]);
  if (options.search !== undefined) params.push(['$search', options.search]);
  if (options.select?.length) params.push(['$select', options.select.map(checkField).join(',')]);
  // The direction is always written: nothing is left to the tenant's default.
  if (options.orderby?.length) params.push(['$orderby', options.orderby.map((o) => `${checkField(o.field)} ${o.desc ? 'desc' : 'asc'}`).join(',')]);
  // No $skip: rows that stop matching between pages shift every later page; pages go by key.
  const top = options.top;
  if (top !== undefined) {
    if (!Number.isInteger(top) || top < 0) throw new Error(`invalid $top: ${top}`);
    params.push(['$top', String(top)]);
  }
  return params.map(([k, v]) => `${k}=${encodeQueryValue(v)}`).join('&');
}

export function collectionPath(set: string, options?: QueryOptions): string {
  if (!SET.test(set)) throw new Error(`invalid business object set ${JSON.stringify(set)}`);
  const query = options ? queryString(options) : '';
  return query ? `${set}?${query}` : set;
}

/** `incidents('<RecId>')`: a RecId is 32 hex characters; anything else never reaches a URL. */
export function recordPath(set: string, recId: string): string {
  if (!SET.test(set)) throw new Error(`invalid business object set ${JSON.stringify(set)}`);
  if (!REC_ID.test(recId)) throw new Error(`invalid RecId ${JSON.stringify(recId.slice(0, 40))}`);
  return `${set}('${recId}')`;
}

export function isRecId(value: unknown): value is string {
  return typeof value === 'string' && REC_ID.test(value);
}
