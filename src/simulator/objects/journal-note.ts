/**
 * Journal notes (`Journal#Notes`, collection `journal__notess`): ISM's rules for writing them.
 * A note belongs to an incident (or a problem or a change, as `ParentLink_Category` says)
 * through `ParentLink_RecID`; Category and Source come from
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

/** The objects a note may belong to (`ParentLink_Category`); Incident unless said otherwise. */
const NOTE_PARENTS = ['Incident', 'Problem', 'Change'] as const;

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

  /** Sets (or, with null, clears) the record a note belongs to. */
  setParent(note: StoredRow, parent: StoredRow | null, actor: Actor, parentObject: string | null): void {
    const now = this.tenant.now();
    this.table.replace(note, {
      ...note.data,
      ParentLink_RecID: parent ? (parent.data.RecId ?? null) : null,
      ParentLink: parent ? (parent.data.RecId ?? null) : null,
      ...(parent ? { ParentLink_Category: parentObject ?? 'Incident' } : {}),
      ParentOwner: parent ? (parent.data.Owner ?? null) : null,
      LastModBy: actor.user,
      LastModDateTime: now.stamp,
    });
  }

  /** The record a note names as its parent, in one of the objects notes may belong to. */
  private parentOf(recId: string, category: string): { row: StoredRow | undefined; object: string | undefined } {
    const object = NOTE_PARENTS.find((p) => p.toLowerCase() === category.replace(/#$/, '').toLowerCase());
    return { row: object === undefined ? undefined : this.tenant.objectNamed(object)?.table.get(recId), object };
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

    const given = text(body !== null && typeof body === 'object' ? ((body as Record<string, unknown>).ParentLink_Category as Scalar) : null);
    const category = given ?? (before ? text(record.ParentLink_Category) : null) ?? 'Incident';
    let parent: { row: StoredRow | undefined; object: string | undefined };
    if (before === undefined || input.has('ParentLink_RecID')) {
      parent = this.parentOf(String(record.ParentLink_RecID), category);
      if (!parent.row) throw badRequest(MESSAGES.recordNotFound(String(record.ParentLink_RecID), category.replace(/#$/, '').toLowerCase()));
    } else {
      parent = this.parentOf(String(record.ParentLink_RecID ?? ''), category);
    }

    if (!before) {
      const givenRecId = trusted ? text(input.get('RecId')) : null;
      record.RecId = givenRecId ? givenRecId.toUpperCase() : newRecId();
      if (this.table.get(record.RecId)) throw badRequest(`RecId ${record.RecId} is already used`);
    }
    const now = this.tenant.now();
    if (parent.row) {
      Object.assign(record, {
        ParentLink_RecID: parent.row.data.RecId,
        ParentLink: parent.row.data.RecId,
        ParentLink_Category: parent.object ?? 'Incident',
        ParentOwner: parent.row.data.Owner ?? null,
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
