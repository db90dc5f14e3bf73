/**
 * Exact lookups of the records the actions refer to by a human identifier: employees
 * (customer, assignee) and incidents by number. Never full-text search: `$search=John`
 * also finds Scott Johnson, so it cannot identify one person.
 */
import { ClientError, PluginError, Presets } from '../runtime/errors.js';
import type { StepLogger } from '../runtime/step-log.js';
import type { IsmClient, IsmRecord } from './client.js';
import { collectionPath, eq, isRecId, or, renderFilter, type Filter } from './odata.js';

export interface Employee {
  recId: string;
  loginId: string;
  displayName: string;
  email: string;
}

export type EmployeeRole = 'customer' | 'assignee';

const EMPLOYEE_FIELDS = ['RecId', 'LoginID', 'DisplayName', 'PrimaryEmail', 'Status'];
const EMAIL = /^[^\s@]+@[^\s@]+$/;
/** Longer than any email address (254), login ID or display name. */
const MAX_IDENTIFIER = 256;
/** In a filter, the string '$NULL' means null: `LoginID eq '$NULL'` matches everyone without a login. */
const NULL_WORD = '$NULL';
/** ISM's IncidentNumber is a 32-bit integer counting up from 1. */
const MAX_INCIDENT_NUMBER = 2_147_483_647;

/**
 * User text as a message quotes it: control characters and line breaks written as escapes
 * (`\r\n`), so a value can neither break the one-line error nor forge a log line.
 */
const ESCAPES: Record<string, string> = { '\r': '\\r', '\n': '\\n', '\t': '\\t' };
export function shown(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function toEmployee(row: IsmRecord): Employee {
  return { recId: str(row.RecId), loginId: str(row.LoginID), displayName: str(row.DisplayName), email: str(row.PrimaryEmail) };
}

function describeMatches(rows: Employee[]): string {
  return rows.map((e) => `${e.displayName || '(no name)'} <${e.email || 'no email'}> login ${e.loginId || '(none)'}`).join('; ');
}

interface EmployeeQuery {
  role: EmployeeRole;
  /** The identifier, trimmed. */
  id: string;
  /** It holds an @: an email address, or a login ID written as one (a UPN such as mchen@corp.local). */
  byEmail: boolean;
  /** The comparisons that find it (joined by `or`). */
  terms: Filter[];
  /** The identifier as a message describes it. */
  what: string;
}

/**
 * What to ask ISM for an identifier: one with an @ matches PrimaryEmail or LoginID exactly
 * (tenants that sign in with UPNs have login IDs such as `mchen@corp.local`, which need not be
 * the email address); anything else matches LoginID or DisplayName exactly (ISM compares
 * case-insensitively).
 * An identifier that can name no one is refused here, before any request.
 */
function employeeQuery(identifier: string, role: EmployeeRole): EmployeeQuery {
  const id = identifier.trim();
  if (id === '') {
    // `LoginID eq ''` would match every employee without a login: never ask ISM that.
    throw new ClientError(Presets.INVALID_INPUT, `The ${role} input is blank: give an employee's email address${role === 'assignee' ? ', login ID or display name' : ''}.`);
  }
  if (id.length > MAX_IDENTIFIER) {
    // No login ID, display name or address is this long; ISM (or a gateway) would refuse the URL.
    throw new ClientError(
      Presets.INVALID_INPUT,
      `The ${role} input is too long (${id.length} characters) to name an employee: give an email address${role === 'assignee' ? ', login ID or display name' : ''} of at most ${MAX_IDENTIFIER} characters.`,
    );
  }
  if (id.toUpperCase() === NULL_WORD) {
    throw new ClientError(Presets.INVALID_INPUT, `The ${role} input '${id}' is ISM's word for no value, so it names no employee.`);
  }
  const byEmail = EMAIL.test(id);
  return {
    role,
    id,
    byEmail,
    terms: byEmail ? [eq('PrimaryEmail', id), eq('LoginID', id)] : [eq('LoginID', id), eq('DisplayName', id)],
    what: `the ${by({ byEmail })} '${shown(id)}'`,
  };
}

const by = (q: Pick<EmployeeQuery, 'byEmail'>) => (q.byEmail ? 'email address or login ID' : 'login ID or display name');

/** Whether a row is one the query's filter matches, compared as ISM compares (ignoring case). */
function answers(q: EmployeeQuery, e: Employee): boolean {
  const id = q.id.toLowerCase();
  return e.loginId.toLowerCase() === id || (q.byEmail ? e.email.toLowerCase() : e.displayName.toLowerCase()) === id;
}

async function queryEmployees(client: IsmClient, filter: Filter, top: number, log: StepLogger): Promise<Employee[]> {
  return (await client.list(collectionPath('employees', { filter, select: EMPLOYEE_FIELDS, top }), log)).map(toEmployee);
}

/** Refuses an identifier that can name no employee, before any request (as findEmployee would). */
export function checkEmployeeIdentifier(identifier: string, role: EmployeeRole): void {
  employeeQuery(identifier, role);
}

/** The one employee an identifier names (see employeeQuery for how it is matched). */
export async function findEmployee(client: IsmClient, identifier: string, role: EmployeeRole, log: StepLogger): Promise<Employee> {
  return lookUp(client, employeeQuery(identifier, role), log);
}

async function lookUp(client: IsmClient, q: EmployeeQuery, log: StepLogger): Promise<Employee> {
  log.info(`Looking up the ${q.role} by ${by(q)}.`);
  // Two rows are enough to tell "exactly one" from "several".
  const rows = await queryEmployees(client, or(...q.terms), 2, log);
  let matches = rows;
  if (!q.byEmail && rows.length > 1) {
    // A login ID names one person; a display name shared with others does not make it ambiguous.
    // The login's row may be past the two rows fetched, so ask for the login alone before giving up.
    const isLogin = (e: Employee) => e.loginId.toLowerCase() === q.id.toLowerCase();
    let byLogin = rows.filter(isLogin);
    if (byLogin.length === 0) byLogin = (await queryEmployees(client, eq('LoginID', q.id), 2, log)).filter(isLogin);
    if (byLogin.length === 1) matches = byLogin;
  }
  return theOne(q, matches, log);
}

/** The employee found, or the error that says why there is not exactly one. */
function theOne(q: EmployeeQuery, matches: Employee[], log: StepLogger): Employee {
  const input = q.role;
  if (matches.length === 0) {
    throw new PluginError(Presets.NOT_FOUND, {
      cause: `No ISM employee has ${q.what} (the ${input} input).`,
      assistance:
        q.role === 'customer'
          ? 'Give the customer as the exact email address or login ID of an employee in ISM.'
          : 'Give the assignee as the exact login ID, email address or display name of an employee in ISM.',
    });
  }
  if (matches.length > 1) {
    throw new PluginError(Presets.BAD_REQUEST, {
      cause: `Several ISM employees have ${q.what} (the ${input} input), so it does not say who is meant.`,
      assistance: `Give the ${input}'s login ID or email address instead, which names exactly one employee.`,
      data: describeMatches(matches),
    });
  }
  const found = matches[0]!;
  if (!isRecId(found.recId)) {
    throw new PluginError(Presets.INVALID_JSON, { cause: `ISM returned the ${input} without a valid RecId.` });
  }
  log.info(`Found the ${q.role}: ${found.displayName || found.loginId} (login ${found.loginId}).`);
  return found;
}

/**
 * Rows asked for by the combined lookup of two identifiers. An answer that settles both holds
 * at most two rows (one each), so a third shows there are more, and settles nothing.
 */
const COMBINED_TOP = 3;

/**
 * The employees several identifiers name (a customer and an assignee), found as findEmployee
 * finds each, but for two identifiers usually in one request: the identifiers' filters joined by `or`. The answer
 * settles them when it is complete (shorter than the page asked for), every row it holds is
 * one that some identifier matches, and each identifier matches exactly one row. Anything
 * else (no match, several, a row the plugin cannot account for) is looked up again one
 * identifier at a time, so that every error and every tie is decided as findEmployee
 * decides it. Bad identifiers are refused before any request, the customer's first.
 */
export async function findEmployees(client: IsmClient, wanted: readonly { identifier: string; role: EmployeeRole }[], log: StepLogger): Promise<Employee[]> {
  const queries = wanted.map((w) => employeeQuery(w.identifier, w.role));
  if (queries.length !== 2) return allLookups(queries.map((q) => lookUp(client, q, log)));
  log.info(`Looking up ${queries.map((q) => `the ${q.role} by ${by(q)}`).join(' and ')}, in one request.`);
  const terms = new Map<string, Filter>();
  for (const q of queries) {
    for (const term of q.terms) {
      // ISM compares ignoring case: a comparison that differs only in case is asked once.
      const key = renderFilter(term).toLowerCase();
      if (!terms.has(key)) terms.set(key, term);
    }
  }
  const rows = await queryEmployees(client, or(...terms.values()), COMBINED_TOP, log);
  if (rows.length < COMBINED_TOP && rows.every((row) => queries.some((q) => answers(q, row)))) {
    const matches = queries.map((q) => rows.filter((row) => answers(q, row)));
    if (matches.every((m) => m.length === 1)) return queries.map((q, i) => theOne(q, matches[i]!, log));
  }
  log.info('The answer does not name one employee for each; looking each up on its own.');
  return allLookups(queries.map((q) => lookUp(client, q, log)));
}

/**
 * The incident with this number, in one request: only the fields named in `select`,
 * or the whole record when `select` is omitted.
 */
export async function findIncident(client: IsmClient, incidentNumber: number, log: StepLogger, select?: readonly string[]): Promise<IsmRecord> {
  if (!Number.isSafeInteger(incidentNumber) || incidentNumber < 1 || incidentNumber > MAX_INCIDENT_NUMBER) {
    // 0, negatives, 1e21 (written "1e+21", which no filter parses) and 2^53+1 (already rounded) name no incident.
    throw new ClientError(
      Presets.INVALID_INPUT,
      `'incident_number' must be a whole number from 1 to ${MAX_INCIDENT_NUMBER} (ISM numbers incidents upward from 1); got ${String(incidentNumber).slice(0, 40)}.`,
    );
  }
  log.info(`Looking up incident ${incidentNumber}.`);
  const rows = await client.list(collectionPath('incidents', { filter: eq('IncidentNumber', incidentNumber), ...(select ? { select } : {}), top: 2 }), log);
  if (rows.length === 0) {
    throw new PluginError(Presets.NOT_FOUND, {
      cause: `No incident has the number ${incidentNumber} (the incident_number input).`,
      assistance: 'Check the incident number in ISM; a deleted incident cannot be changed.',
    });
  }
  if (rows.length > 1) {
    throw new PluginError(Presets.BAD_REQUEST, { cause: `ISM returned ${rows.length} incidents with the number ${incidentNumber}; expected exactly one.` });
  }
  const record = rows[0]!;
  if (!isRecId(record.RecId)) throw new PluginError(Presets.INVALID_JSON, { cause: `ISM returned incident ${incidentNumber} without a valid RecId.` });
  return record;
}

/** The RecId of the incident with this number. */
export async function findIncidentRecId(client: IsmClient, incidentNumber: number, log: StepLogger): Promise<string> {
  return String((await findIncident(client, incidentNumber, log, ['RecId', 'IncidentNumber'])).RecId);
}

/**
 * The customer and the assignee an action names, each when given (undefined when not),
 * in one request when both are given (see findEmployees).
 */
export async function findCustomerAndAssignee(
  client: IsmClient,
  names: { customer?: string; assignee?: string },
  log: StepLogger,
): Promise<{ customer?: Employee; assignee?: Employee }> {
  const roles = (['customer', 'assignee'] as const).filter((role) => names[role] !== undefined);
  if (roles.length === 0) return {};
  const found = await findEmployees(client, roles.map((role) => ({ identifier: names[role]!, role })), log);
  return Object.fromEntries(roles.map((role, i) => [role, found[i]]));
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

/** ISM's nulls and empty strings dropped, so an output never fails validation on them. */
export function cleanRecord(record: IsmRecord): IsmRecord {
  const out: IsmRecord = {};
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    const value = record[key];
    if (value === null || value === '' || value === undefined) continue;
    // defineProperty keeps a key named __proto__ (from a hostile answer) an ordinary key.
    if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    else out[key] = value;
  }
  return out;
}
