/**
 * Where New Incident stands: `last`, the highest number handled; `floor`, the highest number
 * when it first started (nothing at or below it is ever delivered: history is not replayed);
 * and `recent`, the numbers handled within the look-back window below `last`. ISM numbers an
 * incident when its create starts, so a number can become visible after a higher one: every
 * check re-reads the window, and a number in it that is not in `recent` is delivered then.
 *
 * Saved as `{baseUrl, last, floor, recent}`; another tenant's numbers mean nothing here. A
 * state saved before the window existed (`{baseUrl, last}`) resumes with `floor = last`.
 */
export interface Checkpoint {
  last: number;
  floor: number;
  recent: Set<number>;
}

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

export function readCheckpoint(saved: Record<string, unknown> | undefined, baseUrl: string): Checkpoint | undefined {
  if (!saved || saved.baseUrl !== baseUrl || !isCount(saved.last)) return undefined;
  const last = saved.last;
  const floor = isCount(saved.floor) && saved.floor <= last ? saved.floor : last;
  const recent = Array.isArray(saved.recent) ? saved.recent.filter((n): n is number => isCount(n) && n > floor && n <= last) : [];
  return { last, floor, recent: new Set(recent) };
}

export function startingCheckpoint(highest: number): Checkpoint {
  return { last: highest, floor: highest, recent: new Set() };
}

/** The number the window's re-read starts after. */
export function windowStart(checkpoint: Checkpoint, lookBack: number): number {
  return Math.max(checkpoint.floor, checkpoint.last - lookBack);
}

/** Records a handled number, and forgets the ones the window no longer reaches. */
export function handled(checkpoint: Checkpoint, number: number, lookBack: number): void {
  checkpoint.last = Math.max(checkpoint.last, number);
  checkpoint.recent.add(number);
  const start = windowStart(checkpoint, lookBack);
  for (const n of checkpoint.recent) if (n <= start) checkpoint.recent.delete(n);
}

export function checkpointState(checkpoint: Checkpoint, baseUrl: string): Record<string, unknown> {
  return { baseUrl, last: checkpoint.last, floor: checkpoint.floor, recent: [...checkpoint.recent].sort((a, b) => a - b) };
}
