/**
 * `{prefix}/api/rest/Attachment`, ISM's one REST resource for files: POST uploads
 * (attachment-upload.ts); `GET ?ID={RecId}` answers the file's bytes with its name in a
 * content-disposition header, or 400 ISM_4000 `Attachment for the object "..." not found`;
 * `DELETE ?ID={RecId}` answers 204, also when there is no such attachment, as ISM does.
 * Query parameter names match without regard to case.
 */

import { methodNotAllowed, type Answer } from './answers.js';
import { answerUpload, type Upload } from './attachment-upload.js';
import { badRequest, MESSAGES } from './errors.js';
import type { KeyGrant } from './keys.js';
import type { TenantStore } from './store.js';

function attachmentId(options: Record<string, string>): string {
  const id = Object.entries(options).find(([name]) => name.toLowerCase() === 'id')?.[1]?.trim() ?? '';
  if (id === '') throw badRequest(MESSAGES.queryParameterMissing('ID'));
  return id;
}

/** `attachment; filename="..."` with an ASCII fallback, and the exact name in RFC 5987's `filename*`. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const exact = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`;
}

function download(store: TenantStore, id: string): Answer {
  const record = store.findAttachmentByRecId(id);
  const data = store.attachmentContent(id);
  if (!record || !data) throw badRequest(MESSAGES.attachmentNotFound(id));
  return {
    status: 200,
    body: data,
    contentType: record.ContentType ?? 'application/octet-stream',
    headers: { 'content-disposition': contentDisposition(record.FileName) },
    applied: false,
  };
}

export function answerAttachment(store: TenantStore, method: string, options: Record<string, string>, upload: Upload | undefined, grant: KeyGrant): Answer {
  switch (method) {
    case 'POST':
      return answerUpload(store, method, upload, grant);
    case 'GET':
      return download(store, attachmentId(options));
    case 'DELETE': {
      if (!grant.canWrite) throw badRequest(MESSAGES.roleDenied(grant.role, 'delete', 'Attachment'));
      const deleted = store.attachmentStore.delete(attachmentId(options));
      return { status: 204, applied: deleted };
    }
    default:
      return methodNotAllowed(method);
  }
}

