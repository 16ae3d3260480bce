/**
 * "Did you mean …?" for unknown names (commands, flags, config keys, settings, providers): the one
 * suggestion helper of the CLI, by Levenshtein edit distance.
 */

/** Levenshtein edit distance (insertions, deletions, substitutions each cost 1). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/**
 * The candidate closest to `input` (case-insensitive), or undefined when none is close: the
 * distance must be at most `maxDistance` (default: a third of the longer length, at least 1, at
 * most 3). Ties go to the earlier candidate.
 */
export function closest(input: string, candidates: Iterable<string>, maxDistance?: number): string | undefined {
  const needle = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(needle, c.toLowerCase());
    const limit = maxDistance ?? Math.min(3, Math.max(1, Math.floor(Math.max(needle.length, c.length) / 3)));
    if (d <= limit && d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * ` (did you mean "x"?)` for the closest candidate, or `''` when none is close.
 * @param format how to show the suggestion (default: quoted), e.g. `(s) => '--' + s` for flags.
 */
export function didYouMean(input: string, candidates: Iterable<string>, format: (s: string) => string = (s) => `"${s}"`): string {
  const c = closest(input, candidates);
  return c === undefined ? '' : ` (did you mean ${format(c)}?)`;
}
