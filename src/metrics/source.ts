// A metrics source beyond the synthetic probes (Prometheus, a command printing JSON, …): measures throughput, memory
// and CPU over a window. Like every source it never throws; an unreachable source answers `{ error }`, and the
// report then says "not measured" instead of inventing a figure. No source ships yet.

export type SourcedMetric = 'throughput' | 'memory' | 'cpu';

/** Throughput in requests/s, memory in bytes, CPU in percent; a metric the source does not know is absent. */
export type MetricMeasurement = Partial<Record<SourcedMetric, number>> | { error: string };

export interface MeasurementWindow {
  /** Epoch milliseconds. */
  from: number;
  to: number;
}

export interface MetricSource {
  name: string;
  measure(window: MeasurementWindow): Promise<MetricMeasurement>;
}

/** One source's answers for the baseline and the post-deploy window, as compareMetrics() takes them. */
export interface SourcedMeasurements {
  source: string;
  before: MetricMeasurement;
  after: MetricMeasurement;
}
