/**
 * Assignment tasks (`Task#Assignment`, collection `task__assignments`): work handed to an analyst,
 * always on behalf of an incident, a problem or a change (its parent). `Task#` is their base
 * type (collection `tasks`), which lists them but cannot be created (base-type.ts).
 */

import type { ObjectDefinition } from './defined-object.js';

export const TASK_ASSIGNMENT: ObjectDefinition = {
  names: { set: 'task__assignments', typeName: 'Task#Assignment', roleObject: 'Task#Assignment', recordObject: 'task__assignment' },
  seedKey: 'task',
  fields: [
    ['RecId', 'string'], ['AssignmentID', 'integer'], ['Subject', 'string'], ['Details', 'string'],
    ['Status', 'string'], ['Status_Valid', 'string'], ['Priority', 'string'], ['Priority_Valid', 'string'],
    ['Owner', 'string'], ['Owner_Valid', 'string'], ['OwnerTeam', 'string'], ['OwnerTeam_Valid', 'string'],
    ['ParentLink', 'string'], ['ParentLink_RecID', 'string'], ['ParentLink_Category', 'string'],
    ['Resolution', 'string'], ['TargetDateTime', 'string'],
    ['CreatedBy', 'string'], ['CreatedDateTime', 'string'], ['LastModBy', 'string'], ['LastModDateTime', 'string'],
  ],
  searchFields: ['Subject', 'Details', 'AssignmentID'],
  indexes: ['Owner', 'Status'],
  required: [['Subject', 'Subject'], ['ParentLink_RecID', 'ParentLink']],
  lists: {
    Status: ['Logged', 'Assigned', 'Accepted', 'In Progress', 'Waiting', 'Completed', 'Cancelled'],
    Priority: ['1', '2', '3', '4', '5'],
  },
  number: { field: 'AssignmentID', first: 30001 },
  defaults: { Status: 'Logged', Priority: '3' },
  statusNeeds: { Completed: ['Resolution'] },
  parents: ['Incident', 'Problem', 'Change'],
};
