// Secrets (declared credentials, the token) never reach a log, summary, comment or report: every text that
// leaves a command or a check passes through the masker built here.

const MASK = '***';
/** Shorter values would mask ordinary words and numbers everywhere, and hide nothing worth hiding. */
const MIN_SECRET_LENGTH = 4;

/** Replaces every occurrence of each secret with `***`; `safeCut` tells where a text may be split so that both
 *  halves, masked on their own, still hide every secret (used where output is cut into pieces). */
export interface Masker {
  (text: string): string;
  /**
   * The largest cut ≤ `limit` that splits no secret in `text` and leaves after it every place where a secret may
   * still be starting (the last "longest secret − 1" characters, whose end has not arrived yet). 0 when none.
   */
  safeCut(text: string, limit: number): number;
}

export function createMasker(secrets: readonly string[]): Masker {
  const candidates = new Set<string>();
  for (const secret of secrets) {
    candidates.add(secret);
    // Output is handled line by line, so each line of a multi-line secret (a PEM key) must match on its own.
    if (/[\r\n]/.test(secret)) for (const line of secret.split(/\r?\n/)) candidates.add(line.trim());
  }
  const kept = [...candidates]
    .filter((secret) => secret.length >= MIN_SECRET_LENGTH)
    // Longest first, so a secret containing another one is masked whole.
    .sort((a, b) => b.length - a.length);
  if (kept.length === 0) return Object.assign((text: string) => text, { safeCut: (text: string, limit: number) => Math.min(limit, text.length) });
  const pattern = new RegExp(kept.map((secret) => secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  const holdBack = (kept[0] as string).length - 1;
  return Object.assign((text: string) => text.replace(pattern, MASK), {
    safeCut(text: string, limit: number): number {
      let cut = Math.max(0, Math.min(limit, text.length - holdBack));
      for (const match of text.matchAll(pattern)) {
        if (match.index >= cut) break;
        if (match.index + match[0].length > cut) cut = match.index;
      }
      return cut;
    },
  });
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
