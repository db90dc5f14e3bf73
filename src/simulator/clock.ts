/** The tenant's sense of time: "now" as a Date and as the timestamp ISM writes into records. */

export interface Timestamp {
  date: Date;
  /** `2026-11-27T18:45:00-07:00`: seconds precision with the tenant's offset. */
  stamp: string;
}

/** `2026-11-27T18:45:00-07:00`: ISM's timestamp shape, seconds precision with an offset. */
export function formatTimestamp(date: Date, offsetMinutes: number): string {
  const shifted = new Date(date.getTime() + offsetMinutes * 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${shifted.toISOString().slice(0, 19)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

export class TenantClock {
  /**
   * @param clock source of "now" (tests may pin it)
   * @param offsetMinutes offset of written timestamps in minutes east of UTC (default: the host's)
   */
  constructor(
    private readonly clock: () => Date = () => new Date(),
    private readonly offsetMinutes?: number,
  ) {}

  /** Set while a write runs `at` another time. */
  private pinned: Date | undefined;

  /** Runs `write` with "now" at `date`: a save that commits late carries the earlier time it started at. */
  at<T>(date: Date, write: () => T): T {
    this.pinned = date;
    try {
      return write();
    } finally {
      this.pinned = undefined;
    }
  }

  now(): Timestamp {
    const date = this.pinned ?? this.clock();
    const offset = this.offsetMinutes ?? -date.getTimezoneOffset();
    return { date, stamp: formatTimestamp(date, offset) };
  }
}
