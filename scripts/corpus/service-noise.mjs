// The noise of a healthy production service, drawn anew for each simulated release so no single case is tuned for:
//  - latency: lognormal (median 8–60 ms, σ 0.25–0.6) with rare slow spikes (0.1–1 % of requests, ×5–×20);
//  - errors: a small baseline rate (0.1–1 %, log-uniform);
//  - slow drift: latency ±20 % and error rate ±30 % per hour;
//  - diurnal traffic: ±20–50 % over 24 h at a random phase; latency rises with load (+30 % per doubling of traffic);
//  - bursts: about one every 30 min, 10–60 s of ×1.5–×3 traffic, with the latency load brings and a quarter as
//    many extra errors (×1.1–×1.5); the `errorBursts` noise makes the error rate follow the traffic (×1.5–×3),
//    and `bursts: false` leaves them out (to show what they cost).
// A release's effect (slower, more errors, less throughput) applies from the deploy (t = 0) on. Times in seconds.

const HOUR = 3600;
const DAY = 24 * HOUR;
const BURST_EVERY = 1800;

/** Bursts over the simulated span, which covers every baseline and window of the corpus. */
const SPAN = { from: -1800, to: 1200 };

/** @typedef {{ errorBursts?: boolean; bursts?: false }} Noise */

/** @param {ReturnType<typeof import('./random.mjs').createRandom>} random @param {Noise} noise */
export function drawService(random, noise = {}) {
  const bursts = [];
  const until = noise.bursts === false ? SPAN.from : SPAN.to;
  for (let t = SPAN.from + random.between(0, 2 * BURST_EVERY); t < until; t += -Math.log(1 - random.uniform()) * BURST_EVERY) {
    const traffic = random.between(1.5, 3);
    bursts.push({ start: t, end: t + random.between(10, 60), traffic, errors: noise.errorBursts ? traffic : 1 + (traffic - 1) / 4 });
  }
  return {
    medianMs: random.logBetween(8, 60),
    sigma: random.between(0.25, 0.6),
    spikeShare: random.logBetween(0.001, 0.01),
    spikeFactor: random.between(5, 20),
    errorRate: random.logBetween(0.001, 0.01),
    latencyDriftPerHour: random.between(-0.2, 0.2),
    errorDriftPerHour: random.between(-0.3, 0.3),
    diurnalAmplitude: random.between(0.2, 0.5),
    diurnalPhase: random.between(0, 2 * Math.PI),
    bursts,
  };
}

/**
 * @typedef {{ latency?: number; errorRateTo?: number; errorRatePlus?: number; throughput?: number }} Effect
 * latency and throughput multiply; errorRateTo sets the error rate (if higher); errorRatePlus adds to it.
 */

/**
 * Traffic (relative to the average), latency factor and error rate at time t, with the release's effect after t = 0.
 * @param {ReturnType<typeof drawService>} service @param {Effect} effect @param {number} t
 */
export function conditionsAt(service, effect, t) {
  const burst = service.bursts.find((b) => t >= b.start && t < b.end);
  const burstTraffic = burst ? burst.traffic : 1;
  const burstErrors = burst ? burst.errors : 1;
  const diurnal = 1 + service.diurnalAmplitude * Math.sin((2 * Math.PI * t) / DAY + service.diurnalPhase);
  const released = t >= 0;
  const traffic = diurnal * burstTraffic * (released ? (effect.throughput ?? 1) : 1);
  const load = diurnal * burstTraffic;
  let latencyFactor = (1 + (service.latencyDriftPerHour * t) / HOUR) * (1 + 0.3 * Math.log2(load));
  let errorRate = service.errorRate * (1 + (service.errorDriftPerHour * t) / HOUR) * burstErrors;
  if (released) {
    latencyFactor *= effect.latency ?? 1;
    errorRate = Math.max(errorRate, effect.errorRateTo ?? 0) + (effect.errorRatePlus ?? 0);
  }
  return { traffic, latencyFactor, errorRate: Math.min(1, Math.max(0, errorRate)) };
}

/**
 * The latency in ms of one request at these conditions (whether it failed is a draw against c.errorRate).
 * @param {ReturnType<typeof drawService>} service @param {ReturnType<typeof conditionsAt>} c
 * @param {ReturnType<typeof import('./random.mjs').createRandom>} random
 */
export function requestLatency(service, c, random) {
  const spike = random.uniform() < service.spikeShare ? service.spikeFactor : 1;
  return random.lognormal(service.medianMs * c.latencyFactor, service.sigma) * spike;
}
