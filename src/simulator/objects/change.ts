/** Changes (`Change#`, collection `changes`): planned changes, often the fix for a problem. */

import { priorityFor } from './incident.js';
import type { ObjectDefinition } from './defined-object.js';

export const CHANGE: ObjectDefinition = {
  names: { set: 'changes', typeName: 'Change', roleObject: 'Change#', recordObject: 'change' },
  seedKey: 'change',
  fields: [
    ['RecId', 'string'], ['ChangeNumber', 'integer'], ['Subject', 'string'], ['Description', 'string'],
    ['Status', 'string'], ['Status_Valid', 'string'], ['TypeOfChange', 'string'], ['TypeOfChange_Valid', 'string'],
    ['Risk', 'string'], ['Risk_Valid', 'string'], ['Category', 'string'], ['Category_Valid', 'string'],
    ['Impact', 'string'], ['Impact_Valid', 'string'], ['Urgency', 'string'], ['Urgency_Valid', 'string'], ['Priority', 'string'],
    ['Owner', 'string'], ['Owner_Valid', 'string'], ['OwnerTeam', 'string'], ['OwnerTeam_Valid', 'string'],
    ['Reason', 'string'], ['BackoutPlan', 'string'], ['ScheduledStartDateTime', 'string'], ['ScheduledEndDateTime', 'string'],
    ['CreatedBy', 'string'], ['CreatedDateTime', 'string'], ['LastModBy', 'string'], ['LastModDateTime', 'string'],
  ],
  searchFields: ['Subject', 'Description', 'Reason', 'ChangeNumber'],
  indexes: ['Owner', 'Status'],
  required: [['Subject', 'Summary'], ['Description', 'Description'], ['TypeOfChange', 'Type']],
  lists: {
    Status: ['Logged', 'Requested', 'Approved', 'Scheduled', 'Implemented', 'Closed', 'Cancelled'],
    TypeOfChange: ['Standard', 'Normal', 'Major', 'Emergency'],
    Risk: ['Low', 'Medium', 'High'],
    Category: ['Email', 'Hardware', 'Network', 'Security', 'Software', 'Telephony'],
    Impact: ['Low', 'Medium', 'High'],
    Urgency: ['Low', 'Medium', 'High'],
  },
  number: { field: 'ChangeNumber', first: 7001 },
  defaults: { Status: 'Logged', Risk: 'Low', Impact: 'Low', Urgency: 'Low' },
  statusNeeds: { Scheduled: ['ScheduledStartDateTime', 'ScheduledEndDateTime'] },
  derived: ['Priority'],
  derive(record) {
    record.Priority = priorityFor(record.Impact, record.Urgency);
  },
};
