/**
 * The business objects this tenant serves and the relationships between them: incidents, journal
 * notes and employees (with rules of their own), problems, changes, assignment tasks, computers
 * and one custom object (declared), the base types `Task#` and `CI#`, the attachments (rows of
 * the attachment store), and the relationships navigable between them.
 */

import { LinkTable, association, parentLink, type ChildObject, type Relationship } from '../relationships.js';
import type { Table } from '../table.js';
import type { SeedData } from '../types.js';
import { AttachmentObject } from './attachment.js';
import { BaseTypeObject } from './base-type.js';
import type { BusinessObject, TenantRecords } from './business-object.js';
import { CHANGE } from './change.js';
import { CI_COMPUTER } from './ci-computer.js';
import { DefinedObject, type ObjectDefinition } from './defined-object.js';
import { EmployeeObject } from './employee.js';
import { IncidentObject } from './incident.js';
import { INDICATOR } from './indicator.js';
import { JournalNoteObject } from './journal-note.js';
import { PROBLEM } from './problem.js';
import { SERVICE_REQUEST } from './service-request.js';
import { SERVICE_REQUEST_TEMPLATE } from './service-request-template.js';
import { SERVICE_REQUEST_TEMPLATE_PARAM } from './service-request-template-param.js';
import { TASK_ASSIGNMENT } from './task.js';

/** The declared objects, in the order a seed's records are loaded (parents before children). */
export const DEFINITIONS: readonly ObjectDefinition[] = [PROBLEM, CHANGE, CI_COMPUTER, INDICATOR, TASK_ASSIGNMENT, SERVICE_REQUEST_TEMPLATE, SERVICE_REQUEST_TEMPLATE_PARAM, SERVICE_REQUEST];

/** One-to-many relationships kept on the child: name, parent collection, child collection. */
const CONTAINS: ReadonlyArray<readonly [string, string, string]> = [
  ['IncidentContainsJournal', 'incidents', 'journal__notess'],
  ['ProblemContainsJournal', 'problems', 'journal__notess'],
  ['ChangeContainsJournal', 'changes', 'journal__notess'],
  ['IncidentContainsTask', 'incidents', 'task__assignments'],
  ['ProblemContainsTask', 'problems', 'task__assignments'],
  ['ChangeContainsTask', 'changes', 'task__assignments'],
  ['IncidentContainsAttachment', 'incidents', 'attachments'],
  ['ServiceReqTemplateContainsServiceReqTemplateParam', 'servicereqtemplates', 'servicereqtemplateparams'],
];

/** Many-to-many associations: the name from each side, and the two collections. */
const ASSOCIATES: ReadonlyArray<readonly [string, string, string, string]> = [
  ['IncidentAssociatesProblem', 'ProblemAssociatesIncident', 'incidents', 'problems'],
  ['IncidentAssociatesCI', 'CIAssociatesIncident', 'incidents', 'cis'],
  ['ProblemAssociatesChange', 'ChangeAssociatesProblem', 'problems', 'changes'],
  ['ProblemAssociatesCI', 'CIAssociatesProblem', 'problems', 'cis'],
  ['ChangeAssociatesCI', 'CIAssociatesChange', 'changes', 'cis'],
  ['IncidentAssociatesIndicator', 'IndicatorAssociatesIncident', 'incidents', 'frs_indicators'],
];

export interface TenantObjects {
  employees: EmployeeObject;
  incidents: IncidentObject;
  notes: JournalNoteObject;
  /** The declared objects by seed key (`problem`). */
  defined: ReadonlyMap<string, DefinedObject>;
  /** Every object, base types included. */
  all: readonly BusinessObject[];
  relationships: readonly Relationship[];
  /** The link tables of the associations (a deleted record leaves them). */
  links: readonly LinkTable[];
}

/** `attachments` is the attachment store's table, which outlives a reload of the objects. */
export function buildObjects(seed: SeedData, tenant: TenantRecords, teamSeen: (name: string) => void, attachments: Table): TenantObjects {
  const employees = new EmployeeObject(seed.employees, teamSeen);
  const incidents = new IncidentObject(tenant);
  const notes = new JournalNoteObject(tenant);
  const defined = new Map(DEFINITIONS.map((d) => [d.seedKey, new DefinedObject(d, tenant)]));
  const tasks = defined.get(TASK_ASSIGNMENT.seedKey) as DefinedObject;
  const computers = defined.get(CI_COMPUTER.seedKey) as DefinedObject;
  const all: BusinessObject[] = [
    incidents,
    employees,
    notes,
    ...defined.values(),
    new BaseTypeObject({ set: 'tasks', typeName: 'Task', roleObject: 'Task#', recordObject: 'task' }, tasks),
    new BaseTypeObject({ set: 'cis', typeName: 'CI', roleObject: 'CI#', recordObject: 'ci' }, computers),
    new AttachmentObject(attachments),
  ];
  const bySet = new Map(all.map((o) => [o.schema.set, o]));
  const at = (set: string): BusinessObject => bySet.get(set) as BusinessObject;

  const relationships: Relationship[] = [];
  for (const [name, parent, child] of CONTAINS) relationships.push(parentLink(name, at(parent), at(child) as ChildObject));
  const links: LinkTable[] = [];
  for (const [aToB, bToA, a, b] of ASSOCIATES) {
    const table = new LinkTable();
    links.push(table);
    relationships.push(...association(aToB, bToA, at(a), at(b), table));
  }
  return { employees, incidents, notes, defined, all, relationships, links };
}
