export const id = 263;
export const ids = [263];
export const modules = {

/***/ 83263:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  judgeMetric: () => (/* binding */ judgeMetric)
});

// EXTERNAL MODULE: ./src/metrics/format-figure.ts
var format_figure = __webpack_require__(70415);
;// CONCATENATED MODULE: ./src/metrics/stats/alpha-spending.ts
// The sequential design of the verify window: a Lan–DeMets alpha-spending function (Pocock type) shares one
// false-rollback budget α among all the looks, so looking every interval does not inflate false rollbacks.
// By fraction t of the window, α·ln(1 + (e − 1)·t) has been spent; a look at t_k may spend only what the function
// added since the previous look, α(t_k) − α(t_{k−1}), and tests at that level (Bonferroni over the increments:
// the increments add up to α at t = 1 whatever the number and spacing of the looks, so the whole window's
// false-rollback probability stays at most α). Why Pocock rather than O'Brien–Fleming: see src/metrics/judge.ts.
/** The share of `alpha` spent by fraction `t` of the window (clamped to [0, 1]). */
function spentAlpha(alpha, t) {
    const fraction = Math.min(1, Math.max(0, t));
    return alpha * Math.log(1 + (Math.E - 1) * fraction);
}
/** The significance level of one look: what the spending function added between the previous look and this one. */
function lookAlpha(alpha, fraction, previousFraction) {
    return Math.max(0, spentAlpha(alpha, fraction) - spentAlpha(alpha, previousFraction));
}

// EXTERNAL MODULE: ./node_modules/@stdlib/math-base-special-betainc/lib/index.js
var lib = __webpack_require__(89986);
var lib_default = /*#__PURE__*/__webpack_require__.n(lib);
// EXTERNAL MODULE: ./node_modules/@stdlib/stats-base-dists-beta-quantile/lib/index.js
var stats_base_dists_beta_quantile_lib = __webpack_require__(67259);
var stats_base_dists_beta_quantile_lib_default = /*#__PURE__*/__webpack_require__.n(stats_base_dists_beta_quantile_lib);
;// CONCATENATED MODULE: ./src/metrics/stats/binomial-test.ts
// Exact one-sided binomial test and the Clopper–Pearson upper bound of a rate, for error counts (events of a
// total). Both go through the regularized incomplete beta function of @stdlib, as its binomial and beta
// distributions do; the lower tail is taken directly so tiny p-values keep their precision (no 1 − cdf).


/**
 * P(X ≥ events) for X ~ Binomial(total, rate): the p-value of "the true rate is above `rate`" against
 * H0 "it is at most `rate`" (scipy's binomtest(…, alternative='greater')).
 */
function binomialPValueAbove(events, total, rate) {
    if (events <= 0 || rate >= 1)
        return 1;
    if (rate <= 0)
        return 0;
    // P(X ≥ k) = I_rate(k, n − k + 1).
    return lib_default()(rate, events, total - events + 1, true, false);
}
/** The one-sided upper bound of a rate seen as `events` of `total`, at `confidence` (Clopper–Pearson, exact). */
function clopperPearsonUpper(events, total, confidence) {
    if (events >= total)
        return 1;
    return stats_base_dists_beta_quantile_lib_default()(confidence, events + 1, total - events);
}

// EXTERNAL MODULE: ./node_modules/@stdlib/stats-base-dists-normal-cdf/lib/index.js
var stats_base_dists_normal_cdf_lib = __webpack_require__(72484);
var stats_base_dists_normal_cdf_lib_default = /*#__PURE__*/__webpack_require__.n(stats_base_dists_normal_cdf_lib);
;// CONCATENATED MODULE: ./src/metrics/stats/mann-whitney-u.ts
// One-sided Mann-Whitney U test on two samples already sorted ascending: one merge pass counts U and the ties.
// Exact null distribution when there are no ties and it is cheap (small samples, the case where the normal
// approximation is most conservative); otherwise the normal approximation with tie and continuity correction,
// as scipy's mannwhitneyu(x, y, alternative='greater') computes it.

/** Counts of the exact distribution must stay exact integers in a double. */
const EXACT_COUNT_LIMIT = 2 ** 53;
/** Operations allowed for the exact distribution (a fraction of a millisecond). */
const EXACT_WORK_LIMIT = 200_000;
/** Tests H1 "x is stochastically larger than y". Both arrays sorted ascending, finite values; either may be empty. */
function mannWhitneyGreater(x, y) {
    const n1 = x.length;
    const n2 = y.length;
    let u = 0;
    let tieTerm = 0;
    let i = 0;
    let j = 0;
    while (i < n1 || j < n2) {
        const value = j >= n2 || (i < n1 && x[i] <= y[j]) ? x[i] : y[j];
        let inX = 0;
        while (i < n1 && x[i] === value) {
            inX++;
            i++;
        }
        let inY = 0;
        while (j < n2 && y[j] === value) {
            inY++;
            j++;
        }
        // NaN equals nothing: without this the merge would never move on.
        if (inX + inY === 0)
            throw new RangeError('Mann-Whitney U needs finite values');
        // j − inY values of y lie below this group.
        u += inX * (j - inY + inY / 2);
        const tied = inX + inY;
        tieTerm += tied * tied * tied - tied;
    }
    if (n1 === 0 || n2 === 0)
        return { u, pValue: 1, method: 'asymptotic' };
    if (tieTerm === 0 && exactIsCheap(n1, n2))
        return { u, pValue: exactPValue(u, n1, n2), method: 'exact' };
    const n = n1 + n2;
    const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
    if (!(variance > 0))
        return { u, pValue: 1, method: 'asymptotic' };
    const z = (u - (n1 * n2) / 2 - 0.5) / Math.sqrt(variance);
    return { u, pValue: stats_base_dists_normal_cdf_lib_default()(-z, 0, 1), method: 'asymptotic' };
}
function exactIsCheap(n1, n2) {
    const m = Math.min(n1, n2);
    const n = Math.max(n1, n2);
    if (m * m * n > EXACT_WORK_LIMIT)
        return false;
    let ways = 1;
    for (let k = 1; k <= m; k++)
        ways = (ways * (n + k)) / k;
    return ways < EXACT_COUNT_LIMIT;
}
/**
 * P(U ≥ u) without ties. The number of arrangements giving each U is the coefficient of the Gaussian binomial
 * [m + n choose m]_q = ∏_{k=1..m} (1 − q^(n+k)) / (1 − q^k), built factor by factor as integer polynomials.
 */
function exactPValue(u, n1, n2) {
    const m = Math.min(n1, n2);
    const n = Math.max(n1, n2);
    const degree = m * n;
    const counts = new Float64Array(degree + 1);
    counts[0] = 1;
    for (let k = 1; k <= m; k++) {
        // Multiply by (1 − q^(n+k)), then divide by (1 − q^k) as a power series (only lower terms are read, so
        // dropping the terms above `degree` does not change the ones kept).
        for (let d = degree; d >= n + k; d--)
            counts[d] -= counts[d - n - k];
        for (let d = k; d <= degree; d++)
            counts[d] += counts[d - k];
    }
    let total = 0;
    let atLeast = 0;
    for (let d = 0; d <= degree; d++) {
        total += counts[d];
        if (d >= u)
            atLeast += counts[d];
    }
    return atLeast / total;
}

;// CONCATENATED MODULE: ./src/metrics/judge.ts
// The statistical judge: one metric's before and after samples, its limit and the current look in, a verdict with
// its evidence out (pure; the verify stage, and later canary analysis, call it at every look).
//
// A metric fails only when the change is both practically beyond its limit and statistically significant:
//  - values, max-ratio (latency, memory, CPU): one-sided Mann-Whitney U of "after is stochastically larger than
//    before × ratio" — the before values are scaled by the limit, so the test is of the practical margin, not of
//    any change. Values (after, and scaled before) at or below `floor` count as `floor`. Shown figure: p95
//    (nearest rank) of each side.
//  - values, min-ratio (throughput): the mirror image, "after is stochastically smaller than before × ratio".
//    Shown figure: the median of each side (a typical throughput, not a tail).
//  - counts, rate (error rate): exact one-sided binomial test of the after count against `max` and against the
//    before rate + `maxIncrease`. Failing when either is significant is the same as testing against the lower of
//    the two, so together they still spend the look's α once.
// Sequential design: the window's false-rollback budget α = 1 − confidence is spent across the looks with a
// Pocock-type Lan–DeMets function, α·ln(1 + (e − 1)t) (stats/alpha-spending.ts), rather than the O'Brien–Fleming
// type, which spends almost nothing early (≈ 2·10⁻⁹ of 0.02 by t = 0.15). Measured with the verdict corpus
// (`npm run bench`, 200 releases each, both with 0 false rollbacks): within 3 intervals Pocock caught Prometheus'
// +1 point of errors in 93.5 % vs 28.5 %, +50 % p95 in 80 % vs 0 %, doubled probe latency in 100 % vs 97.5 %;
// O'Brien–Fleming only did better on a slow small effect (probes, error rate to 2 %: 97 % vs 94.5 % by the end).
// Status: no-data when after (or, for a ratio limit, before) is missing or empty; inconclusive with fewer than
// minSamples, or when the point estimate is beyond the limit but not significant; fail when significant; else pass.




function judgeMetric(input) {
    const { look, limit } = input;
    const alpha = lookAlpha(1 - look.confidence, look.fraction, look.previousFraction);
    const common = { name: input.name, source: input.source, unit: input.unit, limit: describeLimit(limit, input.unit) };
    return limit.kind === 'rate' ? judgeRate(input, limit, alpha, common) : judgeValues(input, limit, alpha, common);
}
function judgeValues(input, limit, alpha, common) {
    const after = usable(input.after, 'values');
    const before = usable(input.before, 'values');
    if (typeof after === 'string')
        return noData(common, input.name, 'after', after, 0);
    const afterSorted = sortedValues(after.values);
    if (typeof before === 'string')
        return noData(common, input.name, 'before', before, afterSorted.length);
    const beforeSorted = sortedValues(before.values);
    const maxRatio = limit.kind === 'max-ratio';
    const shown = maxRatio ? p95 : median;
    const figures = {
        before: { samples: beforeSorted.length, value: shown(beforeSorted) },
        after: { samples: afterSorted.length, value: shown(afterSorted) },
    };
    const label = `${input.name}: ${maxRatio ? 'p95' : 'median'} ${(0,format_figure/* formatFigure */.M)(figures.before.value, input.unit)} → ${(0,format_figure/* formatFigure */.M)(figures.after.value, input.unit)}`;
    const counted = `${figures.before.samples} → ${figures.after.samples} samples`;
    if (figures.before.samples < input.look.minSamples || figures.after.samples < input.look.minSamples) {
        return {
            ...common,
            ...figures,
            status: 'inconclusive',
            test: 'none',
            reason: `${label}, ${counted}: too few samples to judge (needs ${input.look.minSamples} on each side)`,
        };
    }
    const floor = maxRatio ? (limit.floor ?? -Infinity) : -Infinity;
    // The floor applies after scaling: an after value must be above both the scaled before value and the floor
    // (1 ms → 14 ms still counts under a 10 ms floor; 0.4 ms → 0.9 ms does not). Both maps keep the ascending order.
    const scaledBefore = beforeSorted.map((v) => Math.max(v * limit.ratio, floor));
    const flooredAfter = afterSorted.map((v) => Math.max(v, floor));
    const { pValue } = maxRatio ? mannWhitneyGreater(flooredAfter, scaledBefore) : mannWhitneyGreater(scaledBefore, flooredAfter);
    const effect = Math.max(figures.after.value, floor) / Math.max(figures.before.value, floor);
    const beyond = maxRatio ? effect > limit.ratio : effect < limit.ratio;
    const status = decide(pValue, alpha, beyond);
    const evidence = weighed(status, pValue, alpha, 'Mann-Whitney U', 'the limit', beyond ? undefined : `the ${maxRatio ? 'p95' : 'median'}`);
    return {
        ...common,
        ...figures,
        status,
        test: 'mann-whitney-u',
        pValue,
        confidenceReached: 1 - pValue,
        alpha,
        reason: `${label} (×${effect.toFixed(2)}, limit ${common.limit}), ${counted}: ${evidence}`,
    };
}
function judgeRate(input, limit, alpha, common) {
    const after = usable(input.after, 'counts');
    const before = usable(input.before, 'counts');
    if (typeof after === 'string')
        return noData(common, input.name, 'after', after, 0);
    const { minSamples } = input.look;
    const afterRate = after.events / after.total;
    const figures = {
        before: typeof before === 'string' ? { samples: 0 } : { samples: before.total, value: before.events / before.total },
        after: { samples: after.total, value: afterRate },
    };
    const rate = (v) => (0,format_figure/* formatFigure */.M)(v, input.unit);
    const counted = (c) => `${c.events}/${c.total}`;
    const label = typeof before === 'string'
        ? `${input.name}: ${rate(afterRate)} after (${counted(after)})`
        : `${input.name}: ${rate(before.events / before.total)} → ${rate(afterRate)} (${counted(before)} → ${counted(after)})`;
    if (after.total < minSamples) {
        return { ...common, ...figures, status: 'inconclusive', test: 'none', reason: `${label}: too few samples to judge (needs ${minSamples} after)` };
    }
    // Each limit the after count is tested against: H0 "the after rate is at most this".
    const limits = [{ name: `max ${rate(limit.max)}`, pValue: binomialPValueAbove(after.events, after.total, limit.max), beyond: afterRate > limit.max }];
    let notJudged = '';
    if (typeof before === 'string')
        notJudged = `; before + ${rate(limit.maxIncrease)} not judged: no data before (${before})`;
    else if (before.total < minSamples)
        notJudged = `; before + ${rate(limit.maxIncrease)} not judged: ${before.total} samples before (needs ${minSamples})`;
    else {
        // The before rate is itself uncertain: it is replaced by its one-sided upper Clopper–Pearson bound at this
        // look's confidence, so only an after rate above even the highest plausible before rate + max-increase can
        // fail. Compared with the before point estimate this can only reduce false rollbacks (and the bound is high
        // for a small baseline, where the point estimate says least).
        const bound = clopperPearsonUpper(before.events, before.total, 1 - alpha);
        const threshold = Math.min(1, bound + limit.maxIncrease);
        limits.push({
            name: `before + ${rate(limit.maxIncrease)} (at most ${rate(threshold)} at this confidence)`,
            pValue: binomialPValueAbove(after.events, after.total, threshold),
            beyond: afterRate > before.events / before.total + limit.maxIncrease,
        });
    }
    // The lower limit gives the smaller p-value: it is the one the verdict is about, unless only the other is crossed.
    const tested = limits.reduce((a, b) => (b.pValue < a.pValue ? b : a));
    const beyond = limits.find((l) => l.beyond);
    const decided = decide(tested.pValue, alpha, beyond !== undefined);
    // A relative limit that could not be judged (no or too small a baseline) leaves the rate unproven, not passed,
    // unless nothing ran before (a first deployment: there is no baseline to have).
    const status = decided === 'pass' && notJudged && !input.look.firstDeployment ? 'inconclusive' : decided;
    const named = status === 'inconclusive' && beyond ? beyond : tested;
    const evidence = weighed(decided, named.pValue, alpha, 'exact binomial test', named.name);
    return {
        ...common,
        ...figures,
        status,
        test: 'binomial-exact',
        pValue: named.pValue,
        confidenceReached: 1 - named.pValue,
        alpha,
        reason: `${label}: ${evidence}${notJudged}`,
    };
}
/**
 * Fail needs both: the shown figure beyond the limit, and the test significant at this look. Either alone is
 * inconclusive (a significant shift whose p95 stays within the limit, or a p95 beyond it that may be noise).
 */
function decide(pValue, alpha, beyond) {
    if (pValue < alpha)
        return beyond ? 'fail' : 'inconclusive';
    return beyond ? 'inconclusive' : 'pass';
}
/**
 * "above max 1.00%, 99.99% sure by exact binomial test (needed 99.84%)". `within`: the figure that stayed within the
 * limit although the test was significant.
 */
function weighed(status, pValue, alpha, test, limit, within) {
    const needed = `needed ${percent(Math.ceil((1 - alpha) * 10_000) / 10_000)}`;
    const sure = (1 - pValue) > 0.9999 ? 'over 99.99%' : percent(Math.floor((1 - pValue) * 10_000) / 10_000);
    if (status === 'inconclusive' && within && pValue < alpha)
        return `shifted beyond ${limit}, ${sure} sure by ${test} (${needed}), but ${within} is within it`;
    if (status === 'fail')
        return `above ${limit}, ${sure} sure by ${test} (${needed})`;
    if (status === 'inconclusive')
        return `beyond ${limit} but only ${sure} sure by ${test} (${needed})`;
    return `within ${limit} (${sure} sure it is crossed by ${test}, ${needed})`;
}
function percent(share) {
    return `${(share * 100).toFixed(2)}%`;
}
function noData(common, name, side, why, afterSamples) {
    return {
        ...common,
        status: 'no-data',
        test: 'none',
        before: { samples: 0 },
        after: { samples: afterSamples },
        reason: `${name}: no data ${side} the deploy (${why})`,
    };
}
/** The samples when they can be judged, or why not. */
function usable(samples, kind) {
    if ('noData' in samples)
        return samples.noData;
    if (samples.kind !== kind)
        return `the source gave ${samples.kind}, the limit needs ${kind}`;
    if (samples.kind === 'counts' && !(samples.events >= 0 && samples.events <= samples.total && Number.isFinite(samples.total))) {
        return `invalid counts: ${samples.events} of ${samples.total}`;
    }
    const size = samples.kind === 'values' ? sortedValues(samples.values).length : samples.total;
    if (size === 0)
        return '0 samples';
    return samples;
}
/**
 * The finite values, ascending. A value that is not a finite number is no sample (Prometheus answers NaN for a step
 * without traffic). The same arrays come back look after look (the before window does not change during verify):
 * their sorted copy is kept while the array lives, checked against its length in case it grew. Callers never
 * mutate values in place.
 */
const sortedCache = new WeakMap();
function sortedValues(values) {
    const cached = sortedCache.get(values);
    if (cached && cached.length === values.length)
        return cached.sorted;
    const sorted = Float64Array.from(values.filter(Number.isFinite)).sort();
    sortedCache.set(values, { length: values.length, sorted });
    return sorted;
}
/** Nearest-rank percentiles of an ascending array. */
function p95(sorted) {
    return sorted[Math.ceil(0.95 * sorted.length) - 1];
}
function median(sorted) {
    return sorted[Math.ceil(0.5 * sorted.length) - 1];
}
function describeLimit(limit, unit) {
    switch (limit.kind) {
        case 'max-ratio':
            return `max ×${limit.ratio} of before${limit.floor === undefined ? '' : ` (values under ${(0,format_figure/* formatFigure */.M)(limit.floor, unit)} count as ${(0,format_figure/* formatFigure */.M)(limit.floor, unit)})`}`;
        case 'min-ratio':
            return `min ×${limit.ratio} of before`;
        case 'rate':
            return `max ${(0,format_figure/* formatFigure */.M)(limit.max, unit)} and before + ${(0,format_figure/* formatFigure */.M)(limit.maxIncrease, unit)}`;
    }
}


/***/ })

};
