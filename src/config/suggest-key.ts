// "did you mean" for misspelt keys and values: the closest allowed word, only when it is close enough to be a typo.
import { closest, distance } from 'fastest-levenshtein';

export function suggestKey(written: string, allowed: readonly string[]): string | undefined {
  if (allowed.length === 0) return undefined;
  // maxSize, max_size and MAX-SIZE are the same key written in another case style.
  const normalized = written
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toLowerCase();
  if (allowed.includes(normalized)) return normalized;
  const candidate = closest(normalized, allowed);
  // Two edits cover a swapped pair of letters (`nmae`, `heatlh`); three-letter words get one.
  const limit = normalized.length <= 3 ? 1 : Math.max(2, Math.floor(normalized.length / 3));
  return distance(normalized, candidate) <= limit ? candidate : undefined;
}
