/**
 * Create Record: POST the fields given to any business object's collection. ISM answers 201 (or
 * 200) with the whole record. The request is never sent twice: once it may have reached ISM, a
 * failure is reported instead of retried, saying that the record may exist.
 */
import type { CreateRecordInput, CreateRecordOutput } from '../../generated/types.js';
import type { ActionHandler } from '../../runtime/plugin.js';
import { businessObject, fieldValues, type BusinessObjectRef } from '../business-objects.js';
import { IsmRequestError, mayHaveApplied } from '../client.js';
import type { IsmConnection } from '../ism-connection.js';
import { cleanRecord } from '../lookups.js';
import { explainRecordFailure } from '../record-errors.js';
import { requireRecord } from './fields.js';

export const createRecord: ActionHandler<CreateRecordInput, CreateRecordOutput, IsmConnection> = {
  async run(input, { connection, log, signal }) {
    const object = businessObject(input.object);
    const body = fieldValues(input.fields);
    log.info(`Creating a ${object.name} record with ${Object.keys(body).join(', ')}.`);
    const { body: created } = await connection.client.forStep(signal).request('POST', object.collection, log, body).catch((err: unknown) => {
      throw explainCreateFailure(err, object);
    });
    const record = requireRecord(created, `the created ${object.name} record`);
    log.info(`Created ${object.name} ${String(record.RecId ?? '(RecId not returned)')}.`);
    return { record: cleanRecord(record) };
  },
};

function explainCreateFailure(err: unknown, object: BusinessObjectRef): unknown {
  const explained = explainRecordFailure(err, object);
  if (explained !== err || !(err instanceof IsmRequestError)) return explained;
  return (
    mayHaveApplied(err, `ISM may have created the ${object.name} record before the failure; the plugin never sends a create twice. Search for it (Search Records) before running the step again.`) ??
    err
  );
}
