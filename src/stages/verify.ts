// Stage 5: watch production over the window. Probes run at a steady rate, configured Prometheus or command metrics
// are read, and at every interval each metric is judged against its baseline (judge.ts: a sequential test that fails
// only on a change beyond the limit that is statistically significant). Production smoke checks run in parallel.
// A failed metric or smoke check ends the window at once. At the end, inconclusive and no-data metrics follow
// verify.on-inconclusive / on-no-data.
// Adds: VerifyData (each metric's verdict and evidence, looks, samples, smoke checklist, anomalies, warnings).
// Failure: production is rolled back to the snapshot (health re-checked): `rolled-back`, or `failed` if that fails.
import { runChecksOnce } from '../checks/poll.js';
import type { CheckRecord } from '../checks/types.js';
import type { VerifyConfig } from '../config/types.js';
import { formatDuration } from '../config/units.js';
import { expandText } from '../exec/placeholders.js';
import type { VerifyData } from '../engine/model.js';
import type { StageDefinition, StageOutcome } from '../engine/stage.js';
import { startStep } from '../engine/steps.js';
import { startProbing } from '../metrics/probe.js';
import { probeSources } from '../metrics/probe-sources.js';
import type { MetricSource, VerifyTimes } from '../metrics/source.js';
import { metricSourcesFor } from '../metrics/sources-for.js';
import type { Anomaly, ProbeSample } from '../metrics/types.js';
import type { MetricVerdict } from '../metrics/verdict.js';
import { metricsBaselineFrom } from './verify-baseline.js';
import { afterProductionRollback, checkContext, debugOf, rollBackProduction } from './rollout.js';

/** A probe that has not answered by then is a failed sample (never longer than one look). */
const PROBE_TIMEOUT_MS = 10_000;

export const verifyStage: StageDefinition<'verify'> = {
  id: 'verify',
  title: 'POST-DEPLOYMENT VERIFICATION',
  label: 'Verification',
  gates: ['metrics:normal', 'no:anomalies'],
  onFailure: ['@fallback:rollback → Rollback production', '/debug ${anomaly}'],
  skipReason: ({ environments, config }) => {
    if (!environments.includes('production')) return 'production not selected';
    if (!config.verify) return 'no verify section in the config';
    return undefined;
  },
  blocks: ({ config }) => [
    {
      mode: 'parallel',
      timeoutMs: config.verify?.windowMs,
      steps: [
        { name: 'Monitor error rates', detail: probeDetail(config.verify) },
        { name: 'Verify key metrics', detail: metricsDetail(config.verify) },
        { name: 'Run production smoke tests', detail: config.verify?.smoke.map((check) => check.name).join(', ') || 'no smoke checks' },
      ],
    },
  ],

  async run(context): Promise<StageOutcome<'verify'>> {
    const verify = context.config.verify!;
    const { clock } = context.io;
    context.inFlight.phase?.('verifying');
    const placeholders = context.placeholders('production');
    const urls = verify.probes.map((probe) => expandText(probe, placeholders));
    const timer = startStep(context);
    const deployedAt = clock.now();
    const firstDeployment = context.scratch.firstDeployment === true;
    const deployStartedAt = context.scratch.deployStartedAt ?? deployedAt;
    const baselineFrom = await metricsBaselineFrom(context, deployStartedAt, verify.windowMs);
    const times = (now: number): VerifyTimes => ({ baselineFrom, deployStartedAt, deployedAt, now });

    // Prometheus header values come from the process environment, like every other secret.
    const configured = metricSourcesFor(verify, { ...checkContext(context, 'production', 'verify metrics'), env: context.env });
    // A failed smoke check or a cancel ends the window; the probes stop with it, whatever happens in between.
    const stop = new AbortController();
    const onOuterAbort = () => stop.abort();
    if (context.signal.aborted) stop.abort();
    context.signal.addEventListener('abort', onOuterAbort, { once: true });
    const probing = urls.length
      ? startProbing(urls, context.io.http, { rate: verify.probeRate, concurrency: verify.probeConcurrency, clock, timeoutMs: Math.min(PROBE_TIMEOUT_MS, verify.intervalMs) })
      : undefined;
    const planned = Math.max(1, Math.ceil(verify.windowMs / verify.intervalMs));
    let verdicts: MetricVerdict[] = [];
    const measured = new Map<number, { verdict: MetricVerdict; look: number }>();
    let taken = 0;
    let samples: ProbeSample[] = [];
    let smoke: CheckRecord[];
    try {
      const sources: MetricSource[] = [...(probing ? probeSources(context.scratch.baseline ?? [], probing, verify) : []), ...configured];
      const smokeRun = runChecksOnce(verify.smoke, checkContext(context, 'production', 'verify smoke')).then((records) => {
        if (records.some((record) => record.status === 'failed')) stop.abort();
        return records;
      });
      context.observer.progress(
        'verify',
        `window ${formatDuration(verify.windowMs)}, a look every ${formatDuration(verify.intervalMs)}: ${sources.map((source) => source.name).join(', ') || 'no metrics'}; ${verify.smoke.length} smoke checks`,
      );
      for (let look = 1; look <= planned && !stop.signal.aborted; look += 1) {
        await clock.sleep(deployedAt + Math.min(look * verify.intervalMs, verify.windowMs) - clock.now(), stop.signal);
        if (stop.signal.aborted) break;
        const fractions = { fraction: look / planned, previousFraction: (look - 1) / planned };
        const judged = await judgeLook(sources, times(clock.now()), verify, fractions, firstDeployment, stop.signal);
        // A look cut short by a cancel or a failed smoke check read nothing whole: the previous look's verdicts stand.
        if (stop.signal.aborted) break;
        verdicts = judged.map((verdict, index) => keepMeasured(verdict, index, look, measured, planned));
        taken = look;
        context.observer.progress('verify', `look ${look}/${planned}: ${verdicts.map((verdict) => `${named(verdict)} ${verdict.status}`).join(', ')}`);
        if (verdicts.some((verdict) => verdict.status === 'fail')) break;
      }
      stop.abort();
      smoke = await smokeRun;
    } finally {
      samples = (await probing?.stop()) ?? [];
      context.signal.removeEventListener('abort', onOuterAbort);
    }

    const failed = verdicts.filter((verdict) => verdict.status === 'fail');
    const complete = taken === planned;
    const anomalies: Anomaly[] = [
      ...failed.map((verdict): Anomaly => ({ type: 'metric', severity: 'critical', detail: verdict.reason })),
      ...smoke.filter((record) => record.status === 'failed').map((record): Anomaly => ({ type: 'smoke-failure', severity: 'critical', detail: `${record.name}: ${record.detail}` })),
    ];
    const policy = settle(verdicts, verify, firstDeployment);
    const data: VerifyData = {
      windowMs: verify.windowMs,
      intervalMs: verify.intervalMs,
      elapsedMs: timer.elapsedMs(),
      confidence: verify.confidence,
      looks: { taken, planned },
      stoppedEarly: !complete,
      samples: { before: context.scratch.baseline?.length ?? 0, after: samples.length },
      metrics: verdicts,
      smoke,
      anomalies,
      warnings: complete && failed.length === 0 ? policy.warnings : [],
    };
    // Production is verified only by a window that ran to its end and whose metrics passed (or were let through).
    const unverified = context.signal.aborted
      ? 'cancelled before the verification window completed'
      : anomalies.length > 0
        ? undefined
        : complete
          ? policy.unverified
          : `the window ended after ${taken} of ${planned} looks`;
    const gates = [
      { name: 'metrics:normal', passed: complete && failed.length === 0 && !policy.unverified, detail: gateDetail(verdicts, taken, planned, policy) },
      { name: 'no:anomalies', passed: anomalies.length === 0, detail: anomalies.length ? `${anomalies.length} anomalies` : 'none' },
    ];
    const stepStatus = anomalies.length || unverified ? 'failed' : data.warnings.length ? 'warning' : 'passed';
    const steps = [timer.finish('Verify window', stepStatus, `${taken}/${planned} looks, ${samples.length} probe samples, ${smoke.length} smoke checks`)];
    if (anomalies.length === 0 && !unverified) {
      const notes = `${taken} looks over ${formatDuration(data.elapsedMs)}: ${verdicts.map((verdict) => `${named(verdict)} ${verdict.status}`).join(', ')}`;
      return { status: data.warnings.length ? 'warning' : 'passed', notes, gates, steps, data };
    }
    if (unverified) gates.push({ name: 'verification:complete', passed: false, detail: unverified });

    const reason = anomalies.length ? `anomaly detected: ${anomalies.map((anomaly) => anomaly.detail).join('; ')}` : `production not verified: ${unverified}`;
    data.debug = debugOf(smoke);
    data.rollback = await rollBackProduction(context);
    return { ...afterProductionRollback(context, reason, data.rollback), gates, steps, data };
  },
};

/** Every source read and judged at once; reading never throws (a source that cannot answer is no-data). */
async function judgeLook(
  sources: MetricSource[],
  times: VerifyTimes,
  verify: VerifyConfig,
  fractions: { fraction: number; previousFraction: number },
  firstDeployment: boolean,
  signal: AbortSignal,
): Promise<MetricVerdict[]> {
  const look = { confidence: verify.confidence, minSamples: verify.minSamples, firstDeployment, ...fractions };
  // Loaded when a window is judged, not at start-up: its statistics library is most of the bundle's weight.
  const { judgeMetric } = await import('../metrics/judge.js');
  return Promise.all(
    sources.map(async (source) => {
      const reading = await source.read(times, signal);
      return judgeMetric({ name: source.name, source: source.source, unit: source.unit, limit: source.limit, look: { ...look, minSamples: source.minSamples ?? look.minSamples }, ...reading });
    }),
  );
}

/** "error-rate", or "error-rate (prometheus)" for a metric not from the probes: the same name can come from both. */
function named(verdict: MetricVerdict): string {
  return verdict.source === 'probes' ? verdict.name : `${verdict.name} (${verdict.source})`;
}

/**
 * A source that measured at earlier looks and then stops answering (Prometheus went down mid-window) did measure:
 * its last real verdict stands, as inconclusive, with both reasons. A source that never answered stays no-data.
 */
function keepMeasured(
  verdict: MetricVerdict,
  index: number,
  look: number,
  measured: Map<number, { verdict: MetricVerdict; look: number }>,
  planned: number,
): MetricVerdict {
  const earlier = measured.get(index);
  if (verdict.status !== 'no-data') {
    measured.set(index, { verdict, look });
    return verdict;
  }
  if (!earlier) return verdict;
  return { ...earlier.verdict, status: 'inconclusive', reason: `${verdict.reason} since look ${earlier.look + 1} of ${planned}; at look ${earlier.look}: ${earlier.verdict.reason}` };
}

interface Settled {
  /** Why production is not verified (a metric that measured nothing, or inconclusive, with policy rollback). */
  unverified?: string;
  /** Metrics let through by policy pass, each with its reason. */
  warnings: string[];
}

/**
 * At the end of the window: inconclusive and no-data metrics follow on-inconclusive / on-no-data. On a first
 * deployment nothing ran before, so a metric measured after the deploy with no baseline is a warning, not no-data.
 */
function settle(verdicts: MetricVerdict[], verify: VerifyConfig, firstDeployment: boolean): Settled {
  const rolledBack: string[] = [];
  const warnings: string[] = [];
  if (verdicts.length === 0) return { unverified: 'no metric was measured', warnings };
  for (const verdict of verdicts) {
    if (firstDeployment && verdict.status === 'no-data' && verdict.after.samples > 0) {
      warnings.push(`${verdict.name}: no baseline, nothing ran before this first deployment`);
      continue;
    }
    const policy = verdict.status === 'no-data' ? verify.onNoData : verdict.status === 'inconclusive' ? verify.onInconclusive : undefined;
    if (policy === undefined) continue;
    const key = verdict.status === 'no-data' ? 'on-no-data' : 'on-inconclusive';
    (policy === 'rollback' ? rolledBack : warnings).push(`${verdict.name} ${verdict.status === 'no-data' ? 'no data' : 'inconclusive'} (verify.${key}: ${policy}): ${verdict.reason}`);
  }
  return { ...(rolledBack.length ? { unverified: rolledBack.join('; ') } : {}), warnings };
}

function gateDetail(verdicts: MetricVerdict[], taken: number, planned: number, settled: Settled): string {
  const failed = verdicts.filter((verdict) => verdict.status === 'fail');
  if (failed.length) return failed.map((verdict) => verdict.reason).join('; ');
  if (taken < planned) return `${taken} of ${planned} looks taken`;
  if (settled.unverified) return settled.unverified;
  const counts = ['pass', 'inconclusive', 'no-data'].map((status) => [status, verdicts.filter((verdict) => verdict.status === status).length] as const);
  return counts.filter(([, count]) => count > 0).map(([status, count]) => `${count} ${status}`).join(', ');
}

function probeDetail(verify: VerifyConfig | undefined): string {
  if (!verify?.probes.length) return 'no probes';
  return `${verify.probes.join(', ')} at ${verify.probeRate} req/s`;
}

function metricsDetail(verify: VerifyConfig | undefined): string {
  const names = [...(verify?.probes.length ? ['error-rate', 'latency-p95'] : []), ...(verify?.metrics.map((metric) => metric.name) ?? [])];
  if (!verify || names.length === 0) return 'no metrics';
  return `${names.join(', ')}; confidence ${verify.confidence * 100}%, min ${verify.minSamples} samples, inconclusive → ${verify.onInconclusive}, no data → ${verify.onNoData}`;
}

