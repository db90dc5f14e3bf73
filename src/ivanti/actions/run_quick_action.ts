/**
 * Run Quick Action: the ActionId read from the object's metadata by the action's exact name, one
 * POST of ISM's quick action body, then the record read back. A quick action is a write: it is
 * never sent twice (the client retries a POST only when it provably never left) and never sent
 * once the caller is gone; a failure after it may have reached ISM says so.
 */
import type { RunQuickActionInput, RunQuickActionOutput } from '../../generated/types.js';
import { PluginError, Presets } from '../../runtime/errors.js';
import type { ActionHandler } from '../../runtime/plugin.js';
import { businessObject, recordId, type BusinessObjectRef } from '../business-objects.js';
import { IsmRequestError, mayHaveApplied } from '../client.js';
import { isRoleMessage, quoteMessages } from '../ism-errors.js';
import type { IsmConnection } from '../ism-connection.js';
import { cleanRecord } from '../lookups.js';
import { quickActions, readMetadata } from '../metadata.js';
import { recordPath } from '../odata.js';
import { explainPromptRefusal, findQuickAction, promptValues, quickActionBody, quickActionName } from '../quick-actions.js';
import { readBackAfterWrite } from '../read-back.js';
import { explainRecordFailure, isMissing, unknownRecord } from '../record-errors.js';
import { requireRecord } from './fields.js';

export const runQuickAction: ActionHandler<RunQuickActionInput, RunQuickActionOutput, IsmConnection> = {
  async run(input, { connection, log, signal }) {
    const client = connection.client.forStep(signal);
    const object = businessObject(input.object);
    const recId = recordId(input.record_id, 'record_id');
    const name = quickActionName(input.action);
    const prompts = promptValues(input.parameters);

    const metadata = await readMetadata(client, object, log).catch((err: unknown) => {
      throw explainRecordFailure(err, object);
    });
    const action = findQuickAction(quickActions(metadata), name, object);
    const path = recordPath(object.collection, recId);
    const what = `${action.name.replace(/_/g, ' ')} on ${object.name} ${recId}`;
    log.info(`Running ${what}${prompts.length > 0 ? ` with ${prompts.map(([field]) => field).join(', ')}` : ''}.`);
    let answer;
    try {
      // The name passed the action-name form and equals the metadata's: letters, digits and _.
      answer = await client.request('POST', `${path}/${action.name}`, log, quickActionBody(action, object, recId, prompts));
    } catch (err) {
      throw explainPromptRefusal(err, what, prompts) ?? explainQuickActionFailure(err, object, recId, what);
    }
    log.info(`ISM ran ${what}; reading the record back.`);
    const record = requireRecord(await readBackAfterWrite(client, path, `ran ${what}`, 'record', log), `${object.name} ${recId}`);
    const body = answer.body;
    const result = typeof body === 'object' && body !== null && !Array.isArray(body) && typeof (body as { RecId?: unknown }).RecId === 'string' ? cleanRecord(body as Record<string, unknown>) : undefined;
    return { success: true, record: cleanRecord(record), ...(result ? { result } : {}) };
  },
};

function explainQuickActionFailure(err: unknown, object: BusinessObjectRef, recId: string, what: string): unknown {
  if (!(err instanceof IsmRequestError)) return err;
  if (isMissing(err, recId)) return unknownRecord(object, recId, err);
  const unsure = mayHaveApplied(err, `ISM may have run ${what} before the failure; the plugin never sends a quick action twice. Check the record (Get Record) before running the step again.`);
  if (unsure) return unsure;
  if (err.status === 404) {
    return new PluginError(Presets.NOT_FOUND, {
      cause: `ISM answered 404 to ${what}, although ${object.name}'s metadata lists the quick action.`,
      assistance: "Check that the API key's role may run this quick action, and that it is available for this record in ISM.",
      data: err.data,
    });
  }
  if (err.status === 400 && err.messages.length > 0 && !isRoleMessage(err.messages)) {
    return new PluginError(Presets.BAD_REQUEST, {
      cause: `ISM refused to run ${what}: ${quoteMessages(err.messages)}.`,
      assistance: "Check the record's state in ISM: a quick action may not apply to it (closing a closed incident, say).",
      data: err.data,
    });
  }
  return err;
}
