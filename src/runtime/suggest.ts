/**
 * The name someone probably meant: `say_helo`, `sayhello` or `Say_Hello` for `say_hello`. Names
 * are compared without case and punctuation; a name within a few edits (about one in three
 * characters), or one containing the other, is a candidate, and the closest wins.
 */

function normalised(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Edits (insert, delete, replace, swap two neighbours) between two names. */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The candidate closest to `name`, or undefined when none is close. Long inputs are never matched. */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  const wanted = normalised(name);
  if (wanted === '' || wanted.length > 80) return undefined;
  let best: { name: string; score: number } | undefined;
  for (const candidate of candidates) {
    const have = normalised(candidate);
    const contained = wanted.length >= 4 && (have.includes(wanted) || wanted.includes(have));
    const score = contained ? Math.min(1, distance(wanted, have)) : distance(wanted, have);
    if (!contained && score > Math.max(1, Math.floor(have.length / 3))) continue;
    if (!best || score < best.score) best = { name: candidate, score };
  }
  return best?.name;
}

/** The end of a sentence naming an unknown name: `: did you mean x?`, or `.` when nothing is close. */
export function didYouMean(name: string, candidates: readonly string[]): string {
  const close = closestName(name, candidates);
  return close === undefined || close === name ? '.' : `: did you mean ${close}?`;
}
