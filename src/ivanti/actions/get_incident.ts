/** Get Incident: the whole incident, found by its number in one request. */
import type { GetIncidentInput, GetIncidentOutput, Incident } from '../../generated/types.js';
import type { ActionHandler } from '../../runtime/plugin.js';
import type { IsmConnection } from '../ism-connection.js';
import { cleanRecord, findIncident } from '../lookups.js';

export const getIncident: ActionHandler<GetIncidentInput, GetIncidentOutput, IsmConnection> = {
  async run(input, { connection, log, signal }) {
    const incident = await findIncident(connection.client.forStep(signal), input.incident_number, log);
    return { incident: cleanRecord(incident) as Incident };
  },
};
