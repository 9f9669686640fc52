// A loopback HTTP service instrumented with prom-client, for Prometheus to scrape: http_requests_total{code}, the
// http_request_duration_seconds histogram and the default process metrics (process_resident_memory_bytes,
// process_cpu_seconds_total). Its behaviour (error share, added latency) can be changed while it runs, and
// `driveTraffic` sends it a steady request rate. Closed with `await using`.
import { once } from 'node:events';
import { createServer } from 'node:http';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export interface Behaviour {
  /** Share of requests answered 500, spread evenly (every 1/errorRate-th request). */
  errorRate: number;
  /** Added to every request. */
  latencyMs: number;
}

export interface InstrumentedService extends AsyncDisposable {
  url: string;
  /** host:port, for a scrape config. */
  target: string;
  behave(behaviour: Partial<Behaviour>): void;
  /** Sends `rps` requests a second to `/` until the returned function is called. */
  driveTraffic(rps: number): () => Promise<void>;
}

export async function startInstrumentedService(initial: Partial<Behaviour> = {}): Promise<InstrumentedService> {
  const behaviour: Behaviour = { errorRate: 0, latencyMs: 0, ...initial };
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({ name: 'http_requests_total', help: 'Requests by status code', labelNames: ['code'], registers: [registry] });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Request duration',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });
  // Both codes exist from the start, so the first failures are an increase Prometheus sees, not a new series.
  requests.inc({ code: '200' }, 0);
  requests.inc({ code: '500' }, 0);
  let errorDebt = 0;

  const server = createServer((request, response) => {
    if (request.url === '/metrics') {
      void registry.metrics().then((text) => {
        response.writeHead(200, { 'content-type': registry.contentType });
        response.end(text);
      });
      return;
    }
    const end = duration.startTimer();
    errorDebt += behaviour.errorRate;
    const failing = errorDebt >= 1;
    if (failing) errorDebt -= 1;
    setTimeout(() => {
      const code = failing ? 500 : 200;
      requests.inc({ code: String(code) });
      end();
      response.writeHead(code).end(failing ? 'error\n' : 'ok\n');
    }, behaviour.latencyMs);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  const drivers = new Set<() => Promise<void>>();

  return {
    url,
    target: `127.0.0.1:${port}`,
    behave(change) {
      Object.assign(behaviour, change);
    },
    driveTraffic(rps) {
      const inFlight = new Set<Promise<unknown>>();
      const timer = setInterval(() => {
        const request = fetch(`${url}/`).then((response) => response.text(), () => undefined);
        inFlight.add(request);
        void request.finally(() => inFlight.delete(request));
      }, 1000 / rps);
      const stop = async (): Promise<void> => {
        clearInterval(timer);
        drivers.delete(stop);
        await Promise.all(inFlight);
      };
      drivers.add(stop);
      return stop;
    },
    async [Symbol.asyncDispose]() {
      await Promise.all([...drivers].map((stop) => stop()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
