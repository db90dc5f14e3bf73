/**
 * The quick actions of incidents: Close Incident and Resolve Incident, which ask for a cause code
 * (from the tenant's validation list) and a resolution, as the Closed and Resolved statuses need;
 * and Clone Incident, which asks for nothing and logs a new incident with the original's
 * customer, description and classification. The ActionIds are this tenant's, as its metadata
 * announces them (every real tenant has its own).
 */

import { badRequest, MESSAGES } from '../errors.js';
import type { StoredRow } from '../table.js';
import type { Actor, QuickAction, QuickActionPrompt } from './business-object.js';

/** What the quick actions need of the incident object. */
export interface IncidentWrites {
  create(body: unknown, actor: Actor): StoredRow;
  update(row: StoredRow, body: unknown, actor: Actor): void;
}

export const INCIDENT_ACTION_IDS = Object.freeze({
  Close_Incident: '831ddd49-9526-4855-8b5c-03dbd09d86da',
  Resolve_Incident: '5094c34e-1b4d-45c7-a5c6-d564b8f58e6b',
  Clone_Incident: 'c648a107-55bb-4e1d-ad04-82802e399853',
});

const CLOSING_PROMPTS: readonly QuickActionPrompt[] = [
  { field: 'CauseCode', required: true, list: 'Incident.CauseCode' },
  { field: 'Resolution', required: true },
];

/** What a clone copies; everything else (number, status, owner's history, timestamps) is new. */
const CLONED_FIELDS = ['Subject', 'Symptom', 'ProfileLink', 'TypeOfIncident', 'Source', 'Category', 'Impact', 'Urgency', 'Service', 'OwnerTeam', 'Owner'];

/** Refuses the action when the incident's status is one of `final`. */
function requireStatusNot(row: StoredRow, action: string, final: readonly string[]): void {
  const status = String(row.data.Status ?? '');
  if (final.includes(status)) throw badRequest(MESSAGES.quickActionUnavailable(action, `Incident ${String(row.data.IncidentNumber)}`, status));
}

export function incidentQuickActions(incidents: IncidentWrites): QuickAction[] {
  const closing = (name: 'Close_Incident' | 'Resolve_Incident', status: string, final: readonly string[]): QuickAction => ({
    name,
    actionId: INCIDENT_ACTION_IDS[name],
    prompts: CLOSING_PROMPTS,
    run(row, values, actor) {
      requireStatusNot(row, name.replace(/_/g, ' '), final);
      incidents.update(row, { Status: status, CauseCode: values.get('CauseCode'), Resolution: values.get('Resolution') }, actor);
      return undefined;
    },
  });
  return [
    closing('Close_Incident', 'Closed', ['Closed']),
    closing('Resolve_Incident', 'Resolved', ['Resolved', 'Closed']),
    {
      name: 'Clone_Incident',
      actionId: INCIDENT_ACTION_IDS.Clone_Incident,
      run(row, _values, actor) {
        const copy: Record<string, unknown> = {};
        for (const field of CLONED_FIELDS) {
          const value = row.data[field];
          if (value !== null && value !== undefined && value !== '') copy[field] = value;
        }
        return incidents.create(copy, actor);
      },
    },
  ];
}
