/**
 * "Did you mean" suggestions for mistyped commands, options, values and rule ids.
 */

/** Edit distance (insertions, deletions, substitutions) between two strings. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
    }
    prev = cur;
  }
  return prev[b.length];
}

/**
 * The candidates close to `input`, best first: those within an edit distance of a
 * third of the input's length (at least 2), and those that contain the input or
 * are contained in it.
 *
 * @param limit how many to return at most
 */
export function suggestions(input: string, candidates: readonly string[], limit: number = 3): string[] {
  const needle = input.toLowerCase();
  if (needle === '') return [];
  const maxDistance = Math.max(2, Math.floor(needle.length / 3));
  const scored: Array<{ candidate: string; score: number }> = [];
  for (const candidate of candidates) {
    const c = candidate.toLowerCase();
    const distance = editDistance(needle, c);
    if (distance <= maxDistance) {
      scored.push({ candidate, score: distance });
    } else if (needle.length >= 3 && (c.includes(needle) || needle.includes(c))) {
      scored.push({ candidate, score: maxDistance + 1 + Math.abs(c.length - needle.length) / 100 });
    }
  }
  scored.sort((x, y) => x.score - y.score || x.candidate.localeCompare(y.candidate));
  return scored.slice(0, limit).map((s) => s.candidate);
}

/** The single closest candidate, or undefined. */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  return suggestions(input, candidates, 1)[0];
}
