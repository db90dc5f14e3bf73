/**
 * The request journal: a bounded ring buffer of what each API request asked and what it got.
 * An entry is recorded when the request arrives and completed when it is answered, so a request
 * that hangs is visible too. The API key itself is never stored.
 */

import type { FaultSpec } from './faults.js';
import type { FilterNode } from './odata-filter.js';

export type AuthorizationSeen = 'present/valid' | 'present/invalid';

export interface JournalEntry {
  /** 1, 2, 3, ... in order of arrival (keeps counting when old entries fall out). */
  seq: number;
  /** ISO time of arrival. */
  time: string;
  method: string;
  /** The path as sent, without the query string. */
  path: string;
  /** `/HEAT`, `` (no prefix), or null when the path is not an API path. */
  prefix: string | null;
  /** Canonical set name (`incidents`), `attachment` for `api/rest/Attachment`, or null. */
  set: string | null;
  /** The record key inside `('...')`, decoded, or null. */
  key: string | null;
  /** The navigation property and its key, when the path has one. */
  navigation: string | null;
  navigationKey: string | null;
  /** Decoded query options. */
  query: Record<string, string>;
  /** The parsed `$filter`, or why it did not parse; null without a filter. */
  filter: { ast?: FilterNode; error?: string } | null;
  /** Request headers, lower-cased; `authorization` is replaced by what was seen, or absent. */
  headers: Record<string, string | string[] | undefined>;
  /**
   * The body parsed as JSON; the raw text when it is not JSON; null without a body. For an
   * upload: `{fields, files: [{fileName, size, contentType}]}` (never the bytes), or
   * `{error, size}` when the multipart body could not be read.
   */
  body: unknown;
  /** Status answered; null while pending or when the connection was destroyed without answer. */
  status: number | null;
  /** Whether a write was applied to the store. */
  applied: boolean;
  fault: FaultSpec | null;
  /** Time to answer in milliseconds; null while pending. */
  durationMs: number | null;
}

export interface RequestJournal {
  /** Entries still held, oldest first. */
  entries(): JournalEntry[];
  /** The newest entry, or the newest n entries (oldest first). */
  last(): JournalEntry | undefined;
  last(n: number): JournalEntry[];
  /** Entries with a sequence number above `seq`. */
  since(seq: number): JournalEntry[];
  clear(): void;
  /** Entries held now. */
  readonly size: number;
  /** Entries ever recorded (including those that fell out of the buffer). */
  readonly total: number;
  readonly limit: number;
}

export class RingJournal implements RequestJournal {
  private readonly buffer: Array<JournalEntry | undefined>;
  private start = 0;
  private count = 0;
  private recorded = 0;

  constructor(readonly limit: number) {
    this.buffer = new Array<JournalEntry | undefined>(Math.max(0, limit));
  }

  get enabled(): boolean {
    return this.limit > 0;
  }

  get size(): number {
    return this.count;
  }

  get total(): number {
    return this.recorded;
  }

  nextSeq(): number {
    return ++this.recorded;
  }

  record(entry: JournalEntry): void {
    if (this.limit <= 0) return;
    if (this.count < this.limit) {
      this.buffer[(this.start + this.count) % this.limit] = entry;
      this.count++;
    } else {
      this.buffer[this.start] = entry;
      this.start = (this.start + 1) % this.limit;
    }
  }

  entries(): JournalEntry[] {
    const out: JournalEntry[] = [];
    for (let i = 0; i < this.count; i++) {
      const entry = this.buffer[(this.start + i) % this.limit];
      if (entry) out.push(entry);
    }
    return out;
  }

  last(): JournalEntry | undefined;
  last(n: number): JournalEntry[];
  last(n?: number): JournalEntry | undefined | JournalEntry[] {
    if (n === undefined) {
      return this.count === 0 ? undefined : this.buffer[(this.start + this.count - 1) % this.limit];
    }
    const all = this.entries();
    return n <= 0 ? [] : all.slice(-n);
  }

  since(seq: number): JournalEntry[] {
    return this.entries().filter((e) => e.seq > seq);
  }

  clear(): void {
    this.buffer.fill(undefined);
    this.start = 0;
    this.count = 0;
  }
}
