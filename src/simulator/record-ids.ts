/** The RecIds the tenant hands out: random ones for new records, stable ones for validated values. */

import { createHash, randomBytes } from 'node:crypto';

/** 32 upper-case hex characters, like every ISM RecId. */
export function newRecId(): string {
  return randomBytes(16).toString('hex').toUpperCase();
}

const validIds = new Map<string, string>();

/** A stable RecId for a value of a validation list (what ISM stores in `<Field>_Valid`). */
export function validRecId(list: string, value: string): string {
  const key = `${list}\u0000${value.toLowerCase()}`;
  let id = validIds.get(key);
  if (id === undefined) {
    id = createHash('md5').update(key).digest('hex').toUpperCase();
    validIds.set(key, id);
  }
  return id;
}
