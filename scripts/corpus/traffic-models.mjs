// How each metric source sees one simulated release, look by look: the samples the judge gets.
//  - probes: synthetic requests at a fixed rate (default 5/s over all URLs); the baseline is taken while staging
//    runs (120 s ending 60 s before the production deploy), the after window is every probe since the deploy.
//    Metrics: error-rate (failed/all probes) and latency-p95 (every probe's latency).
//  - prometheus: a service at 50 req/s scraped into 30 s steps; the baseline is the window before the deploy, as
//    long as the verify window. Metrics: error-rate (errors/requests summed over the steps), latency-p95 (one p95
//    per step, from the step's requests) and throughput (one req/s figure per step).
import { conditionsAt, requestLatency } from './service-noise.mjs';

/** @typedef {import('./service-noise.mjs').Effect} Effect */
/** @typedef {ReturnType<typeof import('./random.mjs').createRandom>} Random */
/** @typedef {{ kind: 'values'; values: number[] } | { kind: 'counts'; events: number; total: number }} Samples */
/** @typedef {{ looks: number; before: Record<string, Samples>; after: (look: number) => Record<string, Samples> }} Release */

export const PROBES = { name: 'probes', windowS: 600, intervalS: 30, ratePerS: 5, baselineS: 120, baselineEndS: -60 };
export const PROMETHEUS = { name: 'prometheus', windowS: 600, intervalS: 30, ratePerS: 50 };

/**
 * @param {ReturnType<typeof import('./service-noise.mjs').drawService>} service @param {Effect} effect
 * @param {Random} random @returns {Release}
 */
export function probeRelease(service, effect, random) {
  const settings = PROBES;
  const probe = (/** @type {number} */ t) => {
    const c = conditionsAt(service, effect, t);
    return { latency: requestLatency(service, c, random), failed: random.uniform() < c.errorRate };
  };
  const window = (/** @type {number} */ from, /** @type {number} */ count) => {
    const latencies = [];
    const failedBefore = new Int32Array(count + 1);
    for (let i = 0; i < count; i++) {
      const { latency, failed } = probe(from + i / settings.ratePerS);
      latencies.push(latency);
      failedBefore[i + 1] = failedBefore[i] + (failed ? 1 : 0);
    }
    return { latencies, failedBefore };
  };
  const baselineCount = settings.baselineS * settings.ratePerS;
  const base = window(settings.baselineEndS - settings.baselineS, baselineCount);
  const after = window(0, settings.windowS * settings.ratePerS);
  const perLook = settings.intervalS * settings.ratePerS;
  return {
    looks: Math.round(settings.windowS / settings.intervalS),
    before: {
      'error-rate': { kind: 'counts', events: base.failedBefore[baselineCount], total: baselineCount },
      'latency-p95': { kind: 'values', values: base.latencies },
    },
    after(look) {
      const n = look * perLook;
      return {
        'error-rate': { kind: 'counts', events: after.failedBefore[n], total: n },
        'latency-p95': { kind: 'values', values: after.latencies.slice(0, n) },
      };
    },
  };
}

/**
 * @param {ReturnType<typeof import('./service-noise.mjs').drawService>} service @param {Effect} effect
 * @param {Random} random @returns {Release}
 */
export function prometheusRelease(service, effect, random) {
  const settings = PROMETHEUS;
  const steps = Math.round(settings.windowS / settings.intervalS);
  const buffer = new Float64Array(Math.ceil(settings.ratePerS * settings.intervalS * 20));
  const step = (/** @type {number} */ start) => {
    const middle = conditionsAt(service, effect, start + settings.intervalS / 2);
    const total = Math.min(buffer.length, random.poisson(settings.ratePerS * settings.intervalS * middle.traffic));
    let errors = 0;
    // Each request in the conditions of its own second, so a burst covers the part of the step it lasts.
    const seconds = Array.from({ length: settings.intervalS }, (_, s) => conditionsAt(service, effect, start + s + 0.5));
    for (let i = 0; i < total; i++) {
      const c = seconds[Math.floor((i * settings.intervalS) / total)];
      buffer[i] = requestLatency(service, c, random);
      if (random.uniform() < c.errorRate) errors++;
    }
    const p95 = total === 0 ? Number.NaN : select(buffer.subarray(0, total), Math.ceil(0.95 * total) - 1);
    return { total, errors, p95, rps: total / settings.intervalS };
  };
  const series = (/** @type {ReturnType<typeof step>[]} */ s) => ({
    'error-rate': { kind: 'counts', events: s.reduce((sum, x) => sum + x.errors, 0), total: s.reduce((sum, x) => sum + x.total, 0) },
    'latency-p95': { kind: 'values', values: s.map((x) => x.p95) },
    throughput: { kind: 'values', values: s.map((x) => x.rps) },
  });
  const beforeSteps = Array.from({ length: steps }, (_, i) => step(-settings.windowS + i * settings.intervalS));
  /** @type {ReturnType<typeof step>[]} */
  const afterSteps = [];
  return {
    looks: steps,
    before: /** @type {Record<string, Samples>} */ (series(beforeSteps)),
    after(look) {
      // Steps are drawn only when a look reaches them: a release stopped early costs less.
      while (afterSteps.length < look) afterSteps.push(step(afterSteps.length * settings.intervalS));
      return /** @type {Record<string, Samples>} */ (series(afterSteps.slice(0, look)));
    },
  };
}

/**
 * The k-th smallest value (0-based) of `values`, reordering them: Hoare's quickselect, linear on average (a full
 * sort of every step's requests would dominate the corpus's time).
 * @param {Float64Array} values @param {number} k
 */
function select(values, k) {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const swap = values[i];
        values[i++] = values[j];
        values[j--] = swap;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k];
  }
  return values[k];
}
