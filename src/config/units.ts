// Durations and sizes as users write them (`1h30m`, `500MiB`) and as people read them back (`4m 05s`, `1.2 MiB`).
// The JSON schema carries the same grammar as a pattern; __tests__/config/schema-sync.test.ts keeps the two equal.

const NUMBER = String.raw`\d+(?:\.\d+)?`;
// Units in descending order, each at most once: `1h30m`, `2m5s`, `1s500ms`.
const DURATION = new RegExp(`^(?:(${NUMBER})h)?(?:(${NUMBER})m)?(?:(${NUMBER})s)?(?:(${NUMBER})ms)?$`);
const PLAIN_NUMBER = new RegExp(`^${NUMBER}$`);
const SIZE = new RegExp(`^(${NUMBER}) ?(B|kB|KB|KiB|MB|MiB|GB|GiB|TB|TiB)?$`);

const UNIT_MS = [3_600_000, 60_000, 1000, 1] as const;

const SIZE_UNITS: Record<string, number> = {
  B: 1,
  kB: 1e3,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KiB: 2 ** 10,
  MiB: 2 ** 20,
  GiB: 2 ** 30,
  TiB: 2 ** 40,
};

/** Milliseconds, or undefined for anything that is not a duration. A bare number (or numeric text) is seconds. */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : undefined;
  if (PLAIN_NUMBER.test(value)) return Math.round(Number(value) * 1000);
  const match = DURATION.exec(value);
  if (!match || value === '') return undefined;
  let ms = 0;
  UNIT_MS.forEach((unit, index) => {
    const amount = match[index + 1];
    if (amount !== undefined) ms += Number(amount) * unit;
  });
  return Math.round(ms);
}

/** Bytes, or undefined for anything that is not a size. A bare number is bytes; `GB` is 10^9, `GiB` 2^30. */
export function parseSize(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
  const match = SIZE.exec(value);
  if (!match) return undefined;
  return Math.round(Number(match[1]) * (SIZE_UNITS[match[2] ?? 'B'] ?? 1));
}

/** "850ms", "12.3s", "4m 05s", "1h 02m". */
export function formatDuration(ms: number): string {
  const safe = Number.isFinite(ms) && ms > 0 ? ms : 0;
  if (safe < 1000) return `${Math.round(safe)}ms`;
  const tenths = Math.round(safe / 100);
  if (tenths < 600) return `${trimZero((tenths / 10).toFixed(1))}s`;
  const seconds = Math.round(safe / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${pad(seconds % 60)}s`;
  const minutes = Math.round(safe / 60_000);
  return `${Math.floor(minutes / 60)}h ${pad(minutes % 60)}m`;
}

/** "512 B", "1.2 MiB", "500 MiB" (binary units, one decimal at most). */
export function formatSize(bytes: number): string {
  const safe = Number.isFinite(bytes) && bytes > 0 ? Math.round(bytes) : 0;
  if (safe < 1024) return `${safe} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = safe / 1024;
  let unit = 0;
  // Compare the rounded figure so 1023.96 KiB becomes "1 MiB", not "1024 KiB".
  while (Number(value.toFixed(1)) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${trimZero(value.toFixed(1))} ${units[unit]}`;
}

function trimZero(text: string): string {
  return text.endsWith('.0') ? text.slice(0, -2) : text;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
