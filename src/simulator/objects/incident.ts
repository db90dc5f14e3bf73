/**
 * Incidents: ISM's rules for writing them. Validation lists (and Owner and OwnerTeam checked
 * against employees and teams), required fields, the status rules (Active needs Category and
 * Owner, Resolved and Closed need CauseCode and Resolution), and everything ISM derives on save:
 * IncidentNumber, Priority, customer and owner fields, `_Valid` RecIds, timestamps.
 */

import type { Timestamp } from '../clock.js';
import { badRequest, MESSAGES } from '../errors.js';
import { INCIDENT_EXTRA_FIELDS, INCIDENT_FIELDS } from '../fields.js';
import { blankRecord, isBlank, readPayload, text, type PayloadRules } from '../payload.js';
import { newRecId, validRecId } from '../record-ids.js';
import { FieldCatalogue, type ObjectSchema } from '../schema.js';
import { Table, type StoredRow } from '../table.js';
import type { FieldMap, Scalar, SeedValidationLists } from '../types.js';
import type { Actor, BusinessObject, QuickAction, TenantRecords, WriteOptions } from './business-object.js';
import { incidentQuickActions } from './incident-quick-actions.js';

type IncidentList = keyof SeedValidationLists['incident'];
const INCIDENT_LISTS: readonly IncidentList[] = ['Status', 'Impact', 'Urgency', 'TypeOfIncident', 'Source', 'Category', 'CauseCode'];

/** Fields ISM fills itself; values sent for them are ignored (a seed may set the system ones). */
const DERIVED: ReadonlySet<string> = new Set([
  'ActualCategory', 'ActualCategory_Valid', 'ActualService', 'ActualService_Valid', 'Approver_Valid', 'Category_Valid',
  'CauseCode_Valid', 'ClosedDuration', 'CostPerMinute_CurrencyValid', 'Cost_CurrencyValid', 'CreatedByType',
  'CustomerDepartment', 'CustomerLocation', 'CustomerLocation_Valid', 'Email', 'EntityLink', 'EntityLink_Category',
  'EntityLink_RecID', 'HoursOfOperation_Valid', 'Impact_Valid', 'IncidentNetworkUserName', 'IsInFinalState',
  'IsNewRecord', 'IsVIP', 'LoginId', 'OrgUnitLink', 'OrgUnitLink_Category', 'OrgUnitLink_RecID', 'OrganizationUnitID',
  'OwnerEmail', 'OwnerTeamEmail', 'OwnerTeam_Valid', 'OwnerType', 'Owner_Valid', 'OwnershipAssignmentEmail',
  'OwningOrgUnitId_Valid', 'Phone', 'Priority', 'Priority_Valid', 'ProfileFullName', 'ProfileLink_Category',
  'ProgressBarPosition', 'ReadOnly', 'ReportingOrgUnitID', 'ReportingOrgUnitID_Valid', 'ResolvedByIncidentNumber',
  'Service_Valid', 'SocialTextHeader', 'Source_Valid', 'Status_Valid', 'TeamManagerEmail', 'TotalTimeSpent',
  'TypeOfIncident_Valid', 'Urgency_Valid', 'helpdesk_Priority_Valid',
]);
const SYSTEM: ReadonlySet<string> = new Set([
  'RecId', 'IncidentNumber', 'CreatedBy', 'CreatedDateTime', 'LastModBy', 'LastModDateTime', 'ResolvedBy',
  'ResolvedDateTime', 'ClosedBy', 'ClosedDateTime',
]);
const PAYLOAD: PayloadRules = { ignored: new Set([...DERIVED, ...SYSTEM]), system: SYSTEM };

/** Required incident fields with the display names ISM's messages use. */
const REQUIRED: ReadonlyArray<readonly [string, string]> = [
  ['ProfileLink', 'Customer'],
  ['Subject', 'Summary'],
  ['Symptom', 'Description'],
];

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

/** The first number of a tenant without incidents (demo tenants start at 10001). */
export const FIRST_INCIDENT_NUMBER = 10001;

interface DeriveContext {
  created: boolean;
  customer: StoredRow | undefined;
  ownerChanged: boolean;
  teamChanged: boolean;
  statusChanged: boolean;
  actor: Actor;
  now: Timestamp;
}

export class IncidentObject implements BusinessObject {
  readonly schema: ObjectSchema = new FieldCatalogue(
    { set: 'incidents', typeName: 'Incident', roleObject: 'Incident#', recordObject: 'incident' },
    [...INCIDENT_FIELDS, ...INCIDENT_EXTRA_FIELDS],
    ['Subject', 'Symptom', 'Resolution', 'ProfileFullName', 'Owner', 'IncidentNumber'],
  );
  readonly table = new Table(['RecId', 'IncidentNumber', 'ProfileLink', 'Owner']);
  readonly writable = true;
  readonly quickActions: readonly QuickAction[] = incidentQuickActions(this);
  private counter = FIRST_INCIDENT_NUMBER;

  constructor(private readonly tenant: TenantRecords) {}

  /** The number the next created incident gets. */
  get nextNumber(): number {
    return this.counter;
  }

  /**
   * Takes the next number without creating the incident, as ISM does for a create that has
   * not committed yet: incidents created meanwhile get higher numbers and are visible first.
   * The held incident appears later with `create(..., { trusted: true })` and this number.
   */
  holdNumber(): number {
    return this.counter++;
  }

  byNumber(incidentNumber: number | string): StoredRow | undefined {
    return this.table.lookup('IncidentNumber', String(incidentNumber))?.[0];
  }

  create(body: unknown, actor: Actor, options: WriteOptions = {}): StoredRow {
    return this.write(undefined, body, actor, options.trusted === true);
  }

  update(row: StoredRow, body: unknown, actor: Actor): void {
    this.write(row, body, actor, false);
  }

  checkDelete(row: StoredRow): void {
    if (row.data.Status === 'Closed') throw badRequest(MESSAGES.closedDelete(String(row.data.IncidentNumber)));
  }

  private write(row: StoredRow | undefined, body: unknown, actor: Actor, trusted: boolean): StoredRow {
    const { lists, teams } = this.tenant;
    const input = readPayload(body, this.schema, PAYLOAD, trusted);
    if (input.has('ProfileLink_RecID')) {
      if (!input.has('ProfileLink')) input.set('ProfileLink', input.get('ProfileLink_RecID') ?? null);
      input.delete('ProfileLink_RecID');
    }

    // Validation lists (and Owner, validated against employees' login IDs).
    const messages: string[] = [];
    for (const field of INCIDENT_LISTS) {
      const value = input.get(field);
      if (!input.has(field) || isBlank(value)) continue;
      const canonical = lists.value(`Incident.${field}`, String(value));
      if (canonical === undefined) messages.push(MESSAGES.notInList(String(value), `Incident.${field}`));
      else input.set(field, canonical);
    }
    if (input.has('Owner') && !isBlank(input.get('Owner'))) {
      const owner = this.tenant.employeeByLogin(String(input.get('Owner')));
      if (!owner) messages.push(MESSAGES.notInList(String(input.get('Owner')), 'Incident.Owner'));
      else input.set('Owner', owner.data.LoginID ?? null);
    }
    if (input.has('OwnerTeam') && !isBlank(input.get('OwnerTeam'))) {
      const team = teams.get(String(input.get('OwnerTeam')));
      if (!team) messages.push(MESSAGES.notInList(String(input.get('OwnerTeam')), 'Incident.OwnerTeam'));
      else input.set('OwnerTeam', team.Name);
    }
    if (messages.length > 0) throw badRequest(...messages);

    const before = row?.data;
    const record: FieldMap = before ? { ...before } : this.blank();
    for (const [k, v] of input) record[k] = v;
    if (!before && isBlank(record.Status)) record.Status = 'Logged';

    // Required fields.
    const recordName = before ? `Incident(${String(before.IncidentNumber)})` : 'Incident((new))';
    const required: Array<readonly [string, string]> = before ? [...REQUIRED, ['Status', 'Status']] : [...REQUIRED];
    for (const [field, display] of required) {
      if ((before === undefined || input.has(field)) && isBlank(record[field])) {
        messages.push(MESSAGES.required(recordName, `Incident.${display}`));
      }
    }
    if (messages.length > 0) throw badRequest(...messages);

    // The customer must be an employee.
    let customer: StoredRow | undefined;
    if (before === undefined || input.has('ProfileLink')) {
      customer = this.tenant.employeeByRecId(String(record.ProfileLink));
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
        if (this.byNumber(givenNumber)) throw badRequest(`IncidentNumber ${givenNumber} is already used`);
        record.IncidentNumber = givenNumber;
      } else {
        record.IncidentNumber = this.counter;
      }
      this.counter = Math.max(this.counter, (record.IncidentNumber as number) + 1);
      const givenRecId = trusted ? text(input.get('RecId')) : null;
      record.RecId = givenRecId ? givenRecId.toUpperCase() : newRecId();
      if (this.table.get(record.RecId)) throw badRequest(`RecId ${record.RecId} is already used`);
    }

    const givenStamp = trusted ? text(input.get('CreatedDateTime')) : null;
    const now = givenStamp && !before ? { date: new Date(Date.parse(givenStamp)), stamp: givenStamp } : this.tenant.now();
    const statusChanged = !before || (input.has('Status') && String(before.Status) !== String(record.Status));
    this.derive(record, {
      created: !before,
      customer,
      ownerChanged: !before || input.has('Owner'),
      teamChanged: input.has('OwnerTeam'),
      statusChanged,
      actor,
      now,
    });
    if (trusted) {
      for (const field of SYSTEM) {
        if (field === 'RecId' || field === 'IncidentNumber') continue;
        if (input.has(field)) record[field] = input.get(field) ?? null;
      }
      if (record.Status === 'Closed' && typeof record.ClosedDateTime === 'string' && typeof record.CreatedDateTime === 'string') {
        record.ClosedDuration = Math.max(0, Math.round((Date.parse(record.ClosedDateTime) - Date.parse(record.CreatedDateTime)) / 60_000));
      }
    }

    if (row) {
      this.table.replace(row, record);
      return row;
    }
    return this.table.insert(record);
  }

  private blank(): FieldMap {
    return Object.assign(blankRecord(this.schema), {
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
  }

  private derive(record: FieldMap, ctx: DeriveContext): void {
    const { now, actor } = ctx;
    const { lists, teams } = this.tenant;
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
        CustomerLocation_Valid: lists.valid('Location', c.Location),
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
      const owner = isBlank(record.Owner) ? undefined : this.tenant.employeeByLogin(String(record.Owner));
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
      const team = isBlank(record.OwnerTeam) ? undefined : teams.get(String(record.OwnerTeam));
      const manager = team?.Manager ? this.tenant.employeeByLogin(team.Manager) : undefined;
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
    for (const field of ['Status', 'Impact', 'Urgency', 'TypeOfIncident', 'Source', 'Category', 'CauseCode', 'Priority', 'Service', 'HoursOfOperation', 'OwningOrgUnitId', 'Approver', 'helpdesk_Priority']) {
      record[`${field}_Valid`] = lists.valid(`Incident.${field}`, record[field]);
    }
    record.ActualCategory_Valid = record.Category_Valid ?? null;
    record.ActualService_Valid = record.Service_Valid ?? null;
    record.Cost_CurrencyValid = lists.valid('Currency', record.Cost_Currency);
    record.CostPerMinute_CurrencyValid = lists.valid('Currency', record.CostPerMinute_Currency);
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
}
