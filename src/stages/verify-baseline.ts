// Verify's baselines. The probes': production is probed while staging runs (it is untouched then, so the baseline
// costs no time), and topped up just before the production deploy when staging was short or did not run, so the
// judge has at least verify.min-samples to compare with. The metrics sources' (Prometheus, commands): the window
// before the deploy, never reaching back into an earlier run on production (a rejected release's own window).
import { expandText } from '../exec/placeholders.js';
import type { StageContext } from '../engine/stage.js';
import { startProbing, type ProbeRun } from '../metrics/probe.js';

/** Runs `work` (the staging stage) while probing production; the samples become the baseline. */
export async function probingProduction<T>(context: StageContext, work: () => Promise<T>): Promise<T> {
  const probing = startBaseline(context);
  try {
    return await work();
  } finally {
    if (probing) context.scratch.baseline = await probing.stop();
  }
}

/**
 * Before the production deploy: probe until the baseline holds min-samples, the run is cancelled, or twice the time
 * that should take has passed, and never longer than the verify window (a slow production answers fewer; the judge then
 * says inconclusive).
 */
export async function topUpBaseline(context: StageContext): Promise<void> {
  const verify = context.config.verify;
  const have = context.scratch.baseline?.length ?? 0;
  if (!verify || have >= verify.minSamples) return;
  const probing = startBaseline(context);
  if (!probing) return;
  const needed = verify.minSamples - have;
  const { clock } = context.io;
  const spacingMs = 1000 / verify.probeRate;
  const deadline = clock.now() + Math.min(2 * needed * spacingMs, verify.windowMs);
  context.observer.progress('production', `measuring baseline: ${needed} more probe samples at ${verify.probeRate} req/s`);
  while (probing.samples.length < needed && clock.now() < deadline && !context.signal.aborted) await clock.sleep(spacingMs, context.signal);
  context.scratch.baseline = [...(context.scratch.baseline ?? []), ...(await probing.stop())];
}

function startBaseline(context: StageContext): ProbeRun | undefined {
  const verify = context.config.verify;
  if (!verify || verify.probes.length === 0 || !context.plan.environments.includes('production')) return undefined;
  const placeholders = context.placeholders('production');
  const urls = verify.probes.map((probe) => expandText(probe, placeholders));
  return startProbing(urls, context.io.http, { rate: verify.probeRate, concurrency: verify.probeConcurrency, clock: context.io.clock });
}

/**
 * Start of the metrics' before window: one verify window before the deploy, but not before the last run that changed
 * production for this target ended (a release rolled back a minute ago must not be part of the baseline).
 */
export async function metricsBaselineFrom(context: StageContext, deployStartedAt: number, windowMs: number): Promise<number> {
  const earlier = (await context.records.list()).filter(
    (record) => record.target === context.plan.target && record.environments.includes('production') && record.id !== context.deployment.id,
  );
  const lastEnded = Math.max(0, ...earlier.map((record) => Date.parse(record.startedAt) + (record.durationMs ?? 0)));
  return Math.min(deployStartedAt, Math.max(deployStartedAt - windowMs, lastEnded));
}
