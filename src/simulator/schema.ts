/**
 * What the simulator knows about a business object's collection: its fields and their types,
 * the names ISM uses for it in messages, and the fields `$search` looks at. Each object's
 * module (objects/*.ts) declares its own.
 */

import { isDateTimeField, type FieldType } from './fields.js';
import type { FilterSchema, ValueType } from './odata-filter.js';

export interface ObjectNames {
  /** The collection as it appears in URLs, lower case (`incidents`, `ci__computers`). */
  readonly set: string;
  /** The type in messages about properties and validated fields (`Incident`, `CI#Computer`). */
  readonly typeName: string;
  /** The object in role messages (`Incident#`). */
  readonly roleObject: string;
  /** The object in "cannot be found" messages (`incident`). */
  readonly recordObject: string;
}

export interface ObjectSchema extends FilterSchema, ObjectNames {
  readonly set: string;
  readonly typeName: string;
  /** Every field, in the order records list them. */
  readonly fields: readonly string[];
  readonly searchFields: readonly string[];
  has(field: string): boolean;
}

export class FieldCatalogue implements ObjectSchema {
  readonly set: string;
  readonly typeName: string;
  readonly roleObject: string;
  readonly recordObject: string;
  readonly fields: readonly string[];
  private readonly types = new Map<string, ValueType>();
  private readonly byLowerName = new Map<string, string>();

  constructor(
    names: ObjectNames,
    fields: ReadonlyArray<readonly [string, FieldType]>,
    readonly searchFields: readonly string[],
  ) {
    ({ set: this.set, typeName: this.typeName, roleObject: this.roleObject, recordObject: this.recordObject } = names);
    const list: string[] = [];
    for (const [name, type] of fields) {
      if (this.types.has(name)) continue;
      list.push(name);
      this.types.set(name, type === 'string' && isDateTimeField(name) ? 'datetime' : type);
      this.byLowerName.set(name.toLowerCase(), name);
    }
    this.fields = list;
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
