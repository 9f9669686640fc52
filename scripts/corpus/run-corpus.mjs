// Runs simulated releases through the real judge, look by look as the verify stage does (stop at the first failing
// metric; at the end of the window, an inconclusive metric counts as a pass with a warning, the default), and
// aggregates per scenario: rollbacks, how soon, and how many ended inconclusive. The judge is passed in, so the
// bench uses the compiled code and the corpus test the TypeScript source.
import { createRandom } from './random.mjs';
import { drawService } from './service-noise.mjs';
import { PROBES, PROMETHEUS, probeRelease, prometheusRelease } from './traffic-models.mjs';

/** @typedef {import('./service-noise.mjs').Effect} Effect */
/** @typedef {{ name: string; unit: string; limit: object }} MetricSetting */
/** @typedef {{ confidence: number; minSamples: number; metrics: MetricSetting[] }} Settings */
/** @typedef {(input: object) => { status: string; reason: string }} JudgeMetric */
/** @typedef {(fraction: number) => number} LookFraction */

/** The defaults of the verify config: confidence 0.98, min-samples 20, error rate max 1 % and + 0.5 point, p95 ×1.5. */
const PROBE_SETTINGS = {
  confidence: 0.98,
  minSamples: 20,
  metrics: [
    { name: 'error-rate', unit: 'ratio', limit: { kind: 'rate', max: 0.01, maxIncrease: 0.005 } },
    // The probes' latency floor of src/metrics/evaluate.ts: below 10 ms, differences are timer noise.
    { name: 'latency-p95', unit: 'ms', limit: { kind: 'max-ratio', ratio: 1.5, floor: 10 } },
  ],
};

/**
 * What a user watching a 50 req/s service through Prometheus would set to catch +1 point of errors and +50 % p95
 * within 3 intervals: max-increase 0.1 point (over the baseline's upper confidence bound), p95 max-ratio 1.2, and
 * min-samples 3 (one value per 30 s step, so 20 would mean no latency verdict for 10 minutes). Throughput may not
 * drop below ×0.8. The absolute max is 2 %, above the service's own 0.1–1 %: at 50 req/s the judge has the power
 * to see a service that normally runs at 0.9 % cross 1 % during a burst, which is no fault of the release.
 */
const PROMETHEUS_SETTINGS = {
  confidence: 0.98,
  minSamples: 3,
  metrics: [
    { name: 'error-rate', unit: 'ratio', limit: { kind: 'rate', max: 0.02, maxIncrease: 0.001 } },
    { name: 'latency-p95', unit: 'ms', limit: { kind: 'max-ratio', ratio: 1.2 } },
    { name: 'throughput', unit: 'rps', limit: { kind: 'min-ratio', ratio: 0.8 } },
  ],
};

export const MODELS = {
  probes: { name: PROBES.name, intervalS: PROBES.intervalS, release: probeRelease, settings: PROBE_SETTINGS },
  prometheus: { name: PROMETHEUS.name, intervalS: PROMETHEUS.intervalS, release: prometheusRelease, settings: PROMETHEUS_SETTINGS },
};

/**
 * @typedef {{ model: keyof typeof MODELS; label: string; effect: Effect; good?: boolean;
 *   noise?: import('./service-noise.mjs').Noise; goal?: { rolledBack: 0 } | { detected: number; withinLooks?: number } }} Scenario
 * The goals: no rollback of a good release; a share of bad ones detected (within that many looks, or the window).
 */

/** The bench's scenarios: good releases and the effect sizes for each source, with the goals. */
export const SCENARIOS = /** @type {Scenario[]} */ ([
  { model: 'probes', label: 'good (no change)', effect: {}, good: true, goal: { rolledBack: 0 } },
  { model: 'probes', label: 'good, error bursts ×1.5–×3', effect: {}, good: true, noise: { errorBursts: true } },
  { model: 'probes', label: 'error rate to 2 %', effect: { errorRateTo: 0.02 } },
  { model: 'probes', label: 'error rate to 5 %', effect: { errorRateTo: 0.05 } },
  { model: 'probes', label: 'error rate to 10 %', effect: { errorRateTo: 0.1 }, goal: { detected: 0.99 } },
  { model: 'probes', label: 'latency ×1.5 (at the limit)', effect: { latency: 1.5 } },
  { model: 'probes', label: 'latency ×2', effect: { latency: 2 }, goal: { detected: 0.99 } },
  { model: 'probes', label: 'latency ×3', effect: { latency: 3 } },
  { model: 'prometheus', label: 'good (no change)', effect: {}, good: true, goal: { rolledBack: 0 } },
  { model: 'prometheus', label: 'good, error bursts ×1.5–×3', effect: {}, good: true, noise: { errorBursts: true } },
  { model: 'prometheus', label: 'error rate +1 point', effect: { errorRatePlus: 0.01 }, goal: { detected: 0.99, withinLooks: 3 } },
  { model: 'prometheus', label: 'error rate to 5 %', effect: { errorRateTo: 0.05 } },
  { model: 'prometheus', label: 'p95 +50 %', effect: { latency: 1.5 }, goal: { detected: 0.99, withinLooks: 3 } },
  { model: 'prometheus', label: 'p95 +50 %, no traffic bursts', effect: { latency: 1.5 }, noise: { bursts: false } },
  { model: 'prometheus', label: 'latency ×2', effect: { latency: 2 } },
  { model: 'prometheus', label: 'throughput ×0.5', effect: { throughput: 0.5 } },
]);

/**
 * One release judged look by look. `lookFraction` maps the share of the window elapsed to the one the judge is
 * told (identity; the spending comparison uses it to emulate another spending function).
 * @param {JudgeMetric} judgeMetric @param {import('./traffic-models.mjs').Release} release
 * @param {string} source @param {Settings} settings @param {LookFraction} lookFraction
 */
function judgeRelease(judgeMetric, release, source, settings, lookFraction = (t) => t) {
  let statuses = [];
  for (let look = 1; look <= release.looks; look++) {
    const after = release.after(look);
    const fraction = lookFraction(look / release.looks);
    const previousFraction = lookFraction((look - 1) / release.looks);
    statuses = [];
    for (const metric of settings.metrics) {
      const verdict = judgeMetric({
        name: metric.name,
        source,
        unit: metric.unit,
        before: release.before[metric.name],
        after: after[metric.name],
        limit: metric.limit,
        look: { confidence: settings.confidence, minSamples: settings.minSamples, fraction, previousFraction },
      });
      if (verdict.status === 'fail') return { failedAtLook: look, reason: verdict.reason };
      statuses.push(verdict.status);
    }
  }
  return { inconclusive: statuses.includes('inconclusive'), noData: statuses.includes('no-data') };
}

/**
 * @param {{ judgeMetric: JudgeMetric; scenario: Scenario; releases: number; seed: number; lookFraction?: LookFraction }} options
 */
export function runScenario({ judgeMetric, scenario, releases, seed, lookFraction }) {
  const model = MODELS[scenario.model];
  const random = createRandom(seed);
  const detectedAt = [];
  const reasons = [];
  let inconclusive = 0;
  let noData = 0;
  for (let i = 0; i < releases; i++) {
    const service = drawService(random, scenario.noise);
    const outcome = judgeRelease(judgeMetric, model.release(service, scenario.effect, random), model.name, model.settings, lookFraction);
    if (outcome.failedAtLook !== undefined) {
      detectedAt.push(outcome.failedAtLook);
      if (reasons.length < 3) reasons.push(outcome.reason);
    }
    if (outcome.inconclusive) inconclusive++;
    if (outcome.noData) noData++;
  }
  detectedAt.sort((a, b) => a - b);
  return {
    ...scenario,
    releases,
    intervalS: model.intervalS,
    rolledBack: detectedAt.length,
    within3: detectedAt.filter((look) => look <= 3).length,
    medianLook: detectedAt.length === 0 ? undefined : detectedAt[Math.ceil(detectedAt.length / 2) - 1],
    inconclusive,
    noData,
    reasons,
  };
}
