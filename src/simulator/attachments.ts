/**
 * Files attached to records: what `POST api/rest/Attachment` stores, with ISM's reasons to refuse
 * a file (a name already attached to the record, a type the tenant blocks). The bytes are kept
 * beside the metadata and handed out only as copies.
 */

import { createHash } from 'node:crypto';
import { MESSAGES } from './errors.js';
import { newRecId } from './record-ids.js';

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

export class AttachmentStore {
  /** Attachments by RecId, in creation order, with their bytes. */
  private readonly files = new Map<string, { record: AttachmentRecord; data: Buffer }>();
  /** Extensions refused (lower case, no dot); change it at any time. */
  readonly blockedExtensions: Set<string>;

  constructor(blockedExtensions: readonly string[] = BLOCKED_EXTENSIONS) {
    this.blockedExtensions = new Set(blockedExtensions.map((e) => e.replace(/^\./, '').toLowerCase()));
  }

  clear(): void {
    this.files.clear();
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
  upload(parentRecId: string, objectType: string, files: readonly UploadFile[], user: string, stamp: () => string): UploadResult[] {
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
        CreatedBy: user,
        CreatedDateTime: stamp(),
      };
      // A copy: the upload's data is a view of the whole request body.
      this.files.set(record.RecId, { record, data: Buffer.from(file.data) });
      return { FileName: file.fileName, IsUploaded: true, Message: record.RecId };
    });
  }

  /** Forgets every attachment of a record (the record is being deleted). */
  removeFor(parentRecId: string): void {
    for (const [recId, file] of this.files) if (file.record.ParentLink_RecID === parentRecId) this.files.delete(recId);
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
