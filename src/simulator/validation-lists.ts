/**
 * The tenant's validation lists, named `<Object>.<Field>` as ISM's messages name them
 * (`Incident.Status`, `Journal#Notes.Category`). Values match case-insensitively and are stored
 * in the list's own spelling.
 */

import { isBlank } from './payload.js';
import { validRecId } from './record-ids.js';
import type { Scalar } from './types.js';

export class ValidationLists {
  private readonly lists = new Map<string, Map<string, string>>();

  define(list: string, values: readonly string[]): void {
    this.lists.set(list, new Map(values.map((v) => [v.toLowerCase(), v])));
  }

  has(list: string): boolean {
    return this.lists.has(list);
  }

  /** The list's spelling of a value, or undefined when the value is not in the list. */
  value(list: string, value: string): string | undefined {
    return this.lists.get(list)?.get(value.toLowerCase());
  }

  /** The RecId ISM stores in `<Field>_Valid` for a value; null for a blank value. */
  valid(list: string, value: Scalar | undefined): string | null {
    return isBlank(value) ? null : validRecId(list, String(value));
  }
}
