/** Create Incident: look up the customer (and assignee) exactly, then POST the incident. */
import type { CreateIncidentInput, CreateIncidentOutput, Incident } from '../../generated/types.js';
import { PluginError, Presets } from '../../runtime/errors.js';
import type { ActionHandler } from '../../runtime/plugin.js';
import { IsmRequestError } from '../client.js';
import { isPromptException } from '../ism-errors.js';
import type { IsmConnection } from '../ism-connection.js';
import { cleanRecord, findCustomerAndAssignee } from '../lookups.js';
import { given, requireRecord } from './fields.js';

export const createIncident: ActionHandler<CreateIncidentInput, CreateIncidentOutput, IsmConnection> = {
  async run(input, { connection, log, signal }) {
    const client = connection.client.forStep(signal);
    const assigneeName = given(input.assignee);
    const found = await findCustomerAndAssignee(client, { customer: input.customer, assignee: assigneeName }, log);
    // The customer is a required input: it is always looked up, so always found.
    const customer = found.customer!;
    const assignee = found.assignee;
    const body: Record<string, unknown> = {
      Subject: input.summary,
      Symptom: input.description,
      ProfileLink: customer.recId,
      Status: input.status,
      TypeOfIncident: input.type,
    };
    const optional: [string, string | undefined][] = [
      ['Impact', given(input.impact)],
      ['Urgency', given(input.urgency)],
      ['Source', given(input.source)],
      ['Category', given(input.category)],
      ['Owner', assignee?.loginId],
    ];
    for (const [field, value] of optional) if (value !== undefined) body[field] = value;
    log.info('Creating the incident.');
    const { body: created } = await client.request('POST', 'incidents', log, body).catch((err: unknown) => {
      throw explainCreateFailure(err, input.status);
    });
    const incident = requireRecord(created, 'the created incident');
    log.info(`Created incident ${String(incident.IncidentNumber ?? '(number not returned)')}.`);
    return { incident: cleanRecord(incident) as Incident };
  },
};

function explainCreateFailure(err: unknown, status: string): unknown {
  if (err instanceof IsmRequestError && isPromptException(err.messages)) {
    return new PluginError(Presets.BAD_REQUEST, {
      cause: `ISM needs more fields before an incident can have the status '${status}' (DataLayer.PromptException).`,
      assistance:
        status === 'Resolved' || status === 'Closed'
          ? 'Create the incident with another status, then set it to Resolved or Closed with Update Incident, giving cause_code and resolution.'
          : 'Give the fields the status needs (an Active incident needs a category and an assignee), or create it as Logged.',
      data: err.data,
    });
  }
  return err;
}
