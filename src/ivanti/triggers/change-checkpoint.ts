/**
 * Where Updated Incident stands, in UTC milliseconds: `last`, the latest modification time
 * handled; `floor`, the latest one when it first started (nothing at or before it is ever
 * delivered: history is not replayed); and `recent`, the changes handled within the overlap
 * window before `last`, each as its RecId and modification time. ISM can show a change after a
 * later one, so every check re-reads the window, and a change in it that is not in `recent` is
 * delivered then. A change is its RecId plus its LastModDateTime: an incident changed again
 * has a new time, and so is a new change.
 *
 * Saved as `{baseUrl, last, floor, recent: ["<RecId>@<ISO time>", ...]}` with UTC times;
 * another tenant's times mean nothing here.
 */
export interface ChangeCheckpoint {
  last: number;
  floor: number;
  /** `<RecId>@<ms>` of each change handled in the window, with its time. */
  recent: Map<string, number>;
}

/** A change's identity: the record and the time it was modified, normalised to UTC. */
export const changeKey = (recId: string, modified: number): string => `${recId.toUpperCase()}@${modified}`;

const ISO = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * A time as ISM writes it (`2026-12-05T02:00:00-07:00`, `...Z`, or without an offset, read as
 * UTC) in UTC milliseconds; undefined when it is not such a time.
 */
export function utcMillis(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = ISO.exec(value.trim());
  if (!match) return undefined;
  const zone = match[3] === undefined ? 'Z' : match[3].length === 5 ? `${match[3].slice(0, 3)}:${match[3].slice(3)}` : match[3].toUpperCase();
  const time = Date.parse(`${match[1]}T${match[2]}${zone}`);
  return Number.isNaN(time) ? undefined : time;
}

const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

function parseRecent(entry: unknown): [string, number] | undefined {
  if (typeof entry !== 'string') return undefined;
  const at = entry.lastIndexOf('@');
  if (at <= 0) return undefined;
  const time = utcMillis(entry.slice(at + 1));
  return time === undefined ? undefined : [changeKey(entry.slice(0, at), time), time];
}

export function readChangeCheckpoint(saved: Record<string, unknown> | undefined, baseUrl: string): ChangeCheckpoint | undefined {
  if (!saved || saved.baseUrl !== baseUrl) return undefined;
  const last = utcMillis(saved.last);
  if (!isTime(last)) return undefined;
  const savedFloor = utcMillis(saved.floor);
  const floor = isTime(savedFloor) && savedFloor <= last ? savedFloor : last;
  const recent = new Map<string, number>();
  if (Array.isArray(saved.recent)) {
    for (const entry of saved.recent) {
      const parsed = parseRecent(entry);
      if (parsed && parsed[1] > floor && parsed[1] <= last) recent.set(parsed[0], parsed[1]);
    }
  }
  return { last, floor, recent };
}

export function startingChangeCheckpoint(latest: number): ChangeCheckpoint {
  return { last: latest, floor: latest, recent: new Map() };
}

/** The time the window's re-read starts at (changes at or after it are looked at). */
export function changeWindowStart(checkpoint: ChangeCheckpoint, overlapSeconds: number): number {
  return Math.max(checkpoint.floor, checkpoint.last - overlapSeconds * 1000);
}

/**
 * Whether a change is still to be delivered: after the floor, not before the window (anything
 * delivered from the window's start on is still in `recent`), and not handled yet.
 */
export function isNewChange(checkpoint: ChangeCheckpoint, recId: string, modified: number, overlapSeconds: number): boolean {
  return modified > checkpoint.floor && modified >= changeWindowStart(checkpoint, overlapSeconds) && !checkpoint.recent.has(changeKey(recId, modified));
}

/** Records a handled change, and forgets the ones the window no longer reaches. */
export function changeHandled(checkpoint: ChangeCheckpoint, recId: string, modified: number, overlapSeconds: number): void {
  checkpoint.last = Math.max(checkpoint.last, modified);
  checkpoint.recent.set(changeKey(recId, modified), modified);
  const start = changeWindowStart(checkpoint, overlapSeconds);
  for (const [key, time] of checkpoint.recent) if (time < start) checkpoint.recent.delete(key);
}

export function changeCheckpointState(checkpoint: ChangeCheckpoint, baseUrl: string): Record<string, unknown> {
  const iso = (ms: number) => new Date(ms).toISOString();
  const recent = [...checkpoint.recent]
    .sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))
    .map(([key, time]) => `${key.slice(0, key.lastIndexOf('@'))}@${iso(time)}`);
  return { baseUrl, last: iso(checkpoint.last), floor: iso(checkpoint.floor), recent };
}
