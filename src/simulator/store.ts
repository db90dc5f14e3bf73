/**
 * The tenant's data: one business object per collection (objects/*.ts hold each one's rules),
 * the relationships between them, their attachments, the validation lists and teams, and the
 * clock. The router reaches records through `object(set)` and `relationship(set, name)`;
 * tests reach copies of them through the SimulatorStore view.
 */

import { AttachmentStore, BLOCKED_EXTENSIONS, type AttachmentRecord } from './attachments.js';
import { TenantClock, type Timestamp } from './clock.js';
import { badRequest, MESSAGES } from './errors.js';
import { BaseTypeObject } from './objects/base-type.js';
import type { Actor, BusinessObject, TenantRecords } from './objects/business-object.js';
import { DEFINITIONS, buildObjects } from './objects/catalogue.js';
import type { EmployeeObject } from './objects/employee.js';
import type { IncidentObject } from './objects/incident.js';
import type { JournalNoteObject } from './objects/journal-note.js';
import { collectionOf } from './object-names.js';
import { text } from './payload.js';
import type { LinkTable, Relationship } from './relationships.js';
import type { StoredRow } from './table.js';
import { Teams } from './teams.js';
import type { FieldMap, Scalar, SeedData } from './types.js';
import { ValidationLists } from './validation-lists.js';

export interface StoreOptions {
  /** Source of "now"; tests may pin it. */
  clock?: () => Date;
  /** Offset of the timestamps the tenant writes, in minutes east of UTC (default: the host's). */
  utcOffsetMinutes?: number;
  /** File extensions (without the dot, any case) the tenant refuses to attach (default BLOCKED_EXTENSIONS). */
  blockedExtensions?: readonly string[];
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
  /** Takes the next incident number for a create that commits late; later creates get higher numbers and show first. */
  holdIncidentNumber(): number;
  /** Commits the held create: the incident with that number appears now, below numbers already visible. */
  releaseIncident(incidentNumber: number, fields: Record<string, unknown>, options?: { user?: string }): FieldMap;
  /** Creates an incident as `POST incidents` would (same validation); throws IsmError on a broken rule. */
  createIncident(fields: Record<string, unknown>, options?: { user?: string }): FieldMap;
  /**
   * Changes an incident (by number or RecId) as `PATCH incidents('{RecId}')` would, as `user`
   * (default `admin`): LastModBy and LastModDateTime follow. `at` stamps the change with an
   * earlier time, as a save that commits late shows it. Throws IsmError on a broken rule.
   */
  updateIncident(id: number | string, fields: Record<string, unknown>, options?: { user?: string; at?: Date }): FieldMap;
  /** Adds a journal note as `POST journal__notess` would; throws IsmError on a broken rule. */
  createNote(fields: Record<string, unknown>, options?: { user?: string }): FieldMap;
  /** Forgets every change and loads the seed again (the current one unless given). */
  reset(seed?: SeedData): void;
  /** The records of any collection (`problems`, `ci__computers`, ...), oldest first; undefined for an unknown collection. */
  records(set: string): FieldMap[] | undefined;
  findRecord(set: string, recId: string): FieldMap | undefined;
  /** Creates a record of any collection as `POST {set}` would; throws IsmError on a broken rule. */
  createRecord(set: string, fields: Record<string, unknown>, options?: { user?: string }): FieldMap;
  /** Deletes a record of any collection as `DELETE {set}('{RecId}')` would; false when there is no such record. */
  deleteRecord(set: string, recId: string): boolean;
  /** The records related to one record through a relationship (`IncidentAssociatesCI`), oldest first. */
  related(set: string, recId: string, relationship: string): FieldMap[] | undefined;
}

const copy = (row: StoredRow | undefined): FieldMap | undefined => (row ? { ...row.data } : undefined);

export class TenantStore implements SimulatorStore, TenantRecords {
  readonly attachmentStore: AttachmentStore;
  private readonly clock: TenantClock;
  private seed!: SeedData;
  lists!: ValidationLists;
  teams!: Teams;
  employeeObject!: EmployeeObject;
  incidentObject!: IncidentObject;
  noteObject!: JournalNoteObject;
  /** Business objects by collection, lower case. */
  private objects = new Map<string, BusinessObject>();
  /** Relationships by the collection they start from, then by name. */
  private relationships = new Map<string, Map<string, Relationship>>();
  private links: readonly LinkTable[] = [];

  constructor(seed: SeedData, options: StoreOptions = {}) {
    this.clock = new TenantClock(options.clock, options.utcOffsetMinutes);
    this.attachmentStore = new AttachmentStore(options.blockedExtensions ?? BLOCKED_EXTENSIONS);
    this.load(seed);
  }

  get blockedExtensions(): Set<string> {
    return this.attachmentStore.blockedExtensions;
  }

  // -------------------------------------------------------------------------------------------
  // Loading

  reset(seed?: SeedData): void {
    this.load(seed ?? this.seed);
  }

  private load(seed: SeedData): void {
    this.seed = structuredClone(seed);
    this.attachmentStore.clear();

    this.lists = new ValidationLists();
    for (const [object, group] of [['Incident', seed.validationLists.incident], ['Journal#Notes', seed.validationLists.note]] as const) {
      for (const [field, values] of Object.entries(group) as Array<[string, string[]]>) this.lists.define(`${object}.${field}`, values);
    }
    this.teams = new Teams();
    for (const team of seed.teams ?? []) this.teams.add(team);

    for (const definition of DEFINITIONS) {
      const lists = (seed.validationLists as unknown as Record<string, Record<string, string[]> | undefined>)[definition.seedKey];
      for (const [field, values] of Object.entries({ ...definition.lists, ...lists })) this.lists.define(`${definition.names.typeName}.${field}`, values);
    }

    const objects = buildObjects(
      seed,
      this,
      (team) => {
        if (!this.teams.has(team)) this.teams.add({ Name: team });
      },
      this.attachmentStore.table,
    );
    this.employeeObject = objects.employees;
    this.incidentObject = objects.incidents;
    this.noteObject = objects.notes;
    this.objects = new Map(objects.all.map((o) => [o.schema.set, o]));
    this.relationships = new Map();
    for (const relationship of objects.relationships) this.addRelationship(relationship);
    this.links = objects.links;

    (seed.incidents ?? []).forEach((incident, i) => {
      try {
        this.incidentObject.create(incident, { user: text(incident.CreatedBy) ?? 'admin' }, { trusted: true });
      } catch (err) {
        throw new Error(`seed: incidents[${i}]: ${(err as Error).message}`);
      }
    });
    for (const definition of DEFINITIONS) {
      const object = objects.defined.get(definition.seedKey) as BusinessObject;
      (seed.records?.[definition.seedKey] ?? []).forEach((record, i) => {
        // A record whose parent the seed leaves out (an edited built-in seed without incidents)
        // is left out too, as deleting the parent would have deleted it.
        if (definition.parents && !this.parentExists(record)) return;
        try {
          object.create(record, { user: text(record.CreatedBy) ?? 'admin' }, { trusted: true });
        } catch (err) {
          throw new Error(`seed: records.${definition.seedKey}[${i}]: ${(err as Error).message}`);
        }
      });
    }
    (seed.notes ?? []).forEach((note, i) => {
      const fields: Record<string, Scalar> = { ...note };
      if (fields.IncidentNumber !== undefined) {
        const parent = this.incidentObject.byNumber(String(fields.IncidentNumber));
        if (!parent) throw new Error(`seed: notes[${i}]: no incident ${String(fields.IncidentNumber)}`);
        fields.ParentLink_RecID = parent.data.RecId ?? null;
        delete fields.IncidentNumber;
      }
      try {
        this.noteObject.create(fields, { user: text(fields.CreatedBy) ?? 'admin' }, { trusted: true });
      } catch (err) {
        throw new Error(`seed: notes[${i}]: ${(err as Error).message}`);
      }
    });
    (seed.attachments ?? []).forEach((file, i) => {
      const parent = this.incidentObject.byNumber(file.IncidentNumber);
      // A file of an incident the seed leaves out is left out too.
      if (!parent) return;
      const data = file.ContentBase64 !== undefined ? Buffer.from(file.ContentBase64, 'base64') : Buffer.from(file.Content ?? '', 'utf8');
      const stamp = file.CreatedDateTime ?? this.now().stamp;
      const [result] = this.attachmentStore.upload(String(parent.data.RecId), 'incident#', [{ fileName: file.FileName, data, contentType: file.ContentType }], {
        user: file.CreatedBy ?? 'admin',
        stamp: () => stamp,
        ...(file.RecId ? { recId: file.RecId } : {}),
      });
      if (!result?.IsUploaded) throw new Error(`seed: attachments[${i}]: ${result?.Message ?? 'not stored'}`);
    });
    for (const link of seed.links ?? []) {
      const relationship = [...this.relationships.values()].map((named) => named.get(link.relationship)).find((r) => r !== undefined);
      if (!relationship) throw new Error(`seed: links: no relationship named ${link.relationship}`);
      const from = relationship.from.table.get(link.from);
      const to = relationship.to.table.get(link.to);
      // A link to a record the seed leaves out is left out too.
      if (from && to) relationship.link(from, to, { user: 'admin' });
    }
  }

  private parentExists(record: Record<string, Scalar>): boolean {
    const parent = text(record.ParentLink_RecID ?? record.ParentLink ?? null);
    const category = text(record.ParentLink_Category ?? null) ?? 'Incident';
    return parent === null || this.objectNamed(category)?.table.get(parent) !== undefined;
  }

  /** Files a relationship under the collection it starts from (and, for a base type, its subtype's). */
  private addRelationship(relationship: Relationship): void {
    const from = relationship.from;
    for (const set of [from.schema.set, ...(from instanceof BaseTypeObject ? [from.subtype.schema.set] : [])]) {
      let named = this.relationships.get(set);
      if (!named) this.relationships.set(set, (named = new Map()));
      named.set(relationship.name, relationship);
    }
  }

  // -------------------------------------------------------------------------------------------
  // What the router and the objects' rules use

  now(): Timestamp {
    return this.clock.now();
  }

  /** The business object of a collection (names are case-insensitive). */
  object(set: string): BusinessObject | undefined {
    return this.objects.get(set.toLowerCase());
  }

  objectNamed(name: string): BusinessObject | undefined {
    return this.object(collectionOf(name));
  }

  /** A relationship of the records of a collection, by its name (case-sensitive, as the metadata gives it). */
  relationship(set: string, name: string): Relationship | undefined {
    return this.relationships.get(set.toLowerCase())?.get(name);
  }

  /** The relationships of the records of a collection. */
  relationshipsOf(set: string): Relationship[] {
    return [...(this.relationships.get(set.toLowerCase())?.values() ?? [])];
  }

  employeeByRecId(recId: string): StoredRow | undefined {
    return this.employeeObject.byRecId(recId);
  }

  employeeByLogin(login: string): StoredRow | undefined {
    return this.employeeObject.byLogin(login);
  }

  deleteRecord(set: string, recId: string): boolean {
    const object = this.object(set);
    const row = object?.table.get(recId);
    if (!object || !row) return false;
    this.removeRecord(object, row);
    return true;
  }

  /** Deletes a record with what it contains (an incident's notes and tasks), its attachments and its links. */
  removeRecord(object: BusinessObject, row: StoredRow): void {
    object.checkDelete(row);
    const recId = String(row.data.RecId);
    for (const relationship of this.relationshipsOf(object.schema.set)) {
      if (!relationship.contains) continue;
      for (const child of [...relationship.related(row)]) relationship.to.table.remove(child);
    }
    this.attachmentStore.removeFor(recId);
    for (const links of this.links) links.forget(recId);
    object.table.remove(row);
  }

  // -------------------------------------------------------------------------------------------
  // The test-facing view (copies only)

  incidents(): FieldMap[] {
    return this.incidentObject.table.inCreationOrder().map((r) => ({ ...r.data }));
  }

  notes(): FieldMap[] {
    return this.noteObject.table.inCreationOrder().map((r) => ({ ...r.data }));
  }

  employees(): FieldMap[] {
    return this.employeeObject.table.inCreationOrder().map((r) => ({ ...r.data }));
  }

  findIncidentByNumber(incidentNumber: number): FieldMap | undefined {
    return copy(this.incidentObject.byNumber(incidentNumber));
  }

  findIncidentByRecId(recId: string): FieldMap | undefined {
    return copy(this.incidentObject.table.get(recId));
  }

  findNoteByRecId(recId: string): FieldMap | undefined {
    return copy(this.noteObject.table.get(recId));
  }

  findEmployeeByLoginId(loginId: string): FieldMap | undefined {
    return copy(this.employeeObject.byLogin(loginId));
  }

  findEmployeeByEmail(email: string): FieldMap | undefined {
    return copy(this.employeeObject.byEmail(email));
  }

  notesFor(incidentRecId: string): FieldMap[] {
    return this.noteObject.childrenOf(incidentRecId).map((r) => ({ ...r.data }));
  }

  attachments(): AttachmentRecord[] {
    return this.attachmentStore.all();
  }

  attachmentsFor(incidentRecId: string): AttachmentRecord[] {
    return this.attachmentStore.of(incidentRecId);
  }

  findAttachmentByRecId(recId: string): AttachmentRecord | undefined {
    return this.attachmentStore.find(recId);
  }

  attachmentContent(recId: string): Buffer | undefined {
    return this.attachmentStore.content(recId);
  }

  createAttachment(incidentRecId: string, fileName: string, content: Buffer | string, options: { user?: string; contentType?: string } = {}): AttachmentRecord {
    const parent = this.incidentObject.table.get(incidentRecId);
    if (!parent) throw badRequest(MESSAGES.recordNotFound(incidentRecId, 'incident'));
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const [result] = this.uploadFiles(parent, 'incident#', [{ fileName, data, contentType: options.contentType }], { user: options.user ?? 'admin' });
    if (!result?.IsUploaded) throw badRequest(result?.Message ?? 'Upload Failed');
    return this.attachmentStore.find(result.Message) as AttachmentRecord;
  }

  /** Stores the files of one upload on a record; see AttachmentStore.upload. */
  uploadFiles(parent: StoredRow, objectType: string, files: Parameters<AttachmentStore['upload']>[2], actor: Actor): ReturnType<AttachmentStore['upload']> {
    return this.attachmentStore.upload(String(parent.data.RecId), objectType, files, { user: actor.user, stamp: () => this.now().stamp });
  }

  counts(): { incidents: number; notes: number; employees: number } {
    return { incidents: this.incidentObject.table.size, notes: this.noteObject.table.size, employees: this.employeeObject.table.size };
  }

  nextIncidentNumber(): number {
    return this.incidentObject.nextNumber;
  }

  /** A create that commits late: its number is taken now, and the incident appears on `releaseIncident`. */
  holdIncidentNumber(): number {
    return this.incidentObject.holdNumber();
  }

  releaseIncident(incidentNumber: number, fields: Record<string, unknown>, options: { user?: string } = {}): FieldMap {
    return { ...this.incidentObject.create({ ...fields, IncidentNumber: incidentNumber }, { user: options.user ?? 'admin' }, { trusted: true }).data };
  }

  createIncident(fields: Record<string, unknown>, options: { user?: string } = {}): FieldMap {
    return { ...this.incidentObject.create(fields, { user: options.user ?? 'admin' }).data };
  }

  updateIncident(id: number | string, fields: Record<string, unknown>, options: { user?: string; at?: Date } = {}): FieldMap {
    const row = typeof id === 'number' || /^\d+$/.test(id) ? this.incidentObject.byNumber(Number(id)) : this.incidentObject.table.get(id);
    if (!row) throw new Error(`no incident ${id}`);
    const write = () => this.incidentObject.update(row, fields, { user: options.user ?? 'admin' });
    if (options.at) this.clock.at(options.at, write);
    else write();
    return { ...row.data };
  }

  createNote(fields: Record<string, unknown>, options: { user?: string } = {}): FieldMap {
    return { ...this.noteObject.create(fields, { user: options.user ?? 'admin' }).data };
  }

  records(set: string): FieldMap[] | undefined {
    return this.object(set)?.table.inCreationOrder().map((r) => ({ ...r.data }));
  }

  findRecord(set: string, recId: string): FieldMap | undefined {
    return copy(this.object(set)?.table.get(recId));
  }

  createRecord(set: string, fields: Record<string, unknown>, options: { user?: string } = {}): FieldMap {
    const object = this.object(set);
    if (!object) throw new Error(`no collection ${set}`);
    return { ...object.create(fields, { user: options.user ?? 'admin' }).data };
  }

  related(set: string, recId: string, relationship: string): FieldMap[] | undefined {
    const from = this.object(set)?.table.get(recId);
    const found = this.relationship(set, relationship);
    return from && found ? found.related(from).map((r) => ({ ...r.data })) : undefined;
  }
}
