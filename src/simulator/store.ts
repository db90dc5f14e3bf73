/**
 * The tenant's data and ISM's rules for writing it: validation lists, required fields, the
 * status rules, and everything ISM derives on save (IncidentNumber, Priority, customer and owner
 * fields, `_Valid` RecIds, timestamps). Both the HTTP handler and tests (through `sim.store`) use
 * it; a rule broken by a write is reported as an IsmError carrying ISM's 400 body.
 */

import { createHash, randomBytes } from 'node:crypto';
import { badRequest, MESSAGES } from './errors.js';
import type { FieldType } from './fields.js';
import type { ValueType } from './odata-filter.js';
import { employeeSchema, incidentSchema, noteSchema, type ObjectSchema } from './schema.js';
import { Table, type StoredRow } from './table.js';
import type { FieldMap, Scalar, SeedData, SeedTeam, SeedValidationLists } from './types.js';

/** Who is writing: the user behind the API key (`CreatedBy`, `LastModBy`, note owner). */
export interface Actor {
  user: string;
}

export interface StoreOptions {
  /** Source of "now"; tests may pin it. */
  clock?: () => Date;
  /** Offset of the timestamps the tenant writes, in minutes east of UTC (default: the host's). */
  utcOffsetMinutes?: number;
  /** File extensions (without the dot, any case) the tenant refuses to attach (default BLOCKED_EXTENSIONS). */
  blockedExtensions?: readonly string[];
}

/** Extensions refused by default, as tenants commonly configure them. */
export const BLOCKED_EXTENSIONS: readonly string[] = Object.freeze(['exe', 'bat', 'cmd', 'com', 'js', 'vbs', 'ps1', 'dll', 'scr', 'msi']);

/** An attachment as the store holds it (without its bytes; see `attachmentContent`). */
export interface AttachmentRecord {
  RecId: string;
  FileName: string;
  /** Size in bytes. */
  Size: number;
  /** The Content-Type the file part was sent with, if any. */
  ContentType: string | null;
  /** SHA-256 of the bytes, hex. */
  Sha256: string;
  /** The business object the file is attached to. */
  ObjectType: string;
  ParentLink_RecID: string;
  CreatedBy: string;
  CreatedDateTime: string;
}

/** One file of an upload, as the attachment endpoint receives it. */
export interface UploadFile {
  fileName: string;
  data: Buffer;
  contentType?: string | undefined;
}

/** ISM's per-file answer to an upload: the attachment's RecId, or why the file was refused. */
export interface UploadResult {
  FileName: string;
  IsUploaded: boolean;
  Message: string;
}

/** The view of the store that `sim.store` offers: copies of records, never live objects. */
export interface SimulatorStore {
  incidents(): FieldMap[];
  notes(): FieldMap[];
  employees(): FieldMap[];
  findIncidentByNumber(incidentNumber: number): FieldMap | undefined;
  findIncidentByRecId(recId: string): FieldMap | undefined;
  findNoteByRecId(recId: string): FieldMap | undefined;
  findEmployeeByLoginId(loginId: string): FieldMap | undefined;
  findEmployeeByEmail(email: string): FieldMap | undefined;
  notesFor(incidentRecId: string): FieldMap[];
  /** Every attachment, oldest first. */
  attachments(): AttachmentRecord[];
  /** The attachments of one incident (by its RecId), oldest first. */
  attachmentsFor(incidentRecId: string): AttachmentRecord[];
  findAttachmentByRecId(recId: string): AttachmentRecord | undefined;
  /** A copy of an attachment's bytes. */
  attachmentContent(recId: string): Buffer | undefined;
  /**
   * Attaches a file to an incident as `POST api/rest/Attachment` would; throws IsmError when the
   * incident does not exist or the file is refused (a name already attached, a blocked type).
   */
  createAttachment(incidentRecId: string, fileName: string, content: Buffer | string, options?: { user?: string; contentType?: string }): AttachmentRecord;
  /** Extensions refused by the attachment endpoint (lower case, no dot); change it at any time. */
  readonly blockedExtensions: Set<string>;
  counts(): { incidents: number; notes: number; employees: number };
  /** The number the next created incident gets. */
  nextIncidentNumber(): number;
  /** Creates an incident as `POST incidents` would (same validation); throws IsmError on a broken rule. */
  createIncident(fields: Record<string, unknown>, options?: { user?: string }): FieldMap;
  /** Adds a journal note as `POST journal__notess` would; throws IsmError on a broken rule. */
  createNote(fields: Record<string, unknown>, options?: { user?: string }): FieldMap;
  /** Forgets every change and loads the seed again (the current one unless given). */
  reset(seed?: SeedData): void;
}

type IncidentList = keyof SeedValidationLists['incident'];
const INCIDENT_LISTS: readonly IncidentList[] = ['Status', 'Impact', 'Urgency', 'TypeOfIncident', 'Source', 'Category', 'CauseCode'];

/** Fields ISM fills itself; values sent for them are ignored (a seed may set the system ones). */
const INCIDENT_DERIVED: ReadonlySet<string> = new Set([
  'ActualCategory', 'ActualCategory_Valid', 'ActualService', 'ActualService_Valid', 'Approver_Valid', 'Category_Valid',
  'CauseCode_Valid', 'ClosedDuration', 'CostPerMinute_CurrencyValid', 'Cost_CurrencyValid', 'CreatedByType',
  'CustomerDepartment', 'CustomerLocation', 'CustomerLocation_Valid', 'Email', 'EntityLink', 'EntityLink_Category',
  'EntityLink_RecID', 'HoursOfOperation_Valid', 'Impact_Valid', 'IncidentNetworkUserName', 'IsInFinalState',
  'IsNewRecord', 'IsVIP', 'LoginId', 'OrgUnitLink', 'OrgUnitLink_Category', 'OrgUnitLink_RecID', 'OrganizationUnitID',
  'OwnerEmail', 'OwnerTeamEmail', 'OwnerTeam_Valid', 'OwnerType', 'Owner_Valid', 'OwnershipAssignmentEmail',
  'OwningOrgUnitId_Valid', 'Phone', 'Priority', 'Priority_Valid', 'ProfileFullName', 'ProfileLink_Category',
  'ProgressBarPosition', 'ReadOnly', 'ReportingOrgUnitID', 'ReportingOrgUnitID_Valid', 'ResolvedByIncidentNumber',
  'Service_Valid', 'SocialTextHeader', 'Source_Valid', 'Status_Valid', 'TeamManagerEmail', 'TotalTimeSpent',
  'Urgency_Valid', 'helpdesk_Priority_Valid',
]);
const INCIDENT_SYSTEM: ReadonlySet<string> = new Set([
  'RecId', 'IncidentNumber', 'CreatedBy', 'CreatedDateTime', 'LastModBy', 'LastModDateTime', 'ResolvedBy',
  'ResolvedDateTime', 'ClosedBy', 'ClosedDateTime',
]);
const INCIDENT_IGNORED: ReadonlySet<string> = new Set([...INCIDENT_DERIVED, ...INCIDENT_SYSTEM]);

/** Required incident fields with the display names ISM's messages use. */
const INCIDENT_REQUIRED: ReadonlyArray<readonly [string, string]> = [
  ['ProfileLink', 'Customer'],
  ['Subject', 'Summary'],
  ['Symptom', 'Description'],
];

const NOTE_DERIVED: ReadonlySet<string> = new Set([
  'DisplayText', 'Source_Valid', 'Category_Valid', 'JournalType', 'Owner_Valid', 'Owner', 'OwnerTeam_Valid',
  'OwnerTeam', 'OwnerType', 'TypeAlias', 'ReadOnly', 'IsNewRecord', 'ParentOwner', 'UnreadTransition', 'ParentLink_Category',
]);
const NOTE_SYSTEM: ReadonlySet<string> = new Set(['RecId', 'CreatedBy', 'CreatedDateTime', 'LastModBy', 'LastModDateTime']);
const NOTE_IGNORED: ReadonlySet<string> = new Set([...NOTE_DERIVED, ...NOTE_SYSTEM]);

const STATUS_PROGRESS: Readonly<Record<string, string>> = {
  logged: '1', active: '2', 'waiting for customer': '3', 'waiting for 3rd party': '3', 'waiting for resolution': '3',
  resolved: '4', closed: '5',
};

const LEVELS: Readonly<Record<string, number>> = { low: 0, medium: 1, high: 2 };

/** ISM's default matrix: High/High is 1, Low/Low is 5, one step per level in between. */
export function priorityFor(impact: Scalar | undefined, urgency: Scalar | undefined): string {
  const level = (v: Scalar | undefined): number => LEVELS[String(v ?? 'low').toLowerCase()] ?? 0;
  return String(5 - level(impact) - level(urgency));
}

/** `2026-11-27T18:45:00-07:00`: ISM's timestamp shape, seconds precision with an offset. */
export function formatTimestamp(date: Date, offsetMinutes: number): string {
  const shifted = new Date(date.getTime() + offsetMinutes * 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${shifted.toISOString().slice(0, 19)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

export function newRecId(): string {
  return randomBytes(16).toString('hex').toUpperCase();
}

const validIds = new Map<string, string>();
/** A stable RecId for a value of a validation list (what ISM stores in `<Field>_Valid`). */
export function validRecId(list: string, value: string): string {
  const key = `${list}\u0000${value.toLowerCase()}`;
  let id = validIds.get(key);
  if (id === undefined) {
    id = createHash('md5').update(key).digest('hex').toUpperCase();
    validIds.set(key, id);
  }
  return id;
}

const INVALID = Symbol('invalid');

function coerce(value: unknown, type: ValueType): Scalar | typeof INVALID {
  if (value === null) return type === 'boolean' ? false : null;
  switch (type) {
    case 'string':
    case 'datetime':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      return INVALID;
    case 'integer':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
      return INVALID;
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
      return INVALID;
  }
}

const EXPECTED: Readonly<Record<ValueType, string>> = {
  string: 'a string',
  datetime: 'a date and time',
  integer: 'an integer',
  boolean: 'true or false',
};

function isBlank(value: Scalar | undefined): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

function text(value: Scalar | undefined): string | null {
  return isBlank(value) ? null : String(value);
}

interface TeamInfo {
  Name: string;
  RecId: string;
  Email: string | null;
  Manager: string | null;
}

interface WriteOptions {
  /** Seeds may set system fields (RecId, IncidentNumber, timestamps, ...). */
  trusted?: boolean;
}

export class TenantStore implements SimulatorStore {
  readonly incidentSchema: ObjectSchema = incidentSchema();
  readonly noteSchema: ObjectSchema = noteSchema();
  employeeSchema!: ObjectSchema;

  readonly incidentTable = new Table(['RecId', 'IncidentNumber', 'ProfileLink', 'Owner']);
  readonly noteTable = new Table(['RecId', 'ParentLink_RecID']);
  readonly employeeTable = new Table(['RecId', 'LoginID', 'PrimaryEmail', 'DisplayName']);

  private seed!: SeedData;
  private lists!: Map<string, Map<string, string>>;
  private teams!: Map<string, TeamInfo>;
  private counter = 10001;
  private readonly clock: () => Date;
  private readonly offset: number | undefined;
  /** Attachments by RecId, in creation order, with their bytes. */
  private readonly files = new Map<string, { record: AttachmentRecord; data: Buffer }>();
  readonly blockedExtensions: Set<string>;

  constructor(seed: SeedData, options: StoreOptions = {}) {
    this.clock = options.clock ?? (() => new Date());
    this.offset = options.utcOffsetMinutes;
    this.blockedExtensions = new Set((options.blockedExtensions ?? BLOCKED_EXTENSIONS).map((e) => e.replace(/^\./, '').toLowerCase()));
    this.load(seed);
  }

  // -------------------------------------------------------------------------------------------
  // Loading

  reset(seed?: SeedData): void {
    this.load(seed ?? this.seed);
  }

  private load(seed: SeedData): void {
    this.seed = structuredClone(seed);
    this.incidentTable.clear();
    this.noteTable.clear();
    this.employeeTable.clear();
    this.files.clear();
    this.counter = 10001;

    this.lists = new Map();
    for (const [object, group] of [['Incident', seed.validationLists.incident], ['Journal#Notes', seed.validationLists.note]] as const) {
      for (const [field, values] of Object.entries(group) as Array<[string, string[]]>) {
        this.lists.set(`${object}.${field}`, new Map(values.map((v) => [v.toLowerCase(), v])));
      }
    }

    this.teams = new Map();
    for (const team of seed.teams ?? []) this.addTeam(team);

    const extraFields = new Map<string, FieldType>();
    for (const e of seed.employees) {
      for (const [k, v] of Object.entries(e)) {
        if (v === undefined || extraFields.has(k)) continue;
        extraFields.set(k, typeof v === 'boolean' ? 'boolean' : typeof v === 'number' ? 'integer' : 'string');
      }
    }
    this.employeeSchema = employeeSchema(extraFields);
    for (const e of seed.employees) {
      const record: FieldMap = {};
      for (const f of this.employeeSchema.fields) record[f] = this.employeeSchema.typeOf(f) === 'boolean' ? false : null;
      for (const [k, v] of Object.entries(e)) if (v !== undefined) record[k] = v;
      record.RecId = String(e.RecId).toUpperCase();
      record.Status ??= 'Active';
      if (record.OrgUnitLink_RecID === null && !isBlank(record.OrgUnit)) {
        record.OrgUnitLink_RecID = validRecId('OrganizationalUnit', String(record.OrgUnit));
      }
      record.CreatedBy ??= 'admin';
      record.CreatedDateTime ??= '2025-06-02T08:00:00+00:00';
      record.LastModBy ??= record.CreatedBy;
      record.LastModDateTime ??= record.CreatedDateTime;
      if (this.employeeTable.get(record.RecId as string)) throw new Error(`seed: duplicate employee RecId ${record.RecId}`);
      this.employeeTable.insert(record);
      if (!isBlank(record.Team) && !this.teams.has(String(record.Team).toLowerCase())) this.addTeam({ Name: String(record.Team) });
    }

    const seeder: Actor = { user: 'admin' };
    (seed.incidents ?? []).forEach((incident, i) => {
      try {
        this.writeIncident(undefined, incident, { user: text(incident.CreatedBy) ?? seeder.user }, { trusted: true });
      } catch (err) {
        throw new Error(`seed: incidents[${i}]: ${(err as Error).message}`);
      }
    });
    (seed.notes ?? []).forEach((note, i) => {
      const fields: Record<string, Scalar> = { ...note };
      if (fields.IncidentNumber !== undefined) {
        const parent = this.incidentTable.lookup('IncidentNumber', String(fields.IncidentNumber))?.[0];
        if (!parent) throw new Error(`seed: notes[${i}]: no incident ${String(fields.IncidentNumber)}`);
        fields.ParentLink_RecID = parent.data.RecId ?? null;
        delete fields.IncidentNumber;
      }
      try {
        this.writeNote(undefined, fields, { user: text(fields.CreatedBy) ?? seeder.user }, { trusted: true });
      } catch (err) {
        throw new Error(`seed: notes[${i}]: ${(err as Error).message}`);
      }
    });
  }

  private addTeam(team: SeedTeam): void {
    this.teams.set(team.Name.toLowerCase(), {
      Name: team.Name,
      RecId: team.RecId?.toUpperCase() ?? validRecId('Team', team.Name),
      Email: team.Email ?? null,
      Manager: team.Manager ?? null,
    });
  }

  // -------------------------------------------------------------------------------------------
  // Lookups

  employeeByRecId(recId: string): StoredRow | undefined {
    return this.employeeTable.get(recId);
  }

  employeeByLogin(login: string): StoredRow | undefined {
    return this.employeeTable.lookup('LoginID', login)?.[0];
  }

  private now(): { date: Date; stamp: string } {
    const date = this.clock();
    const offset = this.offset ?? -date.getTimezoneOffset();
    return { date, stamp: formatTimestamp(date, offset) };
  }

  private listValue(list: string, value: string): string | undefined {
    return this.lists.get(list)?.get(value.toLowerCase());
  }

  private valid(list: string, value: Scalar | undefined): string | null {
    return isBlank(value) ? null : validRecId(list, String(value));
  }

  // -------------------------------------------------------------------------------------------
  // Reading a write's payload

  /**
   * Checks a payload against the object's fields: an empty or non-object body, unknown field
   * names and values of the wrong type are refused with ISM's messages. Fields ISM fills itself
   * are dropped (kept only for trusted seed writes).
   */
  private readPayload(body: unknown, schema: ObjectSchema, ignored: ReadonlySet<string>, system: ReadonlySet<string>, trusted: boolean): Map<string, Scalar> {
    if (body === undefined || body === null || (typeof body === 'string' && body.trim() === '')) throw badRequest(MESSAGES.emptyBody);
    if (typeof body !== 'object' || Array.isArray(body)) throw badRequest(MESSAGES.invalidJson);
    const entries = Object.entries(body as Record<string, unknown>).filter(([k]) => !k.startsWith('@odata.'));
    if (entries.length === 0) throw badRequest(MESSAGES.emptyBody);
    const messages: string[] = [];
    const input = new Map<string, Scalar>();
    for (const [key, raw] of entries) {
      if (!schema.has(key)) {
        messages.push(MESSAGES.unknownField(key, schema.typeName));
        continue;
      }
      const type = schema.typeOf(key);
      const value = coerce(raw, type);
      if (value === INVALID) {
        messages.push(MESSAGES.invalidValue(`${schema.typeName}.${key}`, EXPECTED[type]));
        continue;
      }
      if (ignored.has(key) && !(trusted && system.has(key))) continue;
      input.set(key, value);
    }
    if (messages.length > 0) throw badRequest(...messages);
    return input;
  }

  // -------------------------------------------------------------------------------------------
  // Incidents

  createIncident(fields: Record<string, unknown>, options: { user?: string } = {}): FieldMap {
    return { ...this.writeIncident(undefined, fields, { user: options.user ?? 'admin' }).data };
  }

  /** Creates (row undefined) or updates an incident; returns the stored row. */
  writeIncident(row: StoredRow | undefined, body: unknown, actor: Actor, options: WriteOptions = {}): StoredRow {
    const trusted = options.trusted === true;
    const input = this.readPayload(body, this.incidentSchema, INCIDENT_IGNORED, INCIDENT_SYSTEM, trusted);
    if (input.has('ProfileLink_RecID')) {
      if (!input.has('ProfileLink')) input.set('ProfileLink', input.get('ProfileLink_RecID') ?? null);
      input.delete('ProfileLink_RecID');
    }

    // Validation lists (and Owner, validated against employees' login IDs).
    const messages: string[] = [];
    for (const field of INCIDENT_LISTS) {
      const value = input.get(field);
      if (!input.has(field) || isBlank(value)) continue;
      const canonical = this.listValue(`Incident.${field}`, String(value));
      if (canonical === undefined) messages.push(MESSAGES.notInList(String(value), `Incident.${field}`));
      else input.set(field, canonical);
    }
    if (input.has('Owner') && !isBlank(input.get('Owner'))) {
      const owner = this.employeeByLogin(String(input.get('Owner')));
      if (!owner) messages.push(MESSAGES.notInList(String(input.get('Owner')), 'Incident.Owner'));
      else input.set('Owner', owner.data.LoginID ?? null);
    }
    if (input.has('OwnerTeam') && !isBlank(input.get('OwnerTeam'))) {
      const team = this.teams.get(String(input.get('OwnerTeam')).toLowerCase());
      if (!team) messages.push(MESSAGES.notInList(String(input.get('OwnerTeam')), 'Incident.OwnerTeam'));
      else input.set('OwnerTeam', team.Name);
    }
    if (messages.length > 0) throw badRequest(...messages);

    const before = row?.data;
    const record: FieldMap = before ? { ...before } : this.blankIncident();
    for (const [k, v] of input) record[k] = v;
    if (!before && isBlank(record.Status)) record.Status = 'Logged';

    // Required fields.
    const recordName = before ? `Incident(${String(before.IncidentNumber)})` : 'Incident((new))';
    const required: Array<readonly [string, string]> = before ? [...INCIDENT_REQUIRED, ['Status', 'Status']] : [...INCIDENT_REQUIRED];
    for (const [field, display] of required) {
      if ((before === undefined || input.has(field)) && isBlank(record[field])) {
        messages.push(MESSAGES.required(recordName, `Incident.${display}`));
      }
    }
    if (messages.length > 0) throw badRequest(...messages);

    // The customer must be an employee.
    let customer: StoredRow | undefined;
    if (before === undefined || input.has('ProfileLink')) {
      customer = this.employeeByRecId(String(record.ProfileLink));
      if (!customer) {
        throw badRequest(`Incident.ProfileLink: ${MESSAGES.recordNotFound(String(record.ProfileLink), 'employee')}`);
      }
      record.ProfileLink = customer.data.RecId ?? null;
    }

    // Status rules (prompt-gated transitions).
    if (before === undefined || input.has('Status')) {
      const status = String(record.Status);
      const needs =
        status === 'Active' ? ['Category', 'Owner'] : status === 'Resolved' || status === 'Closed' ? ['CauseCode', 'Resolution'] : [];
      const missing = needs.filter((f) => isBlank(record[f]));
      if (missing.length > 0) {
        const name = before ? `Incident ${String(before.IncidentNumber)}` : 'Incident (new)';
        throw badRequest(MESSAGES.prompt(name, status, missing));
      }
    }

    // Identity of a new record.
    if (!before) {
      const givenNumber = trusted ? input.get('IncidentNumber') : undefined;
      if (typeof givenNumber === 'number') {
        if (this.incidentTable.lookup('IncidentNumber', String(givenNumber))?.length) {
          throw badRequest(`IncidentNumber ${givenNumber} is already used`);
        }
        record.IncidentNumber = givenNumber;
      } else {
        record.IncidentNumber = this.counter;
      }
      this.counter = Math.max(this.counter, (record.IncidentNumber as number) + 1);
      const givenRecId = trusted ? text(input.get('RecId')) : null;
      record.RecId = givenRecId ? givenRecId.toUpperCase() : newRecId();
      if (this.incidentTable.get(record.RecId)) throw badRequest(`RecId ${record.RecId} is already used`);
    }

    const givenStamp = trusted ? text(input.get('CreatedDateTime')) : null;
    const now = givenStamp && !before ? { date: new Date(Date.parse(givenStamp)), stamp: givenStamp } : this.now();
    const statusChanged = !before || (input.has('Status') && String(before.Status) !== String(record.Status));
    this.deriveIncident(record, {
      created: !before,
      customer,
      ownerChanged: !before || input.has('Owner'),
      teamChanged: input.has('OwnerTeam'),
      statusChanged,
      actor,
      now,
    });
    if (trusted) {
      for (const field of INCIDENT_SYSTEM) {
        if (field === 'RecId' || field === 'IncidentNumber') continue;
        if (input.has(field)) record[field] = input.get(field) ?? null;
      }
      if (record.Status === 'Closed' && typeof record.ClosedDateTime === 'string' && typeof record.CreatedDateTime === 'string') {
        record.ClosedDuration = Math.max(0, Math.round((Date.parse(record.ClosedDateTime) - Date.parse(record.CreatedDateTime)) / 60_000));
      }
    }

    if (row) {
      this.incidentTable.replace(row, record);
      return row;
    }
    return this.incidentTable.insert(record);
  }

  private blankIncident(): FieldMap {
    const record: FieldMap = {};
    for (const field of this.incidentSchema.fields) {
      const type = this.incidentSchema.typeOf(field);
      record[field] = type === 'boolean' ? false : type === 'integer' ? 0 : null;
    }
    Object.assign(record, {
      Service: 'Service Desk',
      HoursOfOperation: 'Weekly HOP',
      OwningOrgUnitId: 'Corporate IT Operations',
      Cost: '0.0000',
      Cost_Currency: 'USD',
      CostPerMinute: '0.4000',
      CostPerMinute_Currency: 'USD',
      CreatedByType: 'Web Client',
      IsNotification: true,
    });
    return record;
  }

  private deriveIncident(
    record: FieldMap,
    ctx: {
      created: boolean;
      customer: StoredRow | undefined;
      ownerChanged: boolean;
      teamChanged: boolean;
      statusChanged: boolean;
      actor: Actor;
      now: { date: Date; stamp: string };
    },
  ): void {
    const { now, actor } = ctx;
    if (ctx.customer) {
      const c = ctx.customer.data;
      const orgUnit = text(c.OrgUnit);
      const orgId = text(c.OrgUnitLink_RecID) ?? (orgUnit ? validRecId('OrganizationalUnit', orgUnit) : null);
      Object.assign(record, {
        ProfileLink_RecID: c.RecId,
        ProfileLink_Category: 'Employee',
        ProfileFullName: c.DisplayName,
        Email: c.PrimaryEmail,
        Phone: c.Phone ?? null,
        LoginId: c.LoginID,
        IncidentNetworkUserName: c.LoginID,
        CustomerLocation: text(c.Location),
        CustomerLocation_Valid: this.valid('Location', c.Location),
        CustomerDepartment: text(c.Department),
        IsVIP: c.IsVIP === true,
        OrganizationUnitID: orgUnit,
        ReportingOrgUnitID: orgUnit,
        ReportingOrgUnitID_Valid: orgId,
        OrgUnitLink: orgId,
        OrgUnitLink_RecID: orgId,
        OrgUnitLink_Category: orgId ? 'OrganizationalUnit' : null,
        EntityLink: orgId,
        EntityLink_RecID: orgId,
        EntityLink_Category: orgId ? 'OrganizationalUnit' : null,
      });
    }

    if (ctx.ownerChanged) {
      const owner = isBlank(record.Owner) ? undefined : this.employeeByLogin(String(record.Owner));
      if (owner) {
        const o = owner.data;
        Object.assign(record, {
          Owner: o.LoginID,
          Owner_Valid: o.RecId,
          OwnerType: 'Employee',
          OwnerEmail: o.PrimaryEmail,
          OwnershipAssignmentEmail: o.PrimaryEmail,
        });
        if (!ctx.teamChanged && !isBlank(o.Team)) record.OwnerTeam = String(o.Team);
      } else {
        Object.assign(record, { Owner: null, Owner_Valid: null, OwnerType: null, OwnerEmail: null, OwnershipAssignmentEmail: null });
      }
    }
    if (ctx.ownerChanged || ctx.teamChanged || ctx.created) {
      const team = isBlank(record.OwnerTeam) ? undefined : this.teams.get(String(record.OwnerTeam).toLowerCase());
      const manager = team?.Manager ? this.employeeByLogin(team.Manager) : undefined;
      Object.assign(record, {
        OwnerTeam: team?.Name ?? text(record.OwnerTeam),
        OwnerTeam_Valid: team?.RecId ?? null,
        OwnerTeamEmail: team?.Email ?? null,
        TeamManagerEmail: manager?.data.PrimaryEmail ?? null,
      });
    }

    record.ActualCategory = text(record.Category);
    record.ActualService = text(record.Service);
    record.Priority = priorityFor(record.Impact, record.Urgency);
    for (const field of ['Status', 'Impact', 'Urgency', 'Source', 'Category', 'CauseCode', 'Priority', 'Service', 'HoursOfOperation', 'OwningOrgUnitId', 'Approver', 'helpdesk_Priority']) {
      record[`${field}_Valid`] = this.valid(`Incident.${field}`, record[field]);
    }
    record.ActualCategory_Valid = record.Category_Valid ?? null;
    record.ActualService_Valid = record.Service_Valid ?? null;
    record.Cost_CurrencyValid = this.valid('Currency', record.Cost_Currency);
    record.CostPerMinute_CurrencyValid = this.valid('Currency', record.CostPerMinute_Currency);
    record.SocialTextHeader = `Incident ${String(record.IncidentNumber)}: ${String(record.Subject ?? '')}`;

    if (ctx.statusChanged) {
      const status = String(record.Status);
      record.ProgressBarPosition = STATUS_PROGRESS[status.toLowerCase()] ?? '1';
      if (status === 'Resolved') {
        Object.assign(record, { ResolvedBy: actor.user, ResolvedDateTime: now.stamp, ClosedBy: null, ClosedDateTime: null, IsInFinalState: false, ClosedDuration: 0 });
      } else if (status === 'Closed') {
        Object.assign(record, { ClosedBy: actor.user, ClosedDateTime: now.stamp, IsInFinalState: true });
        if (isBlank(record.ResolvedBy)) Object.assign(record, { ResolvedBy: actor.user, ResolvedDateTime: now.stamp });
        const created = Date.parse(String(record.CreatedDateTime));
        record.ClosedDuration = Number.isNaN(created) ? 0 : Math.max(0, Math.round((now.date.getTime() - created) / 60_000));
      } else {
        Object.assign(record, { ResolvedBy: null, ResolvedDateTime: null, ClosedBy: null, ClosedDateTime: null, IsInFinalState: false, ClosedDuration: 0 });
      }
    }

    if (ctx.created) {
      record.CreatedBy = actor.user;
      record.CreatedDateTime = now.stamp;
    }
    record.LastModBy = actor.user;
    record.LastModDateTime = now.stamp;
  }

  /** Deletes an incident with its notes and attachments; a closed incident cannot be deleted. Returns the notes removed. */
  deleteIncident(row: StoredRow): number {
    if (row.data.Status === 'Closed') throw badRequest(MESSAGES.closedDelete(String(row.data.IncidentNumber)));
    const notes = [...(this.noteTable.lookup('ParentLink_RecID', String(row.data.RecId)) ?? [])];
    for (const note of notes) this.noteTable.remove(note);
    for (const [recId, file] of this.files) if (file.record.ParentLink_RecID === row.data.RecId) this.files.delete(recId);
    this.incidentTable.remove(row);
    return notes.length;
  }

  // -------------------------------------------------------------------------------------------
  // Attachments

  /**
   * Why ISM would refuse this file on this record, or undefined: a name already attached to the
   * record (names compare case-insensitively), or an extension the tenant blocks. `taken` holds
   * the names accepted earlier in the same upload.
   */
  private refusal(parentRecId: string, fileName: string, taken: ReadonlySet<string>): string | undefined {
    // Windows drops trailing dots and spaces: `virus.exe.` is `virus.exe`.
    const effective = fileName.replace(/[. ]+$/, '');
    const dot = effective.lastIndexOf('.');
    const extension = dot >= 0 ? effective.slice(dot + 1).toLowerCase() : '';
    if (extension !== '' && this.blockedExtensions.has(extension)) return MESSAGES.attachmentTypeRefused(fileName, extension);
    const lower = fileName.toLowerCase();
    const clash = taken.has(lower) || [...this.files.values()].some((f) => f.record.ParentLink_RecID === parentRecId && f.record.FileName.toLowerCase() === lower);
    if (clash) return MESSAGES.attachmentExists(fileName);
    return undefined;
  }

  /** Stores the files of one upload on a record; one result per file, in order (refused files are not stored). */
  uploadFiles(parent: StoredRow, objectType: string, files: readonly UploadFile[], actor: Actor): UploadResult[] {
    const parentRecId = String(parent.data.RecId);
    const taken = new Set<string>();
    return files.map((file) => {
      const refused = this.refusal(parentRecId, file.fileName, taken);
      if (refused !== undefined) return { FileName: file.fileName, IsUploaded: false, Message: refused };
      taken.add(file.fileName.toLowerCase());
      const record: AttachmentRecord = {
        RecId: newRecId(),
        FileName: file.fileName,
        Size: file.data.length,
        ContentType: file.contentType ?? null,
        Sha256: createHash('sha256').update(file.data).digest('hex'),
        ObjectType: objectType,
        ParentLink_RecID: parentRecId,
        CreatedBy: actor.user,
        CreatedDateTime: this.now().stamp,
      };
      // A copy: the upload's data is a view of the whole request body.
      this.files.set(record.RecId, { record, data: Buffer.from(file.data) });
      return { FileName: file.fileName, IsUploaded: true, Message: record.RecId };
    });
  }

  createAttachment(incidentRecId: string, fileName: string, content: Buffer | string, options: { user?: string; contentType?: string } = {}): AttachmentRecord {
    const parent = this.incidentTable.get(incidentRecId);
    if (!parent) throw badRequest(MESSAGES.recordNotFound(incidentRecId, 'incident'));
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const [result] = this.uploadFiles(parent, 'incident#', [{ fileName, data, contentType: options.contentType }], { user: options.user ?? 'admin' });
    if (!result?.IsUploaded) throw badRequest(result?.Message ?? 'Upload Failed');
    return { ...(this.files.get(result.Message) as { record: AttachmentRecord }).record };
  }

  attachments(): AttachmentRecord[] {
    return [...this.files.values()].map((f) => ({ ...f.record }));
  }

  attachmentsFor(incidentRecId: string): AttachmentRecord[] {
    const id = incidentRecId.toUpperCase();
    return [...this.files.values()].filter((f) => f.record.ParentLink_RecID === id).map((f) => ({ ...f.record }));
  }

  findAttachmentByRecId(recId: string): AttachmentRecord | undefined {
    const file = this.files.get(recId.toUpperCase());
    return file ? { ...file.record } : undefined;
  }

  attachmentContent(recId: string): Buffer | undefined {
    const file = this.files.get(recId.toUpperCase());
    return file ? Buffer.from(file.data) : undefined;
  }

  // -------------------------------------------------------------------------------------------
  // Journal notes

  createNote(fields: Record<string, unknown>, options: { user?: string } = {}): FieldMap {
    return { ...this.writeNote(undefined, fields, { user: options.user ?? 'admin' }).data };
  }

  writeNote(row: StoredRow | undefined, body: unknown, actor: Actor, options: WriteOptions = {}): StoredRow {
    const trusted = options.trusted === true;
    const input = this.readPayload(body, this.noteSchema, NOTE_IGNORED, NOTE_SYSTEM, trusted);
    if (input.has('ParentLink')) {
      if (!input.has('ParentLink_RecID')) input.set('ParentLink_RecID', input.get('ParentLink') ?? null);
      input.delete('ParentLink');
    }
    const messages: string[] = [];
    for (const field of ['Category', 'Source'] as const) {
      const value = input.get(field);
      if (!input.has(field) || isBlank(value)) continue;
      const canonical = this.listValue(`Journal#Notes.${field}`, String(value));
      if (canonical === undefined) messages.push(MESSAGES.notInList(String(value), `Journal#Notes.${field}`));
      else input.set(field, canonical);
    }
    if (messages.length > 0) throw badRequest(...messages);

    const before = row?.data;
    const record: FieldMap = before ? { ...before } : this.blankNote();
    for (const [k, v] of input) record[k] = v;
    if (isBlank(record.Category)) record.Category = this.listValue('Journal#Notes.Category', 'Memo') ?? 'Memo';

    const recordName = before ? `Journal#Notes(${String(before.RecId)})` : 'Journal#Notes((new))';
    for (const [field, display] of [['ParentLink_RecID', 'ParentLink'], ['Subject', 'Subject']] as const) {
      if ((before === undefined || input.has(field)) && isBlank(record[field])) {
        messages.push(MESSAGES.required(recordName, `Journal#Notes.${display}`));
      }
    }
    if (messages.length > 0) throw badRequest(...messages);

    const category = text(body !== null && typeof body === 'object' ? ((body as Record<string, unknown>).ParentLink_Category as Scalar) : null);
    let parent: StoredRow | undefined;
    if (before === undefined || input.has('ParentLink_RecID')) {
      if (category !== null && category.toLowerCase() !== 'incident') {
        throw badRequest(MESSAGES.recordNotFound(String(record.ParentLink_RecID), category.toLowerCase()));
      }
      parent = this.incidentTable.get(String(record.ParentLink_RecID));
      if (!parent) throw badRequest(MESSAGES.recordNotFound(String(record.ParentLink_RecID), 'incident'));
    } else {
      parent = this.incidentTable.get(String(record.ParentLink_RecID ?? ''));
    }

    if (!before) {
      const givenRecId = trusted ? text(input.get('RecId')) : null;
      record.RecId = givenRecId ? givenRecId.toUpperCase() : newRecId();
      if (this.noteTable.get(record.RecId)) throw badRequest(`RecId ${record.RecId} is already used`);
    }
    const now = this.now();
    if (parent) {
      Object.assign(record, {
        ParentLink_RecID: parent.data.RecId,
        ParentLink: parent.data.RecId,
        ParentLink_Category: 'Incident',
        ParentOwner: parent.data.Owner ?? null,
      });
    }
    record.DisplayText = isBlank(record.NotesBody) ? String(record.Subject ?? '') : `${String(record.Subject ?? '')} ${String(record.NotesBody)}`;
    record.Category_Valid = this.valid('Journal#Notes.Category', record.Category);
    record.Source_Valid = this.valid('Journal#Notes.Source', record.Source);
    if (!before) {
      const author = this.employeeByLogin(actor.user);
      const team = author && !isBlank(author.data.Team) ? this.teams.get(String(author.data.Team).toLowerCase()) : undefined;
      Object.assign(record, {
        Owner: author?.data.LoginID ?? actor.user,
        Owner_Valid: author?.data.RecId ?? null,
        OwnerType: 'Employee',
        OwnerTeam: team?.Name ?? null,
        OwnerTeam_Valid: team?.RecId ?? null,
        CreatedBy: actor.user,
        CreatedDateTime: now.stamp,
      });
    }
    record.LastModBy = actor.user;
    record.LastModDateTime = now.stamp;
    if (trusted) {
      for (const field of NOTE_SYSTEM) {
        if (field !== 'RecId' && input.has(field)) record[field] = input.get(field) ?? null;
      }
      if (input.has('CreatedDateTime') && !input.has('LastModDateTime')) record.LastModDateTime = record.CreatedDateTime ?? null;
      if (input.has('CreatedBy') && !input.has('LastModBy')) record.LastModBy = record.CreatedBy ?? null;
    }

    if (row) {
      this.noteTable.replace(row, record);
      return row;
    }
    return this.noteTable.insert(record);
  }

  private blankNote(): FieldMap {
    const record: FieldMap = {};
    for (const field of this.noteSchema.fields) {
      const type = this.noteSchema.typeOf(field);
      record[field] = type === 'boolean' ? false : type === 'integer' ? 0 : null;
    }
    Object.assign(record, { JournalType: 'Notes', TypeAlias: 'Journal#Notes', IsUnRead: true, ParentLink_Category: 'Incident' });
    return record;
  }

  deleteNote(row: StoredRow): void {
    this.noteTable.remove(row);
  }

  /** Links a note to an incident (`PATCH incidents('R')/IncidentContainsJournal('N')/$Ref`). */
  linkNote(incident: StoredRow, note: StoredRow, actor: Actor): void {
    const now = this.now();
    this.noteTable.replace(note, {
      ...note.data,
      ParentLink_RecID: incident.data.RecId ?? null,
      ParentLink: incident.data.RecId ?? null,
      ParentLink_Category: 'Incident',
      ParentOwner: incident.data.Owner ?? null,
      LastModBy: actor.user,
      LastModDateTime: now.stamp,
    });
  }

  /** Removes a note's link to its incident (`DELETE .../IncidentContainsJournal('N')/$Ref`). */
  unlinkNote(note: StoredRow, actor: Actor): void {
    const now = this.now();
    this.noteTable.replace(note, {
      ...note.data,
      ParentLink_RecID: null,
      ParentLink: null,
      ParentOwner: null,
      LastModBy: actor.user,
      LastModDateTime: now.stamp,
    });
  }

  // -------------------------------------------------------------------------------------------
  // The test-facing view (copies only)

  incidents(): FieldMap[] {
    return this.incidentTable.inCreationOrder().map((r) => ({ ...r.data }));
  }

  notes(): FieldMap[] {
    return this.noteTable.inCreationOrder().map((r) => ({ ...r.data }));
  }

  employees(): FieldMap[] {
    return this.employeeTable.inCreationOrder().map((r) => ({ ...r.data }));
  }

  findIncidentByNumber(incidentNumber: number): FieldMap | undefined {
    const row = this.incidentTable.lookup('IncidentNumber', String(incidentNumber))?.[0];
    return row ? { ...row.data } : undefined;
  }

  findIncidentByRecId(recId: string): FieldMap | undefined {
    const row = this.incidentTable.get(recId);
    return row ? { ...row.data } : undefined;
  }

  findNoteByRecId(recId: string): FieldMap | undefined {
    const row = this.noteTable.get(recId);
    return row ? { ...row.data } : undefined;
  }

  findEmployeeByLoginId(loginId: string): FieldMap | undefined {
    const row = this.employeeByLogin(loginId);
    return row ? { ...row.data } : undefined;
  }

  findEmployeeByEmail(email: string): FieldMap | undefined {
    const row = this.employeeTable.lookup('PrimaryEmail', email)?.[0];
    return row ? { ...row.data } : undefined;
  }

  notesFor(incidentRecId: string): FieldMap[] {
    const rows = this.noteTable.lookup('ParentLink_RecID', incidentRecId) ?? [];
    return [...rows].sort((a, b) => a.seq - b.seq).map((r) => ({ ...r.data }));
  }

  counts(): { incidents: number; notes: number; employees: number } {
    return { incidents: this.incidentTable.size, notes: this.noteTable.size, employees: this.employeeTable.size };
  }

  nextIncidentNumber(): number {
    return this.counter;
  }
}
