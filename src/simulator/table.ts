/**
 * Rows of one business object with the indexes that make lookups cheap.
 *
 * Rows live in a Map keyed by upper-case RecId. A write moves the row to the end of the Map, so
 * iterating the Map backwards lists the most recently created or modified rows first, which is
 * the order ISM lists records in when no `$orderby` is given.
 */

import type { FieldMap, Scalar } from './types.js';

export interface StoredRow {
  data: FieldMap;
  /** Creation order. */
  readonly seq: number;
  /** Order of the last write (create or update); larger is newer. */
  mod: number;
  /** Lower-cased words of the searchable fields, computed when first searched. */
  words?: string[] | undefined;
}

/** The key an index files a value under: values compare case-insensitively, like ISM's collation. */
export function indexKey(value: Scalar | undefined): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  return String(value).toLowerCase();
}

export class Table {
  private readonly rows = new Map<string, StoredRow>();
  private readonly indexes = new Map<string, Map<string, StoredRow[]>>();
  private seq = 0;
  private mod = 0;

  constructor(indexedFields: readonly string[]) {
    for (const field of indexedFields) this.indexes.set(field, new Map());
  }

  get size(): number {
    return this.rows.size;
  }

  get(recId: string): StoredRow | undefined {
    return this.rows.get(recId.toUpperCase());
  }

  insert(data: FieldMap): StoredRow {
    const row: StoredRow = { data, seq: ++this.seq, mod: ++this.mod };
    this.rows.set(String(data.RecId).toUpperCase(), row);
    for (const [field, index] of this.indexes) this.addToIndex(index, indexKey(data[field]), row);
    return row;
  }

  /** Replaces a row's data after a write, re-filing the indexed fields that changed. */
  replace(row: StoredRow, data: FieldMap): void {
    for (const [field, index] of this.indexes) {
      const before = indexKey(row.data[field]);
      const after = indexKey(data[field]);
      if (before === after) continue;
      this.removeFromIndex(index, before, row);
      this.addToIndex(index, after, row);
    }
    row.data = data;
    row.words = undefined;
    row.mod = ++this.mod;
    const key = String(data.RecId).toUpperCase();
    this.rows.delete(key);
    this.rows.set(key, row);
  }

  remove(row: StoredRow): void {
    this.rows.delete(String(row.data.RecId).toUpperCase());
    for (const [field, index] of this.indexes) this.removeFromIndex(index, indexKey(row.data[field]), row);
  }

  clear(): void {
    this.rows.clear();
    for (const index of this.indexes.values()) index.clear();
  }

  isIndexed(field: string): boolean {
    return this.indexes.has(field);
  }

  /** Rows whose field equals the key case-insensitively; undefined when the field has no index. */
  lookup(field: string, key: string): readonly StoredRow[] | undefined {
    const index = this.indexes.get(field);
    if (!index) return undefined;
    return index.get(key.toLowerCase()) ?? [];
  }

  /** All rows, most recently written first. */
  newestFirst(): StoredRow[] {
    return Array.from(this.rows.values()).reverse();
  }

  /** All rows in creation order. */
  inCreationOrder(): StoredRow[] {
    return Array.from(this.rows.values()).sort((a, b) => a.seq - b.seq);
  }

  values(): IterableIterator<StoredRow> {
    return this.rows.values();
  }

  private addToIndex(index: Map<string, StoredRow[]>, key: string | undefined, row: StoredRow): void {
    if (key === undefined) return;
    const bucket = index.get(key);
    if (bucket) bucket.push(row);
    else index.set(key, [row]);
  }

  private removeFromIndex(index: Map<string, StoredRow[]>, key: string | undefined, row: StoredRow): void {
    if (key === undefined) return;
    const bucket = index.get(key);
    if (!bucket) return;
    const at = bucket.indexOf(row);
    if (at >= 0) bucket.splice(at, 1);
    if (bucket.length === 0) index.delete(key);
  }
}
