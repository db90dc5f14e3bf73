/**
 * Delete Record: DELETE one record of any business object by its RecId; ISM answers 204, or 200
 * with `{}` on some versions. If a retried DELETE finds the record gone, an earlier attempt
 * deleted it: success.
 */
import type { DeleteRecordInput, DeleteRecordOutput } from '../../generated/types.js';
import type { ActionHandler } from '../../runtime/plugin.js';
import { businessObject, recordId } from '../business-objects.js';
import { IsmRequestError } from '../client.js';
import type { IsmConnection } from '../ism-connection.js';
import { recordPath } from '../odata.js';
import { explainOneRecordFailure, isMissing } from '../record-errors.js';

export const deleteRecord: ActionHandler<DeleteRecordInput, DeleteRecordOutput, IsmConnection> = {
  async run(input, { connection, log, signal }) {
    const object = businessObject(input.object);
    const recId = recordId(input.record_id, 'record_id');
    log.info(`Deleting ${object.name} ${recId}.`);
    try {
      await connection.client.forStep(signal).request('DELETE', recordPath(object.collection, recId), log);
    } catch (err) {
      if (err instanceof IsmRequestError && err.earlierAttemptMayHaveApplied && isMissing(err, recId)) {
        log.info(`${object.name} ${recId} is already gone: an earlier attempt of this request deleted it.`);
        return { success: true };
      }
      throw await explainOneRecordFailure(err, connection.client, object, recId, log);
    }
    log.info(`Deleted ${object.name} ${recId}.`);
    return { success: true };
  },
};
