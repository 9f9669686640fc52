// What the synthetic probes record, and the anomalies the verify stage reports (a failed metric or smoke check).

/** One probe request and its answer. */
export interface ProbeSample {
  url: string;
  ok: boolean;
  status?: number;
  latencyMs: number;
  error?: string;
  at: number;
}

export interface Anomaly {
  type: 'metric' | 'smoke-failure';
  severity: 'critical' | 'warning';
  detail: string;
}
