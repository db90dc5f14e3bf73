/**
 * Delete Attachment: ISM answers `DELETE api/rest/Attachment?ID=<RecId>` with 204 whether or not
 * the attachment exists, so the attachment's record is read first (an unknown ID is an error,
 * never a silent success), and read again after the DELETE to confirm that it is gone. A DELETE
 * is safe to retry: a second one finds nothing to delete.
 */
import type { DeleteAttachmentInput, DeleteAttachmentOutput } from '../../generated/types.js';
import { PluginError, Presets } from '../../runtime/errors.js';
import type { ActionHandler } from '../../runtime/plugin.js';
import { attachmentEndpoint, findAttachment } from '../attachments.js';
import { recordId } from '../business-objects.js';
import type { IsmConnection } from '../ism-connection.js';

export const deleteAttachment: ActionHandler<DeleteAttachmentInput, DeleteAttachmentOutput, IsmConnection> = {
  async run(input, { connection, log, signal }) {
    const client = connection.client.forStep(signal);
    const id = recordId(input.attachment_id, 'attachment_id');
    const file = await findAttachment(client, id, log);
    if (!file) {
      throw new PluginError(Presets.NOT_FOUND, {
        cause: `ISM has no attachment with the ID ${id} given in 'attachment_id'; nothing was deleted.`,
        assistance: "Check 'attachment_id' (List Attachments gives the IDs of a record's files). If it was right, the file is already gone.",
      });
    }
    log.info(`Deleting ${file.filename} (attachment ${id}).`);
    await client.request('DELETE', attachmentEndpoint(id), log, undefined, { root: 'base' });
    if (await findAttachment(client, id, log)) {
      throw new PluginError(Presets.SERVER_ERROR, {
        cause: `ISM answered the deletion of ${file.filename} (attachment ${id}) as done, but the attachment is still there.`,
        assistance: "Check that the API key's role may delete attachments, then run the step again.",
      });
    }
    log.info(`Deleted ${file.filename}.`);
    return { success: true, filename: file.filename };
  },
};
