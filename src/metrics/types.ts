// Metric sources measure; evaluate() judges. Sources never throw: an unreachable source yields "not measured".

/** One window of measurements from the synthetic probes. */
export interface ProbeSample {
  url: string;
  ok: boolean;
  status?: number;
  latencyMs: number;
  error?: string;
  at: number;
}

export interface WindowStats {
  samples: number;
  errors: number;
  /** errors / samples, or undefined when there were no samples. */
  errorRate?: number;
  latencyP95Ms?: number;
  latencyP50Ms?: number;
}

/** A figure that may not have been measured in this run; reports print "not measured" for undefined. */
export interface MetricComparison {
  name: 'error-rate' | 'latency-p95' | 'throughput' | 'memory' | 'cpu';
  before?: number;
  after?: number;
  unit: 'ratio' | 'ms' | 'rps' | 'bytes' | 'percent';
  /** Human reason when not measured ("no metrics source configured"). */
  notMeasured?: string;
  status: 'ok' | 'anomaly' | 'not-measured';
  detail: string;
}

export type Phase = 'successful' | 'failed' | 'inconclusive';

export interface Verdict {
  phase: Phase;
  /** Anomalies found; empty when successful. */
  anomalies: Anomaly[];
  /** True when the anomaly can no longer be undone by the remaining samples (stop early). */
  certain: boolean;
}

export interface Anomaly {
  type: 'error-spike' | 'latency-increase' | 'smoke-failure';
  severity: 'critical' | 'warning';
  detail: string;
}
