/**
 * Employees: the customers and analysts incidents point at. Read-only through the API (a write
 * answers 405); their fields are the standard ones plus whatever further fields the seed gives.
 */

import { EMPLOYEE_FIELDS, type FieldType } from '../fields.js';
import { isBlank } from '../payload.js';
import { validRecId } from '../record-ids.js';
import { FieldCatalogue, type ObjectSchema } from '../schema.js';
import { Table, type StoredRow } from '../table.js';
import type { FieldMap, SeedEmployee } from '../types.js';
import type { BusinessObject } from './business-object.js';

/** Employees carry the standard fields plus whatever further fields the seed gives them. */
function employeeSchema(extraFields: Iterable<readonly [string, FieldType]>): ObjectSchema {
  return new FieldCatalogue(
    { set: 'employees', typeName: 'Employee', roleObject: 'Employee#', recordObject: 'employee' },
    [...EMPLOYEE_FIELDS, ...extraFields],
    ['DisplayName', 'FirstName', 'LastName', 'PrimaryEmail', 'LoginID'],
  );
}

function readOnly(): never {
  throw new Error('employees are read-only');
}

export class EmployeeObject implements BusinessObject {
  readonly schema: ObjectSchema;
  readonly table = new Table(['RecId', 'LoginID', 'PrimaryEmail', 'DisplayName']);
  readonly writable = false;

  /** Loads the seed's employees; `teamSeen` hears each team an employee names. */
  constructor(employees: readonly SeedEmployee[], teamSeen: (name: string) => void) {
    const extraFields = new Map<string, FieldType>();
    for (const e of employees) {
      for (const [k, v] of Object.entries(e)) {
        if (v === undefined || extraFields.has(k)) continue;
        extraFields.set(k, typeof v === 'boolean' ? 'boolean' : typeof v === 'number' ? 'integer' : 'string');
      }
    }
    this.schema = employeeSchema(extraFields);
    for (const e of employees) {
      const record: FieldMap = {};
      for (const f of this.schema.fields) record[f] = this.schema.typeOf(f) === 'boolean' ? false : null;
      for (const [k, v] of Object.entries(e)) if (v !== undefined) record[k] = v;
      record.RecId = String(e.RecId).toUpperCase();
      record.Status ??= 'Active';
      if (record.OrgUnitLink_RecID === null && !isBlank(record.OrgUnit)) {
        record.OrgUnitLink_RecID = validRecId('OrganizationalUnit', String(record.OrgUnit));
      }
      record.CreatedBy ??= 'admin';
      record.CreatedDateTime ??= '2025-06-02T08:00:00+00:00';
      record.LastModBy ??= record.CreatedBy;
      record.LastModDateTime ??= record.CreatedDateTime;
      if (this.table.get(record.RecId as string)) throw new Error(`seed: duplicate employee RecId ${record.RecId}`);
      this.table.insert(record);
      if (!isBlank(record.Team)) teamSeen(String(record.Team));
    }
  }

  byRecId(recId: string): StoredRow | undefined {
    return this.table.get(recId);
  }

  byLogin(login: string): StoredRow | undefined {
    return this.table.lookup('LoginID', login)?.[0];
  }

  byEmail(email: string): StoredRow | undefined {
    return this.table.lookup('PrimaryEmail', email)?.[0];
  }

  create(): StoredRow {
    return readOnly();
  }

  update(): void {
    readOnly();
  }

  checkDelete(): void {
    readOnly();
  }
}
