// The metric sources of `verify.metrics`: one Prometheus or command source per configured metric. The probes' source
// is built by the verify stage itself.
import type { VerifyConfig } from '../config/types.js';
import type { Placeholders } from '../exec/placeholders.js';
import type { HttpClient, ProcessRunner } from '../exec/types.js';
import { commandSource } from './command-source.js';
import { prometheusSource } from './prometheus-source.js';
import type { MetricSource } from './source.js';

export interface MetricSourceDeps {
  http: HttpClient;
  runner: ProcessRunner;
  /** The process environment: Prometheus header values are read from it. */
  env: NodeJS.ProcessEnv;
  /** Production's placeholders. */
  placeholders: Placeholders;
  workspace: string;
}

export function metricSourcesFor(verify: VerifyConfig, deps: MetricSourceDeps): MetricSource[] {
  return verify.metrics.map((metric) => {
    if (metric.prometheus !== undefined) {
      // The config check guarantees verify.prometheus for every prometheus metric.
      if (verify.prometheus === undefined) throw new Error(`${metric.at}: a prometheus metric without verify.prometheus`);
      return prometheusSource({ ...metric, prometheus: metric.prometheus }, verify.prometheus, verify.intervalMs, deps);
    }
    if (metric.command === undefined) throw new Error(`${metric.at}: a metric with neither prometheus nor command`);
    return commandSource({ ...metric, command: metric.command }, verify.intervalMs, deps);
  });
}
