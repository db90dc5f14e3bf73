/**
 * The contract between the generic store and router and the rules of one business object.
 * The router finds the object by its collection, and calls `create`, `update` and `remove`;
 * everything ISM does on save (validation lists, required fields, derived fields, numbers)
 * lives in the object's own module.
 */

import type { Timestamp } from '../clock.js';
import type { ObjectSchema } from '../schema.js';
import type { StoredRow, Table } from '../table.js';
import type { Teams } from '../teams.js';
import type { ValidationLists } from '../validation-lists.js';

/** Who is writing: the user behind the API key (`CreatedBy`, `LastModBy`, note owner). */
export interface Actor {
  user: string;
}

export interface WriteOptions {
  /** Seeds may set system fields (RecId, numbers, timestamps, ...). */
  trusted?: boolean;
}

/** A value a quick action asks for before it runs (ISM's prompt), such as Close Incident's CauseCode. */
export interface QuickActionPrompt {
  /** The field the value is for (`CauseCode`); matched without regard to case. */
  field: string;
  /** Without it, ISM refuses the action with a DataLayer.PromptException. */
  required: boolean;
  /** The validation list the value must be in (`Incident.CauseCode`), if any. */
  list?: string;
}

/**
 * A quick action of an object: its metadata announces it (a bound action and its ActionId), and
 * `POST {set}('{RecId}')/{name}` runs it (quick-actions.ts checks the request and the prompts).
 */
export interface QuickAction {
  /** `Close_Incident`: the bound action's name, in the URL and the metadata. */
  name: string;
  /** The GUID a caller sends as `ActionId`. */
  actionId: string;
  /** The prompts it asks for, in order. */
  prompts?: readonly QuickActionPrompt[];
  /**
   * Runs the action on a record with its prompt values (by prompt field, checked and made
   * canonical); returns a record to answer with (the copy Clone made), or undefined for an
   * empty answer. Throws IsmError when the record's state does not allow it.
   */
  run(row: StoredRow, values: ReadonlyMap<string, string>, actor: Actor): StoredRow | undefined;
}

export interface BusinessObject {
  readonly schema: ObjectSchema;
  readonly table: Table;
  /** Whether the API may create, update and delete its records (a 405 otherwise). */
  readonly writable: boolean;
  /** Creates a record as `POST {set}` would; throws IsmError on a broken rule. */
  create(body: unknown, actor: Actor, options?: WriteOptions): StoredRow;
  /** Updates a record as `PATCH {set}('{RecId}')` would; throws IsmError on a broken rule. */
  update(row: StoredRow, body: unknown, actor: Actor): void;
  /** Throws IsmError when ISM refuses to delete this record (a closed incident). */
  checkDelete(row: StoredRow): void;
  /** The quick actions its metadata lists. */
  readonly quickActions?: readonly QuickAction[];
}

/** What an object's rules may read from the rest of the tenant. */
export interface TenantRecords {
  now(): Timestamp;
  readonly lists: ValidationLists;
  readonly teams: Teams;
  /** Another business object, by its collection (any case). */
  object(set: string): BusinessObject | undefined;
  /** Another business object, by its name (`Incident`, `Problem#`, `CI#Computer`). */
  objectNamed(name: string): BusinessObject | undefined;
  employeeByRecId(recId: string): StoredRow | undefined;
  employeeByLogin(login: string): StoredRow | undefined;
}
