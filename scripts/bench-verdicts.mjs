// The verdict-quality part of `npm run bench`: thousands of simulated releases (scripts/corpus/) judged by the
// compiled judge, as a markdown table — false rollbacks of good releases, detection rate and time-to-detect of bad
// ones per effect size, inconclusive share — the issue's goals checked against it, and the alpha-spending choice
// (Pocock vs O'Brien–Fleming) measured on the scenarios where it matters.
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { MODELS, SCENARIOS, runScenario } from './corpus/run-corpus.mjs';
import { PROBES, PROMETHEUS } from './corpus/traffic-models.mjs';

/** Releases per scenario: enough for a 1 % claim where the issue sets a goal, fewer elsewhere. */
const GOAL_RELEASES = 1000;
const OTHER_RELEASES = 200;
const COMPARISON_RELEASES = 200;

const percent = (/** @type {number} */ part, /** @type {number} */ whole) => `${((100 * part) / whole).toFixed(1)} %`;

/** @param {import('./corpus/run-corpus.mjs').JudgeMetric} judgeMetric */
export function benchVerdicts(judgeMetric) {
  const started = performance.now();
  const results = SCENARIOS.map((scenario, index) =>
    runScenario({ judgeMetric, scenario, releases: scenario.goal ? GOAL_RELEASES : OTHER_RELEASES, seed: 1000 + index }),
  );
  const rows = results.map((r) => {
    const time = r.medianLook === undefined ? '—' : `${r.medianLook} look${r.medianLook > 1 ? 's' : ''} (${r.medianLook * r.intervalS} s)`;
    const rolledBack = r.good ? `${r.rolledBack} false (${percent(r.rolledBack, r.releases)})` : percent(r.rolledBack, r.releases);
    return `| ${r.model} | ${r.label} | ${r.releases} | ${rolledBack} | ${r.good ? '—' : percent(r.within3, r.releases)} | ${time} | ${percent(r.inconclusive, r.releases)} |`;
  });
  const goals = results.filter((r) => r.goal).map(goalLine);
  const falseReasons = results.filter((r) => r.good && r.rolledBack > 0).map((r) => `- ${r.model}, ${r.label}: e.g. "${r.reasons[0]}"`);
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  return [
    `Verdict corpus: ${results.reduce((n, r) => n + r.releases, 0)} simulated releases judged by the real judge in ${seconds} s (seeded, reproducible).`,
    `Noise: lognormal latency with rare slow spikes, 0.1–1 % baseline errors, slow drift, diurnal traffic, traffic bursts (scripts/corpus/service-noise.mjs).`,
    `probes: ${PROBES.windowS} s window, ${PROBES.intervalS} s interval, ${PROBES.ratePerS} probes/s, baseline ${PROBES.baselineS} s while staging runs; default settings: ${describe(MODELS.probes.settings)}.`,
    `prometheus: ${PROMETHEUS.ratePerS} req/s (±diurnal), ${PROMETHEUS.intervalS} s steps, baseline the ${PROMETHEUS.windowS} s before the deploy; limits chosen: ${describe(MODELS.prometheus.settings)}.`,
    '',
    '| source | release | releases | rolled back | within 3 intervals | median time to detect | inconclusive at the end |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    ...goals,
    ...(falseReasons.length > 0 ? ['', 'Rollbacks of good releases:', ...falseReasons] : []),
    '',
    spendingComparison(judgeMetric),
  ].join('\n');
}

/** @param {ReturnType<typeof runScenario>} r */
function goalLine(r) {
  const goal = /** @type {NonNullable<typeof r.goal>} */ (r.goal);
  if ('rolledBack' in goal) {
    return `Goal: 0 false rollbacks in ${r.releases} ${r.model} good releases → ${r.rolledBack === 0 ? 'met' : `NOT met (${r.rolledBack})`}.`;
  }
  const caught = goal.withinLooks === undefined ? r.rolledBack : r.within3;
  const where = goal.withinLooks === undefined ? 'within the window' : `within ${goal.withinLooks} intervals`;
  const met = caught / r.releases >= goal.detected;
  return `Goal: ${r.model} ${r.label} caught in ≥ ${goal.detected * 100} % ${where} → ${met ? 'met' : 'NOT met'} (${percent(caught, r.releases)}).`;
}

/** @param {import('./corpus/run-corpus.mjs').Settings} settings */
function describe(settings) {
  const limits = settings.metrics.map(({ name, limit }) => {
    const l = /** @type {any} */ (limit);
    if (l.kind === 'rate') return `${name} max ${l.max * 100} % and before + ${l.maxIncrease * 100} point`;
    return `${name} ${l.kind === 'max-ratio' ? 'max' : 'min'} ×${l.ratio}${l.floor ? ` (floor ${l.floor} ms)` : ''}`;
  });
  return `confidence ${settings.confidence}, min-samples ${settings.minSamples}, ${limits.join(', ')}`;
}

/**
 * The same releases judged with O'Brien–Fleming-type spending, α_OF(t) = 2 − 2Φ(z_{1−α/2}/√t), instead of the
 * judge's Pocock type: each look is presented to the judge at the fraction where Pocock's function has spent what
 * O'Brien–Fleming's would have by then, so the compiled judge is measured unchanged.
 * @param {import('./corpus/run-corpus.mjs').JudgeMetric} judgeMetric
 */
function spendingComparison(judgeMetric) {
  const alpha = 1 - MODELS.probes.settings.confidence;
  const z = normalQuantile(1 - alpha / 2);
  const obrienFleming = (/** @type {number} */ t) => {
    if (t <= 0) return 0;
    const spent = 2 - 2 * normalCdf(z / Math.sqrt(t), 0, 1);
    return (Math.exp(spent / alpha) - 1) / (Math.E - 1);
  };
  const picked = ['probes: error rate to 2 %', 'probes: latency ×2', 'prometheus: good (no change)', 'prometheus: error rate +1 point', 'prometheus: p95 +50 %'];
  const rows = [];
  for (const [index, scenario] of SCENARIOS.entries()) {
    if (!picked.includes(`${scenario.model}: ${scenario.label}`)) continue;
    const cells = [];
    for (const lookFraction of [undefined, obrienFleming]) {
      const r = runScenario({ judgeMetric, scenario, releases: COMPARISON_RELEASES, seed: 5000 + index, lookFraction });
      cells.push(`${percent(r.rolledBack, r.releases)} / ${percent(r.within3, r.releases)} / ${r.medianLook ?? '—'}`);
    }
    rows.push(`| ${scenario.model} | ${scenario.label} | ${cells.join(' | ')} |`);
  }
  return [
    `Alpha spending (${COMPARISON_RELEASES} releases each; rolled back / within 3 intervals / median look):`,
    '',
    '| source | release | Pocock (the judge) | O\'Brien–Fleming |',
    '|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** Standard normal quantile by bisection on @stdlib's cdf (only needed once). @param {number} p */
function normalQuantile(p) {
  let lo = -10;
  let hi = 10;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid, 0, 1) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
