/**
 * A base type (`Task#`, collection `tasks`; `CI#`, collection `cis`): lists the records of its
 * subtype and reads, updates and deletes them, but cannot be created (ISM wants the subtype:
 * `Task#Assignment`, `CI#Computer`).
 */

import { badRequest, MESSAGES } from '../errors.js';
import { FieldCatalogue, type ObjectNames, type ObjectSchema } from '../schema.js';
import type { StoredRow, Table } from '../table.js';
import type { Actor, BusinessObject } from './business-object.js';

export class BaseTypeObject implements BusinessObject {
  readonly schema: ObjectSchema;
  readonly table: Table;
  readonly writable = true;

  constructor(
    names: ObjectNames,
    readonly subtype: BusinessObject,
  ) {
    const fields = subtype.schema.fields.map((f) => [f, subtype.schema.typeOf(f) === 'datetime' ? 'string' : subtype.schema.typeOf(f)] as const);
    this.schema = new FieldCatalogue(names, fields as ReadonlyArray<readonly [string, 'string' | 'integer' | 'boolean']>, subtype.schema.searchFields);
    this.table = subtype.table;
  }

  create(): StoredRow {
    throw badRequest(MESSAGES.baseTypeCreate(this.schema.roleObject, this.subtype.schema.typeName));
  }

  update(row: StoredRow, body: unknown, actor: Actor): void {
    this.subtype.update(row, body, actor);
  }

  checkDelete(row: StoredRow): void {
    this.subtype.checkDelete(row);
  }
}
