// Seeded random numbers for the verdict corpus: the same seed gives the same releases on every machine, so the
// bench table and the corpus test are reproducible. mulberry32 (uniform) with Box–Muller normals.

/** @param {number} seed */
export function createRandom(seed) {
  let state = seed >>> 0;
  /** @type {number | undefined} */
  let spare;
  const uniform = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - uniform()));
    const angle = 2 * Math.PI * uniform();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
  return {
    uniform,
    normal,
    /** @param {number} lo @param {number} hi */
    between: (lo, hi) => lo + (hi - lo) * uniform(),
    /** Log-uniform: as likely to be in [1, 2] as in [5, 10]. @param {number} lo @param {number} hi */
    logBetween: (lo, hi) => lo * Math.exp(Math.log(hi / lo) * uniform()),
    /** @param {number} median @param {number} sigma */
    lognormal: (median, sigma) => median * Math.exp(sigma * normal()),
    /** Poisson by inversion for small means, normal approximation above 50. @param {number} mean */
    poisson(mean) {
      if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal()));
      let k = 0;
      let p = Math.exp(-mean);
      let cdf = p;
      const u = uniform();
      while (u > cdf && k < 1000) {
        k++;
        p *= mean / k;
        cdf += p;
      }
      return k;
    },
  };
}
