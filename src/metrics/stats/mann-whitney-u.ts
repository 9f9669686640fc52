// One-sided Mann-Whitney U test on two samples already sorted ascending: one merge pass counts U and the ties.
// Exact null distribution when there are no ties and it is cheap (small samples, the case where the normal
// approximation is most conservative); otherwise the normal approximation with tie and continuity correction,
// as scipy's mannwhitneyu(x, y, alternative='greater') computes it.
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';

export interface MannWhitneyResult {
  /** U of x: the pairs (x, y) with x > y, plus half the pairs with x = y. */
  u: number;
  /** P(U ≥ u) under H0 "x is not stochastically larger than y". */
  pValue: number;
  method: 'exact' | 'asymptotic';
}

/** Counts of the exact distribution must stay exact integers in a double. */
const EXACT_COUNT_LIMIT = 2 ** 53;
/** Operations allowed for the exact distribution (a fraction of a millisecond). */
const EXACT_WORK_LIMIT = 200_000;

/** Tests H1 "x is stochastically larger than y". Both arrays sorted ascending, finite values; either may be empty. */
export function mannWhitneyGreater(x: ArrayLike<number>, y: ArrayLike<number>): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  let u = 0;
  let tieTerm = 0;
  let i = 0;
  let j = 0;
  while (i < n1 || j < n2) {
    const value = j >= n2 || (i < n1 && x[i]! <= y[j]!) ? x[i]! : y[j]!;
    let inX = 0;
    while (i < n1 && x[i] === value) {
      inX++;
      i++;
    }
    let inY = 0;
    while (j < n2 && y[j] === value) {
      inY++;
      j++;
    }
    // NaN equals nothing: without this the merge would never move on.
    if (inX + inY === 0) throw new RangeError('Mann-Whitney U needs finite values');
    // j − inY values of y lie below this group.
    u += inX * (j - inY + inY / 2);
    const tied = inX + inY;
    tieTerm += tied * tied * tied - tied;
  }
  if (n1 === 0 || n2 === 0) return { u, pValue: 1, method: 'asymptotic' };
  if (tieTerm === 0 && exactIsCheap(n1, n2)) return { u, pValue: exactPValue(u, n1, n2), method: 'exact' };
  const n = n1 + n2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (!(variance > 0)) return { u, pValue: 1, method: 'asymptotic' };
  const z = (u - (n1 * n2) / 2 - 0.5) / Math.sqrt(variance);
  return { u, pValue: normalCdf(-z, 0, 1), method: 'asymptotic' };
}

function exactIsCheap(n1: number, n2: number): boolean {
  const m = Math.min(n1, n2);
  const n = Math.max(n1, n2);
  if (m * m * n > EXACT_WORK_LIMIT) return false;
  let ways = 1;
  for (let k = 1; k <= m; k++) ways = (ways * (n + k)) / k;
  return ways < EXACT_COUNT_LIMIT;
}

/**
 * P(U ≥ u) without ties. The number of arrangements giving each U is the coefficient of the Gaussian binomial
 * [m + n choose m]_q = ∏_{k=1..m} (1 − q^(n+k)) / (1 − q^k), built factor by factor as integer polynomials.
 */
function exactPValue(u: number, n1: number, n2: number): number {
  const m = Math.min(n1, n2);
  const n = Math.max(n1, n2);
  const degree = m * n;
  const counts = new Float64Array(degree + 1);
  counts[0] = 1;
  for (let k = 1; k <= m; k++) {
    // Multiply by (1 − q^(n+k)), then divide by (1 − q^k) as a power series (only lower terms are read, so
    // dropping the terms above `degree` does not change the ones kept).
    for (let d = degree; d >= n + k; d--) counts[d]! -= counts[d - n - k]!;
    for (let d = k; d <= degree; d++) counts[d]! += counts[d - k]!;
  }
  let total = 0;
  let atLeast = 0;
  for (let d = 0; d <= degree; d++) {
    total += counts[d]!;
    if (d >= u) atLeast += counts[d]!;
  }
  return atLeast / total;
}
