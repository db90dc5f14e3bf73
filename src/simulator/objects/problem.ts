/** Problems (`Problem#`, collection `problems`): the cause behind one or more incidents. */

import { priorityFor } from './incident.js';
import type { ObjectDefinition } from './defined-object.js';

export const PROBLEM: ObjectDefinition = {
  names: { set: 'problems', typeName: 'Problem', roleObject: 'Problem#', recordObject: 'problem' },
  seedKey: 'problem',
  fields: [
    ['RecId', 'string'], ['ProblemNumber', 'integer'], ['Subject', 'string'], ['Description', 'string'],
    ['Status', 'string'], ['Status_Valid', 'string'], ['Category', 'string'], ['Category_Valid', 'string'],
    ['Source', 'string'], ['Source_Valid', 'string'], ['Impact', 'string'], ['Impact_Valid', 'string'],
    ['Urgency', 'string'], ['Urgency_Valid', 'string'], ['Priority', 'string'], ['Owner', 'string'], ['Owner_Valid', 'string'],
    ['OwnerTeam', 'string'], ['OwnerTeam_Valid', 'string'], ['Workaround', 'string'], ['Resolution', 'string'],
    ['TargetDateTime', 'string'], ['CreatedBy', 'string'], ['CreatedDateTime', 'string'], ['LastModBy', 'string'],
    ['LastModDateTime', 'string'],
  ],
  searchFields: ['Subject', 'Description', 'Workaround', 'Resolution', 'ProblemNumber'],
  indexes: ['Owner', 'Status'],
  required: [['Subject', 'Summary'], ['Description', 'Description'], ['Category', 'Category']],
  lists: {
    Status: ['Logged', 'Active', 'Investigation', 'Known Error', 'Resolved', 'Closed'],
    Category: ['Email', 'Hardware', 'Network', 'Security', 'Software', 'Telephony'],
    Source: ['Incident', 'Monitoring', 'Proactive', 'Vendor'],
    Impact: ['Low', 'Medium', 'High'],
    Urgency: ['Low', 'Medium', 'High'],
  },
  number: { field: 'ProblemNumber', first: 5001 },
  defaults: { Status: 'Logged', Impact: 'Low', Urgency: 'Low' },
  statusNeeds: { Resolved: ['Resolution'], Closed: ['Resolution'] },
  derived: ['Priority'],
  derive(record) {
    record.Priority = priorityFor(record.Impact, record.Urgency);
  },
};
