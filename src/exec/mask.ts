// Secrets (declared credentials, the token) never reach a log, summary, comment or report: every text that
// leaves a command or a check passes through the masker built here.

const MASK = '***';
/** Shorter values would mask ordinary words and numbers everywhere, and hide nothing worth hiding. */
const MIN_SECRET_LENGTH = 4;

/** Returns a function replacing every occurrence of each secret with `***`. */
export function createMasker(secrets: readonly string[]): (text: string) => string {
  const candidates = new Set<string>();
  for (const secret of secrets) {
    candidates.add(secret);
    // Output is handled line by line, so each line of a multi-line secret (a PEM key) must match on its own.
    if (/[\r\n]/.test(secret)) for (const line of secret.split(/\r?\n/)) candidates.add(line.trim());
  }
  const patterns = [...candidates]
    .filter((secret) => secret.length >= MIN_SECRET_LENGTH)
    // Longest first, so a secret containing another one is masked whole.
    .sort((a, b) => b.length - a.length)
    .map((secret) => secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (patterns.length === 0) return (text) => text;
  const pattern = new RegExp(patterns.join('|'), 'g');
  return (text) => text.replace(pattern, MASK);
}

/** A copy of `value` with every string in it masked: mask data before it is rendered or serialised, since escaping
 *  (JSON, Markdown, line wrapping in a box) can split or change a secret so that masking the text would miss it. */
export function maskDeep<T>(value: T, mask: (text: string) => string): T {
  if (typeof value === 'string') return mask(value) as T;
  if (Array.isArray(value)) return value.map((item) => maskDeep(item, mask)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskDeep(item, mask)])) as T;
  }
  return value;
}
