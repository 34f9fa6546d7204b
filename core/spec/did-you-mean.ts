// "Did you mean …?" for keys, presets, regions and instance types: the closest known word by edit distance.

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const rows = s.length + 1;
  const cols = t.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[rows - 1][cols - 1];
}

/**
 * The known word closest to `word`, when it is close enough to be a typo: within a third of its length
 * (at least 1, at most 4 edits), or a word that starts with what was typed.
 */
export function closest(word: string, known: readonly string[]): string | undefined {
  if (word.length === 0 || word.length > 200) return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    if (k === word) continue;
    const d = editDistance(word, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  if (best !== undefined && bestDistance <= Math.min(4, Math.max(1, Math.floor(best.length / 3)))) return best;
  const lower = word.toLowerCase();
  if (lower.length >= 2) return known.find((k) => k.toLowerCase().startsWith(lower));
  return undefined;
}

/** "did you mean x? " or "" — the start of a hint. */
export function didYouMean(word: string, known: readonly string[]): string {
  const c = closest(word, known);
  return c === undefined ? "" : `did you mean ${c}? `;
}

/** "a, b or c" */
export function oxford(words: readonly string[], conjunction = "or"): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} ${conjunction} ${words[words.length - 1]}`;
}
