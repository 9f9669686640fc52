#!/usr/bin/env python3
"""Reference values for the judge's statistics, computed with scipy (independent of the @stdlib code under test).

Writes __tests__/metrics/fixtures/judge-references.json:
  mannWhitney: one-sided U tests, x stochastically larger than y (scipy.stats.mannwhitneyu, alternative='greater'),
               asymptotic with ties and continuity correction, and exact for small samples without ties;
  binomial:    exact one-sided binomial tests, rate above p (scipy.stats.binomtest, alternative='greater');
  clopperPearson: one-sided upper bounds of a rate (scipy.stats.beta.ppf(confidence, k + 1, n - k)).
Run: python3 scripts/reference/judge-references.py
"""
import json
from pathlib import Path

import numpy as np
import scipy
from scipy import stats

rng = np.random.default_rng(20261130)
out = Path(__file__).resolve().parents[2] / "__tests__" / "metrics" / "fixtures" / "judge-references.json"


def latencies(n, median, sigma, spikes=0.0, decimals=None):
    values = rng.lognormal(np.log(median), sigma, n)
    slow = rng.random(n) < spikes
    values[slow] *= 10
    return np.round(values, decimals) if decimals is not None else values


def mwu(name, x, y, method):
    result = stats.mannwhitneyu(x, y, alternative="greater", method=method, use_continuity=True)
    return {"name": name, "method": method, "x": [float(v) for v in x], "y": [float(v) for v in y],
            "u": float(result.statistic), "pValue": float(result.pvalue)}


mann_whitney = [
    # Latencies rounded to whole milliseconds: many ties, so the tie correction matters.
    mwu("same service, ms ticks", latencies(150, 15, 0.4, 0.01, 0), latencies(600, 15, 0.4, 0.01, 0), "asymptotic"),
    mwu("doubled latency vs ×1.5 margin", latencies(150, 30, 0.4, 0.01, 0), latencies(600, 22.5, 0.4, 0.01, 0), "asymptotic"),
    mwu("slightly slower, large", latencies(3000, 16, 0.5, 0.005, 1), latencies(600, 15, 0.5, 0.005, 1), "asymptotic"),
    mwu("faster after", latencies(300, 10, 0.3, 0, 0), latencies(300, 15, 0.3, 0, 0), "asymptotic"),
    mwu("floor ties", np.maximum(latencies(80, 2, 0.8, 0, 1), 5.0), np.maximum(latencies(90, 2, 0.8, 0, 1), 5.0), "asymptotic"),
    mwu("tiny p-value", latencies(400, 60, 0.3, 0, 2), latencies(400, 15, 0.3, 0, 2), "asymptotic"),
    mwu("one after value, ms ticks", latencies(1, 40, 0.3, 0, 0), latencies(50, 15, 0.3, 0, 0), "asymptotic"),
    # Exact null distribution (no ties, small samples).
    mwu("exact 3 vs 20, all above", latencies(3, 60, 0.05), latencies(20, 15, 0.05), "exact"),
    mwu("exact 5 vs 20", latencies(5, 18, 0.3), latencies(20, 15, 0.3), "exact"),
    mwu("exact 20 vs 20", latencies(20, 17, 0.2), latencies(20, 15, 0.2), "exact"),
    mwu("exact 8 vs 150", latencies(8, 25, 0.4), latencies(150, 15, 0.4), "exact"),
    mwu("exact 1 vs 30", latencies(1, 15, 0.4), latencies(30, 15, 0.4), "exact"),
]

binomial = []
for k, n, p in [(0, 100, 0.01), (1, 8, 0.01), (3, 150, 0.01), (15, 150, 0.01), (58, 4500, 0.009), (20, 3000, 0.005),
                (300, 3000, 0.0105), (2, 600, 0.003), (130, 10000, 0.01), (1000, 1000, 0.5)]:
    binomial.append({"events": k, "total": n, "rate": p,
                     "pValue": float(stats.binomtest(k, n, p, alternative="greater").pvalue)})

clopper_pearson = []
for k, n, confidence in [(0, 600, 0.98), (2, 600, 0.998), (90, 30000, 0.9986), (5, 20, 0.95), (1, 1, 0.98),
                         (0, 1, 0.98), (45, 4500, 0.99)]:
    upper = 1.0 if k >= n else float(stats.beta.ppf(confidence, k + 1, n - k))
    clopper_pearson.append({"events": k, "total": n, "confidence": confidence, "upper": upper})

out.write_text(json.dumps({"generatedBy": "scripts/reference/judge-references.py", "scipy": scipy.__version__,
                           "mannWhitney": mann_whitney, "binomial": binomial, "clopperPearson": clopper_pearson}, indent=1) + "\n")
print(f"wrote {out}")
