// Exact one-sided binomial test and the Clopper–Pearson upper bound of a rate, for error counts (events of a
// total). Both go through the regularized incomplete beta function of @stdlib, as its binomial and beta
// distributions do; the lower tail is taken directly so tiny p-values keep their precision (no 1 − cdf).
import betainc from '@stdlib/math-base-special-betainc';
import betaQuantile from '@stdlib/stats-base-dists-beta-quantile';

/**
 * P(X ≥ events) for X ~ Binomial(total, rate): the p-value of "the true rate is above `rate`" against
 * H0 "it is at most `rate`" (scipy's binomtest(…, alternative='greater')).
 */
export function binomialPValueAbove(events: number, total: number, rate: number): number {
  if (events <= 0 || rate >= 1) return 1;
  if (rate <= 0) return 0;
  // P(X ≥ k) = I_rate(k, n − k + 1).
  return betainc(rate, events, total - events + 1, true, false);
}

/** The one-sided upper bound of a rate seen as `events` of `total`, at `confidence` (Clopper–Pearson, exact). */
export function clopperPearsonUpper(events: number, total: number, confidence: number): number {
  if (events >= total) return 1;
  return betaQuantile(confidence, events + 1, total - events);
}
