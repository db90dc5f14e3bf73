/**
 * Relationships between business objects, as ISM's navigation properties expose them:
 * `{set}('{RecId}')/{Relationship}` lists the related records, and
 * `{set}('{RecId}')/{Relationship}('{RelatedRecId}')/$Ref` links (PATCH) or unlinks (DELETE) one.
 *
 * Two kinds: a record that belongs to a parent (a journal note, a task) is related through its
 * own `ParentLink_RecID`; records of two objects that are associated (an incident and a CI) are
 * related through a link table, navigable from either side under each side's name.
 *
 * No source documents what ISM answers for a link that already exists or an unlink of records
 * that are not linked; this tenant answers both as done (ISM_2000) and changes nothing, so a
 * link exists at most once and a retried unlink is harmless. An unknown relationship name is an
 * unknown path (404 ISM_4004); names are case-sensitive, as the metadata gives them.
 */

import type { Actor, BusinessObject } from './objects/business-object.js';
import { categoryOf } from './object-names.js';
import type { StoredRow } from './table.js';

export interface Relationship {
  /** As the metadata names it (`IncidentContainsJournal`). */
  readonly name: string;
  /** The collection it starts from, and the one it leads to. */
  readonly from: BusinessObject;
  readonly to: BusinessObject;
  /** Whether deleting a `from` record deletes its related records too (an incident's notes). */
  readonly contains: boolean;
  /** The records related to one record, oldest first. */
  related(from: StoredRow): readonly StoredRow[];
  /** Links two records; false when they were linked already (nothing changes). */
  link(from: StoredRow, to: StoredRow, actor: Actor): boolean;
  /** Unlinks two records; false when they were not linked (nothing changes). */
  unlink(from: StoredRow, to: StoredRow, actor: Actor): boolean;
}

/** An object whose records belong to a parent record through their `ParentLink_RecID`. */
export interface ChildObject extends BusinessObject {
  childrenOf(parentRecId: string): StoredRow[];
  /** Makes `parent` (a record of the object named `parentObject`) the child's parent, or, with null, leaves it without one. */
  setParent(child: StoredRow, parent: StoredRow | null, actor: Actor, parentObject: string | null): void;
}

const recIdOf = (row: StoredRow): string => String(row.data.RecId);

/** A one-to-many relationship kept on the child: the child's `ParentLink_RecID` names the parent. */
export function parentLink(name: string, from: BusinessObject, to: ChildObject): Relationship {
  const isChild = (parent: StoredRow, child: StoredRow): boolean => child.data.ParentLink_RecID === parent.data.RecId;
  return {
    name,
    from,
    to,
    contains: true,
    related: (parent) => to.childrenOf(recIdOf(parent)),
    link(parent, child, actor) {
      if (isChild(parent, child)) return false;
      to.setParent(child, parent, actor, categoryOf(from.schema.typeName));
      return true;
    },
    unlink(parent, child, actor) {
      if (!isChild(parent, child)) return false;
      to.setParent(child, null, actor, null);
      return true;
    },
  };
}

/** The pairs of one many-to-many association, by RecId, findable from either side. */
export class LinkTable {
  private readonly forward = new Map<string, Set<string>>();
  private readonly backward = new Map<string, Set<string>>();

  private static add(index: Map<string, Set<string>>, key: string, value: string): void {
    let set = index.get(key);
    if (!set) index.set(key, (set = new Set()));
    set.add(value);
  }

  has(a: string, b: string): boolean {
    return this.forward.get(a)?.has(b) === true;
  }

  add(a: string, b: string): boolean {
    if (this.has(a, b)) return false;
    LinkTable.add(this.forward, a, b);
    LinkTable.add(this.backward, b, a);
    return true;
  }

  remove(a: string, b: string): boolean {
    if (!this.has(a, b)) return false;
    this.forward.get(a)?.delete(b);
    this.backward.get(b)?.delete(a);
    return true;
  }

  /** The RecIds linked to `id` on the other side, in the order they were linked. */
  partners(id: string, side: 'a' | 'b'): string[] {
    return [...((side === 'a' ? this.forward : this.backward).get(id) ?? [])];
  }

  /** Drops every pair a deleted record was part of. */
  forget(id: string): void {
    for (const b of this.forward.get(id) ?? []) this.backward.get(b)?.delete(id);
    for (const a of this.backward.get(id) ?? []) this.forward.get(a)?.delete(id);
    this.forward.delete(id);
    this.backward.delete(id);
  }
}

/**
 * A many-to-many association between the records of `a` and `b`, kept in `links`: two
 * relationships, `aToB` navigated from `a`'s records and `bToA` from `b`'s.
 */
export function association(aToB: string, bToA: string, a: BusinessObject, b: BusinessObject, links: LinkTable): [Relationship, Relationship] {
  const side = (name: string, from: BusinessObject, to: BusinessObject, fromSide: 'a' | 'b'): Relationship => {
    const pair = (x: StoredRow, y: StoredRow): [string, string] => (fromSide === 'a' ? [recIdOf(x), recIdOf(y)] : [recIdOf(y), recIdOf(x)]);
    return {
      name,
      from,
      to,
      contains: false,
      related: (row) =>
        links
          .partners(recIdOf(row), fromSide)
          .map((id) => to.table.get(id))
          .filter((r): r is StoredRow => r !== undefined),
      link: (x, y) => links.add(...pair(x, y)),
      unlink: (x, y) => links.remove(...pair(x, y)),
    };
  };
  return [side(aToB, a, b, 'a'), side(bToA, b, a, 'b')];
}
