// How a config value is quoted back in messages: `got "fast"`, `got a list`, `got nothing`.

const MAX_QUOTED = 40;

export function describeValue(value: unknown): string {
  if (value === undefined || value === null) return 'nothing';
  if (typeof value === 'string') {
    return JSON.stringify(value.length > MAX_QUOTED ? `${value.slice(0, MAX_QUOTED)}…` : value);
  }
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

/** `"a"`, `"a" or "b"`, `"a", "b" or "c"` (with `and` for things that are all there). */
export function listQuoted(items: readonly string[], conjunction: 'or' | 'and'): string {
  const quoted = items.map((item) => JSON.stringify(item));
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} ${conjunction} ${quoted.at(-1)}`;
}
