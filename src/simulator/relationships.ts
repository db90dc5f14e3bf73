/**
 * Relationships between business objects, as ISM's navigation properties expose them:
 * `{set}('{RecId}')/{Relationship}` lists the related records, and
 * `{set}('{RecId}')/{Relationship}('{RelatedRecId}')/$Ref` links (PATCH) or unlinks (DELETE) one.
 */

import type { Actor, BusinessObject } from './objects/business-object.js';
import type { StoredRow } from './table.js';

export interface Relationship {
  /** As the metadata names it (`IncidentContainsJournal`). */
  readonly name: string;
  /** The collection it starts from, and the one it leads to. */
  readonly from: BusinessObject;
  readonly to: BusinessObject;
  /** Whether deleting a `from` record deletes its related records too (an incident's notes). */
  readonly contains: boolean;
  /** The records related to one record. */
  related(from: StoredRow): readonly StoredRow[];
  link(from: StoredRow, to: StoredRow, actor: Actor): void;
  unlink(from: StoredRow, to: StoredRow, actor: Actor): void;
}

/** An object whose records belong to a parent record through their `ParentLink_RecID`. */
export interface ChildObject extends BusinessObject {
  childrenOf(parentRecId: string): StoredRow[];
  setParent(child: StoredRow, parent: StoredRow | null, actor: Actor): void;
}

/** A one-to-many relationship kept on the child: the child's `ParentLink_RecID` names the parent. */
export function parentLink(name: string, from: BusinessObject, to: ChildObject): Relationship {
  return {
    name,
    from,
    to,
    contains: true,
    related: (parent) => to.childrenOf(String(parent.data.RecId)),
    link: (parent, child, actor) => to.setParent(child, parent, actor),
    unlink: (_parent, child, actor) => to.setParent(child, null, actor),
  };
}
