/**
 * Delete Incident: DELETE by RecId; ISM answers 204, or 200 with `{}` on some versions.
 * If a retried DELETE finds the record gone, an earlier attempt deleted it: success.
 * ISM refuses to delete a closed incident; that refusal gets its own error.
 */
import type { DeleteIncidentInput, DeleteIncidentOutput } from '../../generated/types.js';
import { PluginError, Presets } from '../../runtime/errors.js';
import type { ActionHandler } from '../../runtime/plugin.js';
import { IsmRequestError } from '../client.js';
import { isRecordMissing, isRoleMessage, quoteMessages } from '../ism-errors.js';
import type { IsmConnection } from '../ism-connection.js';
import { findIncidentRecId } from '../lookups.js';
import { recordPath } from '../odata.js';

export const deleteIncident: ActionHandler<DeleteIncidentInput, DeleteIncidentOutput, IsmConnection> = {
  async run(input, { connection, log, signal }) {
    const client = connection.client.forStep(signal);
    const recId = await findIncidentRecId(client, input.incident_number, log);
    log.info(`Deleting incident ${input.incident_number}.`);
    try {
      await client.request('DELETE', recordPath('incidents', recId), log);
    } catch (err) {
      if (err instanceof IsmRequestError && err.earlierAttemptMayHaveApplied && err.status === 400 && isRecordMissing(err.messages)) {
        log.info('The incident is already gone: an earlier attempt of this request deleted it.');
        return { success: true };
      }
      if (err instanceof IsmRequestError && err.status === 400 && !isRoleMessage(err.messages) && err.messages.some((m) => /\bclosed\b/i.test(m))) {
        throw new PluginError(Presets.BAD_REQUEST, {
          cause: `ISM refuses to delete incident ${input.incident_number} because it is Closed (ISM: ${quoteMessages(err.messages)}).`,
          assistance: 'ISM keeps closed incidents as records: leave this one as it is, or have an ISM administrator remove it.',
          data: err.data,
        });
      }
      throw err;
    }
    log.info(`Deleted incident ${input.incident_number}.`);
    return { success: true };
  },
};
