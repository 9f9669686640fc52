// Stage 5: over the window, probe production and compare error rate and p95 latency with the baseline taken before
// the deploy, while production smoke checks run in parallel. Stops early once an anomaly is certain.
// Adds: VerifyData (before/after figures, metrics "not measured" without a source, smoke checklist, anomalies).
// Failure: production is rolled back to the snapshot (health re-checked): `rolled-back`, or `failed` if that fails.
import { runChecksOnce } from '../checks/poll.js';
import { formatDuration } from '../config/units.js';
import { expandText } from '../exec/placeholders.js';
import type { VerifyData } from '../engine/model.js';
import type { StageDefinition, StageOutcome } from '../engine/stage.js';
import { startStep } from '../engine/steps.js';
import { compareMetrics, evaluateWindow } from '../metrics/evaluate.js';
import { countProbeRounds, sampleProbes, summarizeSamples } from '../metrics/probe.js';
import type { Anomaly, ProbeSample, Verdict } from '../metrics/types.js';
import { afterProductionRollback, checkContext, debugOf, rollBackProduction } from './rollout.js';

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
        { name: 'Monitor error rates', detail: config.verify?.probes.join(', ') || 'no probes' },
        { name: 'Verify key metrics', detail: 'latency p95 (throughput, memory, CPU need a metrics source)' },
        { name: 'Run production smoke tests', detail: config.verify?.smoke.map((check) => check.name).join(', ') || 'no smoke checks' },
      ],
    },
  ],

  async run(context): Promise<StageOutcome<'verify'>> {
    const verify = context.config.verify!;
    context.inFlight.phase?.('verifying');
    const placeholders = context.placeholders('production');
    const urls = verify.probes.map((probe) => expandText(probe, placeholders));
    const rounds = urls.length ? countProbeRounds(verify.windowMs, verify.intervalMs) : 0;
    const expectedAfterSamples = rounds * urls.length;
    const before = summarizeSamples(context.scratch.baseline ?? []);
    const limits = { ...verify.errorRate, maxLatencyRatio: verify.latencyP95.maxRatio };
    const timer = startStep(context);

    // Smoke checks and probes run together; a smoke failure is a certain anomaly and ends the window.
    const stop = new AbortController();
    const onOuterAbort = () => stop.abort();
    if (context.signal.aborted) stop.abort();
    context.signal.addEventListener('abort', onOuterAbort, { once: true });
    let verdict: Verdict | undefined;
    const judge = (samples: ProbeSample[], complete: boolean) =>
      evaluateWindow({ before, after: summarizeSamples(samples), limits, expectedAfterSamples, complete });

    context.observer.progress('verify', `window ${formatDuration(verify.windowMs)}: ${urls.length} probes every ${formatDuration(verify.intervalMs)}, ${verify.smoke.length} smoke checks`);
    const [samples, smoke] = await Promise.all([
      urls.length
        ? sampleProbes(urls, context.io.http, {
            durationMs: verify.windowMs,
            intervalMs: verify.intervalMs,
            clock: context.io.clock,
            signal: stop.signal,
            stop: (so) => {
              verdict = judge(so, false);
              return verdict.phase === 'failed' && verdict.certain;
            },
          })
        : Promise.resolve([] as ProbeSample[]),
      runChecksOnce(verify.smoke, checkContext(context, 'production', 'verify smoke')).then((records) => {
        if (records.some((record) => record.status === 'failed')) stop.abort();
        return records;
      }),
    ]);
    context.signal.removeEventListener('abort', onOuterAbort);

    const after = summarizeSamples(samples);
    const complete = !stop.signal.aborted && samples.length >= expectedAfterSamples;
    // Without probes the smoke checks are the only evidence; with neither, nothing was measured and nothing passes.
    // No probes (the config requires them; a later source of probes could still leave none): nothing measured.
    verdict = urls.length ? judge(samples, true) : { phase: 'inconclusive', anomalies: [], certain: false };
    const anomalies: Anomaly[] = [...verdict.anomalies];
    for (const failed of smoke.filter((record) => record.status === 'failed')) {
      anomalies.push({ type: 'smoke-failure', severity: 'critical', detail: `${failed.name}: ${failed.detail}` });
    }
    const data: VerifyData = {
      windowMs: verify.windowMs,
      elapsedMs: timer.elapsedMs(),
      stoppedEarly: !complete && urls.length > 0,
      samples: { before: before.samples, after: after.samples },
      metrics: compareMetrics(before, after, limits),
      smoke,
      anomalies,
    };
    const metricsDetail = verdict.anomalies.length
      ? verdict.anomalies.map((anomaly) => anomaly.detail).join('; ')
      : verdict.phase !== 'successful'
        ? `not measured: ${after.samples} probe samples, nothing to judge`
        : `${after.samples} samples within limits`;
    const gates = [
      { name: 'metrics:normal', passed: verdict.phase === 'successful', detail: metricsDetail },
      { name: 'no:anomalies', passed: anomalies.length === 0, detail: anomalies.length ? `${anomalies.length} anomalies` : 'none' },
    ];
    // Production is verified only by a window that ran to its end and measured something.
    const unverified = context.signal.aborted
      ? 'cancelled before the verification window completed'
      : after.samples === 0
        ? 'nothing measured: 0 probe samples'
        : verdict.phase === 'inconclusive'
          ? `inconclusive: ${after.samples} probe samples, nothing to judge`
          : undefined;
    const steps = [timer.finish('Verify window', anomalies.length || unverified ? 'failed' : 'passed', `${after.samples} probe samples, ${smoke.length} smoke checks`)];
    if (anomalies.length === 0 && !unverified) {
      return { status: 'passed', notes: `${after.samples} samples over ${formatDuration(data.elapsedMs)}, no anomalies`, gates, steps, data };
    }
    if (unverified) gates.push({ name: 'verification:complete', passed: false, detail: unverified });

    const reason = anomalies.length ? `anomaly detected: ${anomalies.map((anomaly) => anomaly.detail).join('; ')}` : `production not verified: ${unverified}`;
    data.debug = debugOf(smoke);
    data.rollback = await rollBackProduction(context);
    return { ...afterProductionRollback(context, reason, data.rollback), gates, steps, data };
  },
};
