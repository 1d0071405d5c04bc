/**
 * Optimal string alignment distance (Damerau–Levenshtein without repeated edits of a substring),
 * stopping early once it exceeds `max`. Adjacent transpositions ("haidain") count as one edit.
 */
export function osaDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  // Three rows of the table, reused between calls (this runs for many word pairs per question).
  if (rows.length < 3 * (n + 1)) rows = new Int32Array(Math.max(3 * (n + 1), rows.length * 2));
  let prevPrev = 0;
  let prev = n + 1;
  let current = 2 * (n + 1);
  for (let j = 0; j <= n; j++) {
    rows[prevPrev + j] = 0;
    rows[prev + j] = j;
  }
  for (let i = 1; i <= a.length; i++) {
    rows[current] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const cost = ai === b.charCodeAt(j - 1) ? 0 : 1;
      let value = Math.min((rows[prev + j] as number) + 1, (rows[current + j - 1] as number) + 1, (rows[prev + j - 1] as number) + cost);
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        value = Math.min(value, (rows[prevPrev + j - 2] as number) + 1);
      }
      rows[current + j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    [prevPrev, prev, current] = [prev, current, prevPrev];
  }
  return rows[prev + n] as number;
}
let rows = new Int32Array(3 * 64);

/** Every string made by deleting up to `depth` characters of `word` (not including `word`). */
export function deletions(word: string, depth: number): Set<string> {
  const out = new Set<string>();
  let frontier = [word];
  for (let level = 0; level < depth; level++) {
    const next: string[] = [];
    for (const item of frontier) {
      for (let i = 0; i < item.length; i++) {
        const variant = item.slice(0, i) + item.slice(i + 1);
        if (!out.has(variant)) {
          out.add(variant);
          next.push(variant);
        }
      }
    }
    frontier = next;
  }
  return out;
}
