/**
 * Update Incident: PATCH only the fields given. ISM answers 200 with the record or 204
 * without one (then the record is read back). A status ISM gates behind more fields
 * (its DataLayer.PromptException) gets an error naming the inputs to add.
 */
import type { Incident, UpdateIncidentInput, UpdateIncidentOutput } from '../../generated/types.js';
import { ClientError, PluginError, Presets } from '../../runtime/errors.js';
import type { ActionHandler } from '../../runtime/plugin.js';
import { IsmRequestError } from '../client.js';
import { isPromptException } from '../ism-errors.js';
import type { IsmConnection } from '../ism-connection.js';
import { allLookups, cleanRecord, findCustomerAndAssignee, findIncidentRecId } from '../lookups.js';
import { recordPath } from '../odata.js';
import { recordAfterUpdate } from '../read-back.js';
import { given, requireRecord } from './fields.js';

const CHANGES = ['status', 'assignee', 'customer', 'category', 'cause_code', 'resolution'] as const;

/** What ISM demands before it accepts each gated status. */
const STATUS_NEEDS: Record<string, { input: string; field: string }[]> = {
  Resolved: [
    { input: 'cause_code', field: 'CauseCode' },
    { input: 'resolution', field: 'Resolution' },
  ],
  Closed: [
    { input: 'cause_code', field: 'CauseCode' },
    { input: 'resolution', field: 'Resolution' },
  ],
  Active: [
    { input: 'category', field: 'Category' },
    { input: 'assignee', field: 'Owner' },
  ],
};

export const updateIncident: ActionHandler<UpdateIncidentInput, UpdateIncidentOutput, IsmConnection> = {
  async run(input, { connection, log, signal }) {
    const client = connection.client.forStep(signal);
    const changes = Object.fromEntries(CHANGES.map((name) => [name, given(input[name])]));
    if (CHANGES.every((name) => changes[name] === undefined)) {
      throw new ClientError(
        Presets.INVALID_INPUT,
        `Nothing to update on incident ${input.incident_number}: give at least one of ${CHANGES.join(', ')}.`,
      );
    }
    // The incident and the employees are independent: looked up side by side.
    const [recId, { customer, assignee }] = await allLookups([
      findIncidentRecId(client, input.incident_number, log),
      findCustomerAndAssignee(client, { customer: changes.customer, assignee: changes.assignee }, log),
    ]);
    const patch: Record<string, unknown> = {};
    if (changes.status !== undefined) patch.Status = changes.status;
    if (assignee) patch.Owner = assignee.loginId;
    if (customer) patch.ProfileLink = customer.recId;
    if (changes.category !== undefined) patch.Category = changes.category;
    if (changes.cause_code !== undefined) patch.CauseCode = changes.cause_code;
    if (changes.resolution !== undefined) patch.Resolution = changes.resolution;
    log.info(`Updating incident ${input.incident_number}: ${Object.keys(patch).join(', ')}.`);
    const path = recordPath('incidents', recId);
    let answer;
    try {
      answer = await client.request('PATCH', path, log, patch);
    } catch (err) {
      throw explainUpdateFailure(err, input.incident_number, changes);
    }
    const record = await recordAfterUpdate(client, answer, path, `incident ${input.incident_number}`, 'incident', log);
    const incident = requireRecord(record, `incident ${input.incident_number}`);
    log.info(`Updated incident ${input.incident_number}.`);
    return { incident: cleanRecord(incident) as Incident };
  },
};

function explainUpdateFailure(err: unknown, incidentNumber: number, changes: Record<string, string | undefined>): unknown {
  if (!(err instanceof IsmRequestError) || !isPromptException(err.messages)) return err;
  const status = changes.status;
  const needs = status ? (STATUS_NEEDS[status] ?? []) : [];
  // ISM names the fields it wants when it can (an Active incident that already has a category
  // only lacks its owner); without that, every field the status needs is a candidate.
  const named = needs.filter((n) => err.messages.some((m) => new RegExp(`\\b${n.field}\\b`).test(m)));
  const candidates = named.length ? named : needs;
  const missing = candidates.filter((n) => changes[n.input] === undefined).map((n) => n.input);
  const wanted = missing.length ? missing : candidates.map((n) => n.input);
  return new PluginError(Presets.BAD_REQUEST, {
    cause: status
      ? `ISM will not set incident ${incidentNumber} to '${status}' without more fields (DataLayer.PromptException).`
      : `ISM needs more fields to save this change to incident ${incidentNumber} (DataLayer.PromptException).`,
    assistance: wanted.length
      ? `Give ${wanted.join(' and ')} in the same step${status === 'Resolved' || status === 'Closed' ? `: ISM requires a cause code and a resolution to set ${status}` : ''}.`
      : 'Give the fields ISM asks for in the same step.',
    data: { message: err.messages },
  });
}
