/**
 * ISM's rule from a business object's name to its collection: `#` becomes `__`, a trailing `#`
 * is dropped, and a literal `s` is appended, never an English plural (`Incident#` → `incidents`,
 * `CI#Computer` → `ci__computers`, `Journal#Notes` → `journal__notess`). Collections are
 * case-insensitive; the store keys them in lower case.
 */

export function collectionOf(objectName: string): string {
  return `${objectName.replace(/#$/, '').replace(/#/g, '__')}s`.toLowerCase();
}

/** The name a record's `..._Category` field gives its object (`Incident`, `CI#Computer`). */
export function categoryOf(typeName: string): string {
  return typeName.replace(/#$/, '');
}
