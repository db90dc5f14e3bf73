/**
 * Journal notes (`Journal#Notes`, collection `journal__notess`): ISM's rules for writing them.
 * A note belongs to an incident through `ParentLink_RecID`; Category and Source come from
 * validation lists (Category defaults to Memo); ISM derives DisplayText, the owner and the
 * `_Valid` RecIds.
 */

import { badRequest, MESSAGES } from '../errors.js';
import { NOTE_FIELDS } from '../fields.js';
import { blankRecord, isBlank, readPayload, text, type PayloadRules } from '../payload.js';
import { newRecId } from '../record-ids.js';
import { FieldCatalogue, type ObjectSchema } from '../schema.js';
import { Table, type StoredRow } from '../table.js';
import type { FieldMap, Scalar } from '../types.js';
import type { ChildObject } from '../relationships.js';
import type { Actor, TenantRecords, WriteOptions } from './business-object.js';

const DERIVED: ReadonlySet<string> = new Set([
  'DisplayText', 'Source_Valid', 'Category_Valid', 'JournalType', 'Owner_Valid', 'Owner', 'OwnerTeam_Valid',
  'OwnerTeam', 'OwnerType', 'TypeAlias', 'ReadOnly', 'IsNewRecord', 'ParentOwner', 'UnreadTransition', 'ParentLink_Category',
]);
const SYSTEM: ReadonlySet<string> = new Set(['RecId', 'CreatedBy', 'CreatedDateTime', 'LastModBy', 'LastModDateTime']);
const PAYLOAD: PayloadRules = { ignored: new Set([...DERIVED, ...SYSTEM]), system: SYSTEM };

export class JournalNoteObject implements ChildObject {
  readonly schema: ObjectSchema = new FieldCatalogue(
    { set: 'journal__notess', typeName: 'Journal#Notes', roleObject: 'Journal#Notes', recordObject: 'journal__notes' },
    NOTE_FIELDS,
    ['Subject', 'NotesBody'],
  );
  readonly table = new Table(['RecId', 'ParentLink_RecID']);
  readonly writable = true;

  constructor(private readonly tenant: TenantRecords) {}

  /** The notes of one record, oldest first. */
  childrenOf(parentRecId: string): StoredRow[] {
    const rows = this.table.lookup('ParentLink_RecID', parentRecId) ?? [];
    return [...rows].sort((a, b) => a.seq - b.seq);
  }

  create(body: unknown, actor: Actor, options: WriteOptions = {}): StoredRow {
    return this.write(undefined, body, actor, options.trusted === true);
  }

  update(row: StoredRow, body: unknown, actor: Actor): void {
    this.write(row, body, actor, false);
  }

  checkDelete(): void {
    // ISM deletes any note the role may delete.
  }

  /** Sets (or, with null, clears) the incident a note belongs to. */
  setParent(note: StoredRow, incident: StoredRow | null, actor: Actor): void {
    const now = this.tenant.now();
    this.table.replace(note, {
      ...note.data,
      ParentLink_RecID: incident ? (incident.data.RecId ?? null) : null,
      ParentLink: incident ? (incident.data.RecId ?? null) : null,
      ...(incident ? { ParentLink_Category: 'Incident' } : {}),
      ParentOwner: incident ? (incident.data.Owner ?? null) : null,
      LastModBy: actor.user,
      LastModDateTime: now.stamp,
    });
  }

  private incidents(): Table | undefined {
    return this.tenant.object('incidents')?.table;
  }

  private write(row: StoredRow | undefined, body: unknown, actor: Actor, trusted: boolean): StoredRow {
    const { lists, teams } = this.tenant;
    const input = readPayload(body, this.schema, PAYLOAD, trusted);
    if (input.has('ParentLink')) {
      if (!input.has('ParentLink_RecID')) input.set('ParentLink_RecID', input.get('ParentLink') ?? null);
      input.delete('ParentLink');
    }
    const messages: string[] = [];
    for (const field of ['Category', 'Source'] as const) {
      const value = input.get(field);
      if (!input.has(field) || isBlank(value)) continue;
      const canonical = lists.value(`Journal#Notes.${field}`, String(value));
      if (canonical === undefined) messages.push(MESSAGES.notInList(String(value), `Journal#Notes.${field}`));
      else input.set(field, canonical);
    }
    if (messages.length > 0) throw badRequest(...messages);

    const before = row?.data;
    const record: FieldMap = before ? { ...before } : this.blank();
    for (const [k, v] of input) record[k] = v;
    if (isBlank(record.Category)) record.Category = lists.value('Journal#Notes.Category', 'Memo') ?? 'Memo';

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
      parent = this.incidents()?.get(String(record.ParentLink_RecID));
      if (!parent) throw badRequest(MESSAGES.recordNotFound(String(record.ParentLink_RecID), 'incident'));
    } else {
      parent = this.incidents()?.get(String(record.ParentLink_RecID ?? ''));
    }

    if (!before) {
      const givenRecId = trusted ? text(input.get('RecId')) : null;
      record.RecId = givenRecId ? givenRecId.toUpperCase() : newRecId();
      if (this.table.get(record.RecId)) throw badRequest(`RecId ${record.RecId} is already used`);
    }
    const now = this.tenant.now();
    if (parent) {
      Object.assign(record, {
        ParentLink_RecID: parent.data.RecId,
        ParentLink: parent.data.RecId,
        ParentLink_Category: 'Incident',
        ParentOwner: parent.data.Owner ?? null,
      });
    }
    record.DisplayText = isBlank(record.NotesBody) ? String(record.Subject ?? '') : `${String(record.Subject ?? '')} ${String(record.NotesBody)}`;
    record.Category_Valid = lists.valid('Journal#Notes.Category', record.Category);
    record.Source_Valid = lists.valid('Journal#Notes.Source', record.Source);
    if (!before) {
      const author = this.tenant.employeeByLogin(actor.user);
      const team = author && !isBlank(author.data.Team) ? teams.get(String(author.data.Team)) : undefined;
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
      for (const field of SYSTEM) {
        if (field !== 'RecId' && input.has(field)) record[field] = input.get(field) ?? null;
      }
      if (input.has('CreatedDateTime') && !input.has('LastModDateTime')) record.LastModDateTime = record.CreatedDateTime ?? null;
      if (input.has('CreatedBy') && !input.has('LastModBy')) record.LastModBy = record.CreatedBy ?? null;
    }

    if (row) {
      this.table.replace(row, record);
      return row;
    }
    return this.table.insert(record);
  }

  private blank(): FieldMap {
    return Object.assign(blankRecord(this.schema), {
      JournalType: 'Notes',
      TypeAlias: 'Journal#Notes',
      IsUnRead: true,
      ParentLink_Category: 'Incident',
    });
  }
}
