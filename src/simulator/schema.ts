/**
 * What the simulator knows about each business object set: its fields and their types, the names
 * ISM uses for it in messages, and the fields `$search` looks at.
 */

import { EMPLOYEE_FIELDS, INCIDENT_EXTRA_FIELDS, INCIDENT_FIELDS, NOTE_FIELDS, isDateTimeField, type FieldType } from './fields.js';
import type { FilterSchema, ValueType } from './odata-filter.js';

export type SetName = 'incidents' | 'employees' | 'journal__notess';

export interface ObjectSchema extends FilterSchema {
  /** The set name as it appears in URLs (`incidents`). */
  readonly set: SetName;
  /** The type in messages about properties and validated fields (`Incident`). */
  readonly typeName: string;
  /** The object in role messages (`Incident#`). */
  readonly roleObject: string;
  /** The object in "cannot be found" messages (`incident`). */
  readonly recordObject: string;
  /** Every field, in the order records list them. */
  readonly fields: readonly string[];
  readonly searchFields: readonly string[];
  has(field: string): boolean;
}

class FieldCatalogue implements ObjectSchema {
  readonly fields: readonly string[];
  private readonly types = new Map<string, ValueType>();
  private readonly byLowerName = new Map<string, string>();

  constructor(
    readonly set: SetName,
    readonly typeName: string,
    readonly roleObject: string,
    readonly recordObject: string,
    fields: ReadonlyArray<readonly [string, FieldType]>,
    readonly searchFields: readonly string[],
  ) {
    const names: string[] = [];
    for (const [name, type] of fields) {
      if (this.types.has(name)) continue;
      names.push(name);
      this.types.set(name, type === 'string' && isDateTimeField(name) ? 'datetime' : type);
      this.byLowerName.set(name.toLowerCase(), name);
    }
    this.fields = names;
  }

  resolveField(name: string): string | undefined {
    return this.types.has(name) ? name : this.byLowerName.get(name.toLowerCase());
  }

  typeOf(field: string): ValueType {
    return this.types.get(field) ?? 'string';
  }

  has(field: string): boolean {
    return this.types.has(field);
  }
}

export function incidentSchema(): ObjectSchema {
  return new FieldCatalogue('incidents', 'Incident', 'Incident#', 'incident', [...INCIDENT_FIELDS, ...INCIDENT_EXTRA_FIELDS], [
    'Subject', 'Symptom', 'Resolution', 'ProfileFullName', 'Owner', 'IncidentNumber',
  ]);
}

export function noteSchema(): ObjectSchema {
  return new FieldCatalogue('journal__notess', 'Journal#Notes', 'Journal#Notes', 'journal__notes', NOTE_FIELDS, [
    'Subject', 'NotesBody',
  ]);
}

/** Employees carry the standard fields plus whatever further fields the seed gives them. */
export function employeeSchema(extraFields: Iterable<readonly [string, FieldType]>): ObjectSchema {
  return new FieldCatalogue('employees', 'Employee', 'Employee#', 'employee', [...EMPLOYEE_FIELDS, ...extraFields], [
    'DisplayName', 'FirstName', 'LastName', 'PrimaryEmail', 'LoginID',
  ]);
}
