/**
 * What the attachment actions share: where ISM keeps attachments as records (the `attachments`
 * collection, one row per file, `ParentLink_RecID` naming the record), how a row reads as a
 * file (tenants name the size and name fields differently), the name a download's
 * content-disposition header gives, and the error for an attachment ID ISM does not know.
 */
import type { Attachment } from '../generated/types.js';
import { PluginError, Presets } from '../runtime/errors.js';
import type { StepLogger } from '../runtime/step-log.js';
import { IsmRequestError, type IsmClient, type IsmRecord } from './client.js';
import { isRecordMissing, quoteMessages } from './ism-errors.js';
import { recordPath } from './odata.js';

export const ATTACHMENTS = 'attachments';

/** `api/rest/Attachment?ID=...`, below the tenant's base URL. */
export function attachmentEndpoint(recId: string): string {
  return `api/rest/Attachment?ID=${recId}`;
}


function firstText(row: IsmRecord, fields: readonly string[]): string | undefined {
  for (const field of fields) {
    const value = row[field];
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return undefined;
}

function firstSize(row: IsmRecord, fields: readonly string[]): number | undefined {
  for (const field of fields) {
    const value = row[field];
    const size = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : undefined;
    if (size !== undefined && Number.isSafeInteger(size) && size >= 0) return size;
  }
  return undefined;
}

/** An attachment row as a file: ISM's ATTACHNAME, or the other names tenants use. */
export function attachmentInfo(row: IsmRecord): Attachment {
  const info: Attachment = {
    attachment_id: String(row.RecId ?? ''),
    filename: firstText(row, ['ATTACHNAME', 'AttachName', 'FileName', 'Name']) ?? String(row.RecId ?? ''),
  };
  const size = firstSize(row, ['ATTACHSIZE', 'AttachSize', 'FileSize', 'Size']);
  const created = firstText(row, ['CreatedDateTime']);
  const createdBy = firstText(row, ['CreatedBy']);
  const contentType = firstText(row, ['ContentType', 'ATTACHCONTENTTYPE', 'MimeType']);
  if (size !== undefined) info.size = size;
  if (created !== undefined) info.created = created;
  if (createdBy !== undefined) info.created_by = createdBy;
  if (contentType !== undefined) info.content_type = contentType;
  return info;
}

/** The error for an attachment ID ISM does not know. */
export function unknownAttachment(recId: string, err: IsmRequestError, what: string): PluginError {
  return new PluginError(Presets.NOT_FOUND, {
    cause: `ISM has no attachment with the ID ${recId} given in 'attachment_id'${err.messages.length ? ` (ISM: ${quoteMessages(err.messages)})` : ''}; ${what}.`,
    assistance: "Check 'attachment_id': it must be the RecId of an attachment, as List Attachments or Add Attachment give it.",
    data: err.data,
  });
}

/** Whether ISM said it has no such attachment: its record cannot be found, or the download found none. */
export function isUnknownAttachment(err: unknown): err is IsmRequestError {
  return err instanceof IsmRequestError && err.status === 400 && (isRecordMissing(err.messages) || err.messages.some((m) => /attachment .*not found/i.test(m)));
}

/** The attachment's record, or undefined when ISM has none with that RecId. */
export async function findAttachment(client: IsmClient, recId: string, log: StepLogger): Promise<Attachment | undefined> {
  try {
    const { body } = await client.get(recordPath(ATTACHMENTS, recId), log);
    return typeof body === 'object' && body !== null ? attachmentInfo(body as IsmRecord) : undefined;
  } catch (err) {
    if (isUnknownAttachment(err)) return undefined;
    throw err;
  }
}

/**
 * The file name a content-disposition header gives: RFC 5987's `filename*` (UTF-8, percent-
 * encoded) first, else `filename` (quoted or not). Path parts a server might add are dropped.
 */
export function dispositionFilename(header: string | undefined): string | undefined {
  if (!header) return undefined;
  let name: string | undefined;
  const extended = /(?:^|;)\s*filename\*\s*=\s*([^']*)'[^']*'([^;]*)/i.exec(header);
  if (extended) {
    try {
      name = decodeURIComponent(extended[2]!.trim());
    } catch {
      name = undefined;
    }
  }
  if (name === undefined) {
    const plain = /(?:^|;)\s*filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/i.exec(header);
    name = plain ? (plain[1]?.replace(/\\(.)/g, '$1') ?? plain[2]?.trim()) : undefined;
  }
  const base = name?.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1).trim();
  return base === undefined || base === '' ? undefined : base;
}
