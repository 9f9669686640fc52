// The sequential design of the verify window: a Lan–DeMets alpha-spending function (Pocock type) shares one
// false-rollback budget α among all the looks, so looking every interval does not inflate false rollbacks.
// By fraction t of the window, α·ln(1 + (e − 1)·t) has been spent; a look at t_k may spend only what the function
// added since the previous look, α(t_k) − α(t_{k−1}), and tests at that level (Bonferroni over the increments:
// the increments add up to α at t = 1 whatever the number and spacing of the looks, so the whole window's
// false-rollback probability stays at most α). Why Pocock rather than O'Brien–Fleming: see src/metrics/judge.ts.

/** The share of `alpha` spent by fraction `t` of the window (clamped to [0, 1]). */
export function spentAlpha(alpha: number, t: number): number {
  const fraction = Math.min(1, Math.max(0, t));
  return alpha * Math.log(1 + (Math.E - 1) * fraction);
}

/** The significance level of one look: what the spending function added between the previous look and this one. */
export function lookAlpha(alpha: number, fraction: number, previousFraction: number): number {
  return Math.max(0, spentAlpha(alpha, fraction) - spentAlpha(alpha, previousFraction));
}
