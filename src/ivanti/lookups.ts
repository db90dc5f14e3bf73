/**
 * Exact lookups of the records the actions refer to by a human identifier: employees
 * (customer, assignee) and incidents by number. Never full-text search: `$search=John`
 * also finds Scott Johnson, so it cannot identify one person.
 */
import { ClientError, PluginError, Presets } from '../runtime/errors.js';
import type { StepLogger } from '../runtime/step-log.js';
import type { IsmClient, IsmRecord } from './client.js';
import { collectionPath, eq, isRecId, or, type Filter } from './odata.js';

export interface Employee {
  recId: string;
  loginId: string;
  displayName: string;
  email: string;
}

export type EmployeeRole = 'customer' | 'assignee';

const EMPLOYEE_FIELDS = ['RecId', 'LoginID', 'DisplayName', 'PrimaryEmail', 'Status'];
const EMAIL = /^[^\s@]+@[^\s@]+$/;
/** Half of a UTF-16 surrogate pair without its other half: not text, and not encodable in a URL. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
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
function shown(text: string): string {
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

/**
 * The one employee an identifier names: an email address matches PrimaryEmail exactly;
 * anything else matches LoginID or DisplayName exactly (ISM compares case-insensitively).
 */
export async function findEmployee(client: IsmClient, identifier: string, role: EmployeeRole, log: StepLogger): Promise<Employee> {
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
  if (LONE_SURROGATE.test(id)) {
    throw new ClientError(Presets.INVALID_INPUT, `The ${role} input is not valid text: it contains a broken Unicode character (a lone surrogate).`);
  }
  const byEmail = EMAIL.test(id);
  const filter: Filter = byEmail ? eq('PrimaryEmail', id) : or(eq('LoginID', id), eq('DisplayName', id));
  const what = byEmail ? `the email address '${shown(id)}'` : `the login ID or display name '${shown(id)}'`;
  log.info(`Looking up the ${role} by ${byEmail ? 'email address' : 'login ID or display name'}.`);
  // Two rows are enough to tell "exactly one" from "several".
  const rows = (await client.list(collectionPath('employees', { filter, select: EMPLOYEE_FIELDS, top: 2 }), log)).map(toEmployee);
  let matches = rows;
  if (!byEmail && rows.length > 1) {
    // A login ID names one person; a display name shared with others does not make it ambiguous.
    // The login's row may be past the two rows fetched, so ask for the login alone before giving up.
    const isLogin = (e: Employee) => e.loginId.toLowerCase() === id.toLowerCase();
    let byLogin = rows.filter(isLogin);
    if (byLogin.length === 0) {
      byLogin = (await client.list(collectionPath('employees', { filter: eq('LoginID', id), select: EMPLOYEE_FIELDS, top: 2 }), log))
        .map(toEmployee)
        .filter(isLogin);
    }
    if (byLogin.length === 1) matches = byLogin;
  }
  const input = role === 'customer' ? 'customer' : 'assignee';
  if (matches.length === 0) {
    throw new PluginError(Presets.NOT_FOUND, {
      cause: `No ISM employee has ${what} (the ${input} input).`,
      assistance:
        role === 'customer'
          ? 'Give the customer as the exact email address of an employee in ISM.'
          : 'Give the assignee as the exact login ID, email address or display name of an employee in ISM.',
    });
  }
  if (matches.length > 1) {
    throw new PluginError(Presets.BAD_REQUEST, {
      cause: `Several ISM employees have ${what} (the ${input} input), so it does not say who is meant.`,
      assistance: `Give the ${input}'s login ID or email address instead, which names exactly one employee.`,
      data: describeMatches(matches),
    });
  }
  const found = matches[0]!;
  if (!isRecId(found.recId)) {
    throw new PluginError(Presets.INVALID_JSON, { cause: `ISM returned the ${input} without a valid RecId.` });
  }
  log.info(`Found the ${role}: ${found.displayName || found.loginId} (login ${found.loginId}).`);
  return found;
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
