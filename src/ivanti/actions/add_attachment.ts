/**
 * Add Attachment: upload one file to an incident through ISM's attachment endpoint
 * (`POST {base}/api/rest/Attachment`, multipart, ObjectID = the incident's RecId,
 * ObjectType = `incident#`). ISM answers a list with one result per file, with HTTP 300
 * when some file was refused (a duplicate name, an extension the tenant does not allow).
 */
import type { AddAttachmentInput, AddAttachmentOutput } from '../../generated/types.js';
import { ClientError, PluginError, Presets } from '../../runtime/errors.js';
import type { ActionHandler } from '../../runtime/plugin.js';
import { IsmRequestError } from '../client.js';
import type { IsmConnection } from '../ism-connection.js';
import { findIncidentRecId } from '../lookups.js';
import { isRecId } from '../odata.js';

/**
 * Whether text is base64 (RFC 4648, padded). One loop over a character class: a pattern with a
 * repeated group (`(?:[A-Za-z0-9+/]{4})*`) overflows the regular expression stack on a few MB.
 */
function isBase64(text: string): boolean {
  if (text.length % 4 !== 0) return false;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return /^[A-Za-z0-9+/]*$/.test(text.slice(0, text.length - padding));
}

function invalid(message: string): ClientError {
  return new ClientError(Presets.INVALID_INPUT, `The input is not valid: ${message}`);
}

/** A plain file name: it goes into a multipart header, so no paths and no control characters. */
export function checkFilename(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw invalid("'attachment.filename' is empty; give the file's name, such as evidence.txt.");
  if (/[\u0000-\u001f\u007f"]/.test(trimmed)) throw invalid("'attachment.filename' contains control characters or quotes; give a plain file name.");
  if (/[\\/]/.test(trimmed) || trimmed === '.' || trimmed === '..') {
    throw invalid(`'attachment.filename' must be a file name, not a path (got ${JSON.stringify(trimmed.slice(0, 80))}).`);
  }
  if (trimmed.length > 255) throw invalid("'attachment.filename' is longer than 255 characters.");
  return trimmed;
}

/** The decoded content; whitespace (line breaks of wrapped base64) is ignored. */
export function decodeContent(content: string, limitBytes: number): Buffer {
  const compact = content.replace(/\s+/g, '');
  // Reject before decoding anything huge: base64 is 4 characters for every 3 bytes.
  if (Math.floor((compact.length * 3) / 4) - (compact.endsWith('==') ? 2 : compact.endsWith('=') ? 1 : 0) > limitBytes) {
    throw new ClientError(
      Presets.INVALID_INPUT,
      `The attachment is larger than the limit of ${Math.round(limitBytes / 1024 / 1024)} MiB; nothing was uploaded. Raise attachment_size_limit in the connection, or attach a smaller file.`,
    );
  }
  if (!isBase64(compact)) throw invalid("'attachment.content' is not valid base64; encode the file's bytes in base64.");
  return Buffer.from(compact, 'base64');
}

interface UploadResult {
  FileName?: unknown;
  IsUploaded?: unknown;
  Message?: unknown;
}

/** ISM's per-file results, from the bare list (200) or inside `message` (300 validation error). */
function resultsOf(body: unknown): UploadResult[] {
  if (Array.isArray(body)) return body as UploadResult[];
  if (typeof body === 'object' && body !== null) {
    const message = (body as { message?: unknown; Message?: unknown }).message ?? (body as { Message?: unknown }).Message;
    if (Array.isArray(message)) return message.filter((m): m is UploadResult => typeof m === 'object' && m !== null);
  }
  return [];
}

export const addAttachment: ActionHandler<AddAttachmentInput, AddAttachmentOutput, IsmConnection> = {
  async run(input, { connection, log, signal }) {
    const client = connection.client.forStep(signal);
    const filename = checkFilename(input.attachment.filename);
    const bytes = decodeContent(input.attachment.content, client.settings.attachmentLimitBytes);
    const recId = await findIncidentRecId(client, input.incident_number, log);
    const form = new FormData();
    form.append('ObjectID', recId);
    form.append('ObjectType', 'incident#');
    form.append('file', new Blob([bytes]), filename);
    log.info(`Uploading ${filename} (${bytes.length} bytes) to incident ${input.incident_number}.`);
    let answer;
    try {
      answer = await client.request('POST', 'api/rest/Attachment', log, form, { root: 'base', accept: [300], multipart: true });
    } catch (err) {
      if (err instanceof IsmRequestError && err.status === 413) {
        throw new PluginError(Presets.BAD_REQUEST, {
          cause: `ISM refused the upload of ${filename} (${bytes.length} bytes) as too large (413); nothing was attached.`,
          assistance: "Attach a smaller file, or ask the ISM administrator for a larger upload limit; set the connection's attachment_size_limit to the tenant's limit to have such files refused before they are sent.",
          data: err.data,
        });
      }
      throw err;
    }
    const { status, body } = answer;
    const results = resultsOf(body);
    const mine = results.find((r) => r.FileName === filename) ?? (results.length === 1 ? results[0] : undefined);
    if (!mine) {
      throw new PluginError(Presets.INVALID_JSON, {
        cause: `ISM answered the upload (${status}) without a result for ${filename}.`,
        assistance: 'Check the incident in ISM before running the step again: the file may have been attached.',
        data: body,
      });
    }
    if (mine.IsUploaded !== true) {
      const said = typeof mine.Message === 'string' ? mine.Message : 'no reason given';
      throw new PluginError(Presets.BAD_REQUEST, {
        cause: `ISM refused the file ${filename}: ${said}`,
        assistance: /already attached|same name|change the name/i.test(said)
          ? 'Give the file another name, or leave the incident as it is: a file of that name is already attached.'
          : 'Attach a file of a type the tenant allows, or ask the ISM administrator to allow this type.',
        data: results,
      });
    }
    const attachmentId = typeof mine.Message === 'string' ? mine.Message : '';
    if (!isRecId(attachmentId)) {
      throw new PluginError(Presets.INVALID_JSON, { cause: `ISM attached ${filename} but did not return its record ID.`, data: results });
    }
    log.info(`Attached ${filename} to incident ${input.incident_number}.`);
    return { attachment_id: attachmentId, filename };
  },
};
