/**
 * Delete Incident: DELETE by RecId; ISM answers 204, or 200 with `{}` on some versions.
 * If a retried DELETE finds the record gone, an earlier attempt deleted it: success.
 */
import type { DeleteIncidentInput, DeleteIncidentOutput } from '../../generated/types.js';
import type { ActionHandler } from '../../runtime/plugin.js';
import { IsmRequestError } from '../client.js';
import { isRecordMissing } from '../ism-errors.js';
import type { IsmConnection } from '../ism-connection.js';
import { findIncidentRecId } from '../lookups.js';
import { recordPath } from '../odata.js';

export const deleteIncident: ActionHandler<DeleteIncidentInput, DeleteIncidentOutput, IsmConnection> = {
  async run(input, { connection, log }) {
    const client = connection.client;
    const recId = await findIncidentRecId(client, input.incident_number, log);
    log.info(`Deleting incident ${input.incident_number}.`);
    try {
      await client.request('DELETE', recordPath('incidents', recId), log);
    } catch (err) {
      if (err instanceof IsmRequestError && err.earlierAttemptMayHaveApplied && err.status === 400 && isRecordMissing(err.messages)) {
        log.info('The incident is already gone: an earlier attempt of this request deleted it.');
        return { success: true };
      }
      throw err;
    }
    log.info(`Deleted incident ${input.incident_number}.`);
    return { success: true };
  },
};
