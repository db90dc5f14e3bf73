/**
 * `POST {prefix}/api/rest/Attachment`: multipart with the text fields ObjectID (the record's
 * RecId) and ObjectType (`incident#`) and one or more files. The body is parsed byte for byte
 * (multipart.ts); the files are stored by the attachment store (attachments.ts).
 */

import { json, methodNotAllowed, type Answer } from './answers.js';
import type { UploadFile } from './attachments.js';
import { badRequest, MESSAGES } from './errors.js';
import type { KeyGrant } from './keys.js';
import { MultipartError, boundaryOf, parseMultipart } from './multipart.js';
import type { TenantStore } from './store.js';

/** An attachment upload's form: its text fields (as sent) and its files. */
export type Upload = { fields: Array<[name: string, value: string]>; files: UploadFile[] } | { error: string };

/** A text field of an upload; form field names are matched case-insensitively, the first wins. */
function formField(upload: { fields: Array<[string, string]> }, name: string): string | undefined {
  return upload.fields.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
}

/** What the journal keeps of an upload: the fields, and each file's name and size, never its bytes. */
export function journalUpload(upload: Upload, size: number): unknown {
  if ('error' in upload) return { error: upload.error, size };
  return {
    fields: Object.fromEntries([...upload.fields].reverse()),
    files: upload.files.map((f) => ({ fileName: f.fileName, size: f.data.length, contentType: f.contentType ?? null })),
  };
}

/** The name a file part gives its file, without any path a client may have sent with it. */
function baseName(fileName: string): string {
  return fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
}

export function readUpload(contentType: string | undefined, body: Buffer): Upload {
  try {
    const parts = parseMultipart(body, boundaryOf(contentType));
    const fields: Array<[string, string]> = [];
    const files: UploadFile[] = [];
    for (const part of parts) {
      if (part.filename === undefined) {
        fields.push([part.name, part.data.toString('utf8')]);
      } else if (baseName(part.filename) !== '') {
        // A file input left empty is sent with filename="": no file.
        files.push({ fileName: baseName(part.filename), data: part.data, contentType: part.contentType });
      }
    }
    return { fields, files };
  } catch (err) {
    if (err instanceof MultipartError) return { error: err.message };
    throw err;
  }
}

/**
 * 200 with one result per file when every file was stored; HTTP 300 ISM_3000 "Validation Error"
 * with the same list when some file was refused (its name already attached to the record, or a
 * blocked type); the others are stored all the same.
 */
export function answerUpload(store: TenantStore, method: string, upload: Upload | undefined, grant: KeyGrant): Answer {
  if (method !== 'POST') return methodNotAllowed(method);
  if (!grant.canWrite) throw badRequest(MESSAGES.roleDenied(grant.role, 'create', 'Attachment'));
  if (!upload) throw badRequest(MESSAGES.notMultipart('the request has no body'));
  if ('error' in upload) throw badRequest(MESSAGES.notMultipart(upload.error));
  const objectId = formField(upload, 'ObjectID')?.trim() ?? '';
  const objectType = formField(upload, 'ObjectType')?.trim() ?? '';
  if (objectId === '') throw badRequest(MESSAGES.formFieldMissing('ObjectID'));
  if (objectType === '') throw badRequest(MESSAGES.formFieldMissing('ObjectType'));
  const typeName = objectType.replace(/#$/, '').toLowerCase();
  // Only incidents take attachments in this tenant: a record of any other type cannot be found.
  const parent = typeName === 'incident' ? store.incidentObject.table.get(objectId) : undefined;
  if (!parent) throw badRequest(MESSAGES.recordNotFound(objectId, typeName || objectType));
  if (upload.files.length === 0) throw badRequest(MESSAGES.noFiles);
  const results = store.uploadFiles(parent, 'incident#', upload.files, { user: grant.user });
  const applied = results.some((r) => r.IsUploaded);
  if (results.every((r) => r.IsUploaded)) return json(200, results, true);
  return json(300, { code: 'ISM_3000', description: 'Validation Error', message: results }, applied);
}
