/**
 * A business object whose rules are declared rather than written: its fields, required fields,
 * validated fields, record number and defaults (objects/problem.ts, change.ts, task.ts, ...).
 * On save it does what ISM does for any object: refuse unknown fields and values outside a
 * validation list, demand the required fields, check owners and teams, resolve a parent link,
 * number the record, and fill the `_Valid` RecIds and the timestamps.
 */

import { badRequest, MESSAGES } from '../errors.js';
import type { FieldType } from '../fields.js';
import { blankRecord, isBlank, readPayload, text, type PayloadRules } from '../payload.js';
import { newRecId } from '../record-ids.js';
import type { ChildObject } from '../relationships.js';
import { FieldCatalogue, type ObjectNames, type ObjectSchema } from '../schema.js';
import { Table, type StoredRow } from '../table.js';
import type { FieldMap, Scalar } from '../types.js';
import type { Actor, TenantRecords, WriteOptions } from './business-object.js';

export interface ObjectDefinition {
  names: ObjectNames;
  /** Where a seed keeps its validation lists and records (`problem`). */
  seedKey: string;
  fields: ReadonlyArray<readonly [string, FieldType]>;
  searchFields: readonly string[];
  /** Fields indexed for `eq` filters besides RecId. */
  indexes: readonly string[];
  /** Required fields, with the names ISM's messages give them. */
  required: ReadonlyArray<readonly [field: string, display: string]>;
  /** Validated fields and the values of their lists on a demo tenant. */
  lists: Readonly<Record<string, readonly string[]>>;
  /** The field ISM numbers records by, and the first number of an empty tenant. */
  number?: { field: string; first: number };
  /** Values a new record starts with. */
  defaults: Readonly<Record<string, Scalar>>;
  /** Statuses that need more fields (ISM's prompt): status to the fields it needs. */
  statusNeeds?: Readonly<Record<string, readonly string[]>>;
  /** Business objects a record may belong to through `ParentLink_RecID` (`Incident`, ...). */
  parents?: readonly string[];
  /** Further fields ISM derives on save (Priority from Impact and Urgency, ...). */
  derive?(record: FieldMap): void;
  /** Fields `derive` fills: values sent for them are dropped. */
  derived?: readonly string[];
  /**
   * Link fields that hold another record's RecId (`ProfileLink` → an employee): the record must
   * exist, `<field>_RecID` and `<field>_Category` are filled, and `copy` names the linked
   * record's fields copied onto this one (its field → this record's field).
   */
  links?: ReadonlyArray<{ field: string; object: string; copy: Readonly<Record<string, string>> }>;
}

const TIMESTAMPS = ['CreatedBy', 'CreatedDateTime', 'LastModBy', 'LastModDateTime'];

export class DefinedObject implements ChildObject {
  readonly schema: ObjectSchema;
  readonly table: Table;
  readonly writable = true;
  private readonly payload: PayloadRules;
  private counter: number;

  constructor(
    readonly definition: ObjectDefinition,
    private readonly tenant: TenantRecords,
  ) {
    this.schema = new FieldCatalogue(definition.names, definition.fields, definition.searchFields);
    const indexes = ['RecId', ...definition.indexes];
    if (definition.parents) indexes.push('ParentLink_RecID');
    if (definition.number) indexes.push(definition.number.field);
    this.table = new Table([...new Set(indexes)]);
    const system = new Set(['RecId', ...TIMESTAMPS, ...(definition.number ? [definition.number.field] : [])]);
    const validated = Object.keys(definition.lists).map((f) => `${f}_Valid`);
    const ignored = new Set([...system, ...validated, ...(definition.derived ?? []), 'Owner_Valid', 'OwnerTeam_Valid', 'ParentLink_Category']);
    if (definition.parents) ignored.delete('ParentLink_Category');
    this.payload = { ignored, system };
    this.counter = definition.number?.first ?? 0;
  }

  /** The list `Problem.Status` of a field. */
  private listName(field: string): string {
    return `${this.schema.typeName}.${field}`;
  }

  create(body: unknown, actor: Actor, options: WriteOptions = {}): StoredRow {
    return this.write(undefined, body, actor, options.trusted === true);
  }

  update(row: StoredRow, body: unknown, actor: Actor): void {
    this.write(row, body, actor, false);
  }

  checkDelete(): void {
    // ISM deletes any record the role may delete.
  }

  childrenOf(parentRecId: string): StoredRow[] {
    const rows = this.table.lookup('ParentLink_RecID', parentRecId) ?? [];
    return [...rows].sort((a, b) => a.seq - b.seq);
  }

  setParent(child: StoredRow, parent: StoredRow | null, actor: Actor, parentObject: string | null): void {
    this.table.replace(child, {
      ...child.data,
      ParentLink_RecID: parent ? (parent.data.RecId ?? null) : null,
      ParentLink: parent ? (parent.data.RecId ?? null) : null,
      ParentLink_Category: parent ? (parentObject ?? null) : null,
      LastModBy: actor.user,
      LastModDateTime: this.tenant.now().stamp,
    });
  }

  private write(row: StoredRow | undefined, body: unknown, actor: Actor, trusted: boolean): StoredRow {
    const { definition } = this;
    const input = readPayload(body, this.schema, this.payload, trusted);
    for (const link of definition.links ?? []) {
      // Either spelling names the linked record; `<field>` is where it is kept.
      const alias = `${link.field}_RecID`;
      if (input.has(alias)) {
        if (!input.has(link.field)) input.set(link.field, input.get(alias) ?? null);
        input.delete(alias);
      }
      input.delete(`${link.field}_Category`);
    }
    if (definition.parents && input.has('ParentLink')) {
      if (!input.has('ParentLink_RecID')) input.set('ParentLink_RecID', input.get('ParentLink') ?? null);
      input.delete('ParentLink');
    }
    const messages = this.checkValues(input);
    if (messages.length > 0) throw badRequest(...messages);

    const before = row?.data;
    const record: FieldMap = before ? { ...before } : { ...blankRecord(this.schema), ...definition.defaults };
    for (const [k, v] of input) record[k] = v;

    const number = definition.number ? before?.[definition.number.field] : undefined;
    const recordName = before ? `${this.schema.typeName}(${String(number ?? before.RecId)})` : `${this.schema.typeName}((new))`;
    for (const [field, display] of definition.required) {
      if ((before === undefined || input.has(field)) && isBlank(record[field])) {
        messages.push(MESSAGES.required(recordName, `${this.schema.typeName}.${display}`));
      }
    }
    if (messages.length > 0) throw badRequest(...messages);

    if (before === undefined || input.has('Status')) {
      const needs = definition.statusNeeds?.[String(record.Status)] ?? [];
      const missing = needs.filter((f) => isBlank(record[f]));
      if (missing.length > 0) throw badRequest(MESSAGES.prompt(before ? recordName : `${this.schema.typeName} (new)`, String(record.Status), missing));
    }
    if (definition.parents && (before === undefined || input.has('ParentLink_RecID') || input.has('ParentLink_Category'))) {
      this.resolveParent(record, body);
    }

    for (const link of definition.links ?? []) {
      if (before === undefined || input.has(link.field)) this.resolveLink(record, link);
    }
    if (!before) this.identify(record, input, trusted);
    this.derive(record, before, input, actor, trusted);
    if (row) {
      this.table.replace(row, record);
      return row;
    }
    return this.table.insert(record);
  }

  /** Validation lists, owners and teams: canonical spellings, or ISM's messages. */
  private checkValues(input: Map<string, Scalar>): string[] {
    const { lists, teams } = this.tenant;
    const messages: string[] = [];
    for (const field of Object.keys(this.definition.lists)) {
      const value = input.get(field);
      if (!input.has(field) || isBlank(value)) continue;
      const canonical = lists.value(this.listName(field), String(value));
      if (canonical === undefined) messages.push(MESSAGES.notInList(String(value), this.listName(field)));
      else input.set(field, canonical);
    }
    const owner = input.get('Owner');
    if (this.schema.has('Owner') && !isBlank(owner)) {
      const employee = this.tenant.employeeByLogin(String(owner));
      if (!employee) messages.push(MESSAGES.notInList(String(owner), this.listName('Owner')));
      else input.set('Owner', employee.data.LoginID ?? null);
    }
    const team = input.get('OwnerTeam');
    if (this.schema.has('OwnerTeam') && !isBlank(team)) {
      const found = teams.get(String(team));
      if (!found) messages.push(MESSAGES.notInList(String(team), this.listName('OwnerTeam')));
      else input.set('OwnerTeam', found.Name);
    }
    return messages;
  }

  /** The record a `ParentLink_RecID` names, in the object `ParentLink_Category` names (the first parent by default). */
  private resolveParent(record: FieldMap, body: unknown): void {
    const parents = this.definition.parents ?? [];
    const given = text(typeof body === 'object' && body !== null ? ((body as Record<string, unknown>).ParentLink_Category as Scalar) : null);
    const category = given ?? text(record.ParentLink_Category) ?? parents[0] ?? '';
    const parentName = parents.find((p) => p.toLowerCase() === category.replace(/#$/, '').toLowerCase());
    const parentId = String(record.ParentLink_RecID);
    const parent = parentName === undefined ? undefined : this.tenant.objectNamed(parentName)?.table.get(parentId);
    if (!parent) throw badRequest(MESSAGES.recordNotFound(parentId, category.replace(/#$/, '').toLowerCase()));
    Object.assign(record, { ParentLink_RecID: parent.data.RecId, ParentLink: parent.data.RecId, ParentLink_Category: parentName });
  }

  /** The record a link field names: found in its object (ISM's 400 when not), its RecId canonical. */
  private resolveLink(record: FieldMap, link: NonNullable<ObjectDefinition['links']>[number]): void {
    const id = record[link.field];
    const copied = Object.values(link.copy);
    if (isBlank(id)) {
      for (const field of [`${link.field}_RecID`, `${link.field}_Category`, ...copied]) record[field] = null;
      return;
    }
    const target = this.tenant.objectNamed(link.object)?.table.get(String(id).toUpperCase());
    if (!target) throw badRequest(`${this.schema.typeName}.${link.field}: ${MESSAGES.recordNotFound(String(id), link.object.toLowerCase())}`);
    const recId = target.data.RecId ?? null;
    Object.assign(record, { [link.field]: recId, [`${link.field}_RecID`]: recId, [`${link.field}_Category`]: link.object });
    for (const [from, to] of Object.entries(link.copy)) record[to] = target.data[from] ?? null;
  }

  private identify(record: FieldMap, input: Map<string, Scalar>, trusted: boolean): void {
    const numbering = this.definition.number;
    if (numbering) {
      const given = trusted ? input.get(numbering.field) : undefined;
      if (typeof given === 'number') {
        if (this.table.lookup(numbering.field, String(given))?.length) throw badRequest(`${numbering.field} ${given} is already used`);
        record[numbering.field] = given;
      } else {
        record[numbering.field] = this.counter;
      }
      this.counter = Math.max(this.counter, (record[numbering.field] as number) + 1);
    }
    const givenRecId = trusted ? text(input.get('RecId')) : null;
    record.RecId = givenRecId ? givenRecId.toUpperCase() : newRecId();
    if (this.table.get(record.RecId)) throw badRequest(`RecId ${record.RecId} is already used`);
  }

  private derive(record: FieldMap, before: FieldMap | undefined, input: Map<string, Scalar>, actor: Actor, trusted: boolean): void {
    const { lists, teams } = this.tenant;
    for (const field of Object.keys(this.definition.lists)) record[`${field}_Valid`] = lists.valid(this.listName(field), record[field]);
    if (this.schema.has('Owner_Valid')) {
      const owner = isBlank(record.Owner) ? undefined : this.tenant.employeeByLogin(String(record.Owner));
      record.Owner_Valid = owner?.data.RecId ?? null;
      if (owner && this.schema.has('OwnerTeam') && !input.has('OwnerTeam') && input.has('Owner') && !isBlank(owner.data.Team)) {
        record.OwnerTeam = String(owner.data.Team);
      }
    }
    if (this.schema.has('OwnerTeam_Valid')) record.OwnerTeam_Valid = isBlank(record.OwnerTeam) ? null : (teams.get(String(record.OwnerTeam))?.RecId ?? null);
    this.definition.derive?.(record);
    const now = this.tenant.now();
    if (!before) {
      record.CreatedBy = actor.user;
      record.CreatedDateTime = now.stamp;
    }
    record.LastModBy = actor.user;
    record.LastModDateTime = now.stamp;
    if (trusted) {
      for (const field of TIMESTAMPS) if (input.has(field)) record[field] = input.get(field) ?? null;
      if (input.has('CreatedDateTime') && !input.has('LastModDateTime')) record.LastModDateTime = record.CreatedDateTime ?? null;
      if (input.has('CreatedBy') && !input.has('LastModBy')) record.LastModBy = record.CreatedBy ?? null;
    }
  }
}
