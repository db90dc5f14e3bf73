/**
 * List Attachments: the files of one record, read as rows of ISM's `attachments` collection
 * (`$filter=ParentLink_RecID eq '<RecId>'`, page by page by RecId), oldest first (ISM's times
 * are to the second: ties in RecId order). ISM answers an
 * unknown record's files as no rows, so when there are none the record is read once to tell "no
 * files" from "no such record".
 */
import type { ListAttachmentsInput, ListAttachmentsOutput } from '../../generated/types.js';
import type { ActionHandler } from '../../runtime/plugin.js';
import { ATTACHMENTS, attachmentInfo } from '../attachments.js';
import { businessObject, recordId } from '../business-objects.js';
import type { IsmConnection } from '../ism-connection.js';
import { readByKey } from '../key-paging.js';
import { eq, recordPath } from '../odata.js';
import { explainOneRecordFailure } from '../record-errors.js';

/** Most files listed; a record with more is far outside what ISM's own forms show. */
const MAX_FILES = 10_000;

export const listAttachments: ActionHandler<ListAttachmentsInput, ListAttachmentsOutput, IsmConnection> = {
  async run(input, { connection, log, signal }) {
    const client = connection.client.forStep(signal);
    const object = businessObject(input.object);
    const recId = recordId(input.record_id, 'record_id');
    log.info(`Listing the files attached to ${object.name} ${recId}.`);
    const { rows, more } = await readByKey(client, { path: ATTACHMENTS, filter: eq('ParentLink_RecID', recId), key: 'RecId', max: MAX_FILES }, log);
    if (rows.length === 0) {
      await client.get(recordPath(object.collection, recId), log).catch(async (err: unknown) => {
        throw await explainOneRecordFailure(err, client, object, recId, log);
      });
    }
    if (more) log.warn(`Listed the first ${MAX_FILES} files; the record has more.`);
    const files = rows.map(attachmentInfo).sort((a, b) => (a.created ?? '').localeCompare(b.created ?? '') || a.attachment_id.localeCompare(b.attachment_id));
    log.info(`Found ${files.length} file${files.length === 1 ? '' : 's'}.`);
    return { attachments: files, count: files.length };
  },
};
