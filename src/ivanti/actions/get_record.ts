/**
 * Get Record: one record of any business object, by its RecId (one GET of the record), or by a
 * field's exact value (a filter that must match exactly one record; with a RecId as well, the
 * record must match both).
 */
import type { GetRecordInput, GetRecordOutput } from '../../generated/types.js';
import { ClientError, PluginError, Presets } from '../../runtime/errors.js';
import type { ActionHandler } from '../../runtime/plugin.js';
import { businessObject, fieldName, filterValue, recordId } from '../business-objects.js';
import type { IsmConnection } from '../ism-connection.js';
import { cleanRecord } from '../lookups.js';
import { and, collectionPath, eq, recordPath } from '../odata.js';
import { explainOneRecordFailure, explainRecordFailure } from '../record-errors.js';
import { given, requireRecord } from './fields.js';

export const getRecord: ActionHandler<GetRecordInput, GetRecordOutput, IsmConnection> = {
  async run(input, { connection, log, signal }) {
    const client = connection.client.forStep(signal);
    const object = businessObject(input.object);
    const recId = given(input.record_id) === undefined ? undefined : recordId(input.record_id as string, 'record_id');
    const field = given(input.field) === undefined ? undefined : fieldName((input.field as string).trim(), 'field');
    const value = given(input.value);
    if (field !== undefined && value === undefined) {
      throw new ClientError(Presets.INVALID_INPUT, `'value' is required with 'field': give the value ${field} must have.`);
    }
    if (field === undefined && value !== undefined) {
      throw new ClientError(Presets.INVALID_INPUT, "'field' is required with 'value': give the name of the field that must have this value.");
    }
    if (recId === undefined && field === undefined) {
      throw new ClientError(Presets.INVALID_INPUT, "Give 'record_id', or 'field' and 'value', to say which record to read.");
    }

    if (field === undefined) {
      log.info(`Reading ${object.name} ${recId}.`);
      const path = recordPath(object.collection, recId as string);
      const { body } = await client.get(path, log).catch(async (err: unknown) => {
        throw await explainOneRecordFailure(err, client, object, recId as string, log);
      });
      return { record: cleanRecord(requireRecord(body, `${object.name} ${recId}`)) };
    }

    const match = eq(field, filterValue(value, `'value'`));
    const filter = recId === undefined ? match : and(eq('RecId', recId), match);
    log.info(`Finding the ${object.name} whose ${field} is ${JSON.stringify(value)}${recId ? ` and whose RecId is ${recId}` : ''}.`);
    // Two rows are enough to tell "exactly one" from "several".
    const rows = await client.list(collectionPath(object.collection, { filter, top: 2 }), log).catch((err: unknown) => {
      throw explainRecordFailure(err, object);
    });
    if (rows.length === 0) {
      throw new PluginError(Presets.NOT_FOUND, {
        cause: `No ${object.name} has ${field} equal to ${JSON.stringify(value)}${recId ? ` and the RecId ${recId}` : ''}.`,
        assistance: `Check 'field' and 'value' (ISM compares text without regard to case, but otherwise exactly), or find the record with Search Records.`,
      });
    }
    if (rows.length > 1) {
      throw new PluginError(Presets.BAD_REQUEST, {
        cause: `More than one ${object.name} has ${field} equal to ${JSON.stringify(value)}, so it does not name one record.`,
        assistance: "Give a field whose value is unique (such as the record's number), or the record's 'record_id'; Search Records lists them all.",
      });
    }
    return { record: cleanRecord(rows[0]!) };
  },
};
