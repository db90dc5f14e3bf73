/**
 * Files attached to records: what `POST api/rest/Attachment` stores, with ISM's reasons to refuse
 * a file (a name already attached to the record, a type the tenant blocks). The bytes are kept
 * beside the metadata and handed out only as copies. Each file is also a row of the Attachment
 * business object (`attachments`, objects/attachment.ts), which lists a record's files by their
 * `ParentLink_RecID`, as ISM does, with the fields of ATTACHMENT_ROW.
 */

import { createHash } from 'node:crypto';
import { MESSAGES } from './errors.js';
import type { FieldType } from './fields.js';
import { newRecId } from './record-ids.js';
import { Table } from './table.js';
import type { FieldMap } from './types.js';

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

/**
 * The fields of an attachment's row. ATTACHNAME is the name ISM's own attachment object gives the
 * file name; the size, extension and content type fields are this tenant's.
 */
export const ATTACHMENT_FIELDS: ReadonlyArray<readonly [string, FieldType]> = [
  ['RecId', 'string'],
  ['ATTACHNAME', 'string'],
  ['ATTACHSIZE', 'integer'],
  ['ATTACHEXT', 'string'],
  ['ContentType', 'string'],
  ['ParentLink_RecID', 'string'],
  ['ParentLink_Category', 'string'],
  ['CreatedBy', 'string'],
  ['CreatedDateTime', 'string'],
  ['LastModBy', 'string'],
  ['LastModDateTime', 'string'],
];

/** An attachment's row in the Attachment business object. */
function attachmentRow(record: AttachmentRecord): FieldMap {
  const dot = record.FileName.lastIndexOf('.');
  return {
    RecId: record.RecId,
    ATTACHNAME: record.FileName,
    ATTACHSIZE: record.Size,
    ATTACHEXT: dot > 0 ? record.FileName.slice(dot + 1) : null,
    ContentType: record.ContentType,
    ParentLink_RecID: record.ParentLink_RecID,
    ParentLink_Category: record.ObjectType.replace(/#$/, '').replace(/^./, (c) => c.toUpperCase()),
    CreatedBy: record.CreatedBy,
    CreatedDateTime: record.CreatedDateTime,
    LastModBy: record.CreatedBy,
    LastModDateTime: record.CreatedDateTime,
  };
}

/** How a file is stored: by whom and when, and (for a seed) under which RecId. */
export interface StoreAs {
  user: string;
  stamp: () => string;
  recId?: string;
}

export class AttachmentStore {
  /** Attachments by RecId, in creation order, with their bytes. */
  private readonly files = new Map<string, { record: AttachmentRecord; data: Buffer }>();
  /** The rows of the Attachment business object, one per file. */
  readonly table = new Table(['RecId', 'ParentLink_RecID']);
  /** Extensions refused (lower case, no dot); change it at any time. */
  readonly blockedExtensions: Set<string>;

  constructor(blockedExtensions: readonly string[] = BLOCKED_EXTENSIONS) {
    this.blockedExtensions = new Set(blockedExtensions.map((e) => e.replace(/^\./, '').toLowerCase()));
  }

  clear(): void {
    this.files.clear();
    this.table.clear();
  }

  get size(): number {
    return this.files.size;
  }

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
  upload(parentRecId: string, objectType: string, files: readonly UploadFile[], as: StoreAs): UploadResult[] {
    const taken = new Set<string>();
    return files.map((file) => {
      const refused = this.refusal(parentRecId, file.fileName, taken);
      if (refused !== undefined) return { FileName: file.fileName, IsUploaded: false, Message: refused };
      taken.add(file.fileName.toLowerCase());
      const recId = as.recId?.toUpperCase() ?? newRecId();
      if (this.files.has(recId)) throw new Error(`RecId ${recId} is already used`);
      const record: AttachmentRecord = {
        RecId: recId,
        FileName: file.fileName,
        Size: file.data.length,
        ContentType: file.contentType ?? null,
        Sha256: createHash('sha256').update(file.data).digest('hex'),
        ObjectType: objectType,
        ParentLink_RecID: parentRecId,
        CreatedBy: as.user,
        CreatedDateTime: as.stamp(),
      };
      // A copy: the upload's data is a view of the whole request body.
      this.files.set(record.RecId, { record, data: Buffer.from(file.data) });
      this.table.insert(attachmentRow(record));
      return { FileName: file.fileName, IsUploaded: true, Message: record.RecId };
    });
  }

  /** Deletes one attachment; false when there is none with that RecId. */
  delete(recId: string): boolean {
    const key = recId.toUpperCase();
    if (!this.files.delete(key)) return false;
    const row = this.table.get(key);
    if (row) this.table.remove(row);
    return true;
  }

  /** Forgets every attachment of a record (the record is being deleted). */
  removeFor(parentRecId: string): void {
    for (const [recId, file] of this.files) if (file.record.ParentLink_RecID === parentRecId) this.delete(recId);
  }

  all(): AttachmentRecord[] {
    return [...this.files.values()].map((f) => ({ ...f.record }));
  }

  of(parentRecId: string): AttachmentRecord[] {
    const id = parentRecId.toUpperCase();
    return [...this.files.values()].filter((f) => f.record.ParentLink_RecID === id).map((f) => ({ ...f.record }));
  }

  find(recId: string): AttachmentRecord | undefined {
    const file = this.files.get(recId.toUpperCase());
    return file ? { ...file.record } : undefined;
  }

  content(recId: string): Buffer | undefined {
    const file = this.files.get(recId.toUpperCase());
    return file ? Buffer.from(file.data) : undefined;
  }
}
