/**
 * Download Attachment: `GET api/rest/Attachment?ID=<RecId>`, read as bytes up to the
 * connection's attachment_size_limit. A larger file is refused: the client stops reading past
 * the limit (or before reading, when ISM says the size up front), so no download is ever
 * buffered without bound. The name comes from the answer's content-disposition header, or, when
 * ISM sends none, from the attachment's record.
 */
import type { DownloadAttachmentInput, DownloadAttachmentOutput } from '../../generated/types.js';
import type { ActionHandler } from '../../runtime/plugin.js';
import { attachmentEndpoint, dispositionFilename, findAttachment, isUnknownAttachment, unknownAttachment } from '../attachments.js';
import { recordId } from '../business-objects.js';
import type { IsmConnection } from '../ism-connection.js';

const MiB = 1024 * 1024;

export const downloadAttachment: ActionHandler<DownloadAttachmentInput, DownloadAttachmentOutput, IsmConnection> = {
  async run(input, { connection, log, signal }) {
    const client = connection.client.forStep(signal);
    const id = recordId(input.attachment_id, 'attachment_id');
    const limitBytes = client.settings.attachmentLimitBytes;
    log.info(`Downloading attachment ${id}.`);
    const answer = await client
      .request('GET', attachmentEndpoint(id), log, undefined, {
        root: 'base',
        bytes: {
          limitBytes,
          tooLarge: () => ({
            cause: `Attachment ${id} is larger than the limit of ${Math.round(limitBytes / MiB)} MiB (attachment_size_limit); the download was stopped there and nothing was returned.`,
            assistance: 'Raise attachment_size_limit in the connection (up to 1024 MiB) if the orchestrator can carry files this large, or fetch the file from ISM directly.',
          }),
        },
      })
      .catch((err: unknown) => {
        throw isUnknownAttachment(err) ? unknownAttachment(id, err, 'nothing was downloaded') : err;
      });
    const data = Buffer.isBuffer(answer.body) ? answer.body : Buffer.alloc(0);
    const contentType = String(answer.headers['content-type'] ?? '').trim() || 'application/octet-stream';
    let filename = dispositionFilename(answer.headers['content-disposition']);
    if (filename === undefined) {
      log.info('ISM sent the file without its name; reading the attachment record for it.');
      filename = (await findAttachment(client, id, log))?.filename ?? id;
    }
    log.info(`Downloaded ${filename} (${data.length} bytes).`);
    return { filename, content_type: contentType, size: data.length, content: data.toString('base64') };
  },
};
