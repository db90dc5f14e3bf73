/**
 * Update Record: PATCH only the fields given. ISM answers 200 with the record, or 204 without one
 * (then the record is read back). A status ISM gates behind more fields (its
 * DataLayer.PromptException) gets an error saying to give them in the same step.
 */
import type { UpdateRecordInput, UpdateRecordOutput } from '../../generated/types.js';
import { PluginError, Presets } from '../../runtime/errors.js';
import type { ActionHandler } from '../../runtime/plugin.js';
import { businessObject, fieldValues, recordId } from '../business-objects.js';
import { IsmRequestError } from '../client.js';
import { isPromptException, quoteMessages } from '../ism-errors.js';
import type { IsmConnection } from '../ism-connection.js';
import { cleanRecord } from '../lookups.js';
import { recordPath } from '../odata.js';
import { explainOneRecordFailure } from '../record-errors.js';
import { recordAfterUpdate } from '../read-back.js';
import { requireRecord } from './fields.js';

export const updateRecord: ActionHandler<UpdateRecordInput, UpdateRecordOutput, IsmConnection> = {
  async run(input, { connection, log, signal }) {
    const client = connection.client.forStep(signal);
    const object = businessObject(input.object);
    const recId = recordId(input.record_id, 'record_id');
    const patch = fieldValues(input.fields);
    const path = recordPath(object.collection, recId);
    log.info(`Updating ${object.name} ${recId}: ${Object.keys(patch).join(', ')}.`);
    let answer;
    try {
      answer = await client.request('PATCH', path, log, patch);
    } catch (err) {
      if (err instanceof IsmRequestError && isPromptException(err.messages)) {
        throw new PluginError(Presets.BAD_REQUEST, {
          cause: `ISM needs more fields to save this change to ${object.name} ${recId} (${quoteMessages(err.messages)}).`,
          assistance: "Give the fields ISM names in the same step, in 'fields'.",
          data: err.data,
        });
      }
      throw await explainOneRecordFailure(err, client, object, recId, log);
    }
    const record = await recordAfterUpdate(client, answer, path, `${object.name} ${recId}`, 'record', log);
    log.info(`Updated ${object.name} ${recId}.`);
    return { record: cleanRecord(requireRecord(record, `${object.name} ${recId}`)) };
  },
};
