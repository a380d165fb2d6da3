// Memory over time: samples and the slope that says whether they stay flat. The judging slope is
// Theil–Sen's (the median of the slopes between every pair of samples): a garbage-collection
// sawtooth or a short spike (a rollup, a checkpoint) moves a least-squares line by tens of MB
// per minute when it falls near an end of the window, but not the median; the least-squares
// slope is reported beside it.

/**
 * Least-squares line through (t, v) points: slope per millisecond, intercept and mean.
 * @param {{ t: number, v: number }[]} points
 */
export function linearFit(points) {
  const n = points.length;
  if (n < 2) return { slope: 0, intercept: points[0]?.v ?? 0, mean: points[0]?.v ?? 0, n };
  let st = 0;
  let sv = 0;
  for (const p of points) {
    st += p.t;
    sv += p.v;
  }
  const mt = st / n;
  const mv = sv / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - mt) * (p.v - mv);
    den += (p.t - mt) ** 2;
  }
  const slope = den === 0 ? 0 : num / den;
  return { slope, intercept: mv - slope * mt, mean: mv, n };
}

/**
 * Theil–Sen slope through (t, v) points: the median of the slopes of all pairs (per millisecond).
 * @param {{ t: number, v: number }[]} points
 */
export function theilSenSlope(points) {
  const slopes = [];
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const dt = points[j].t - points[i].t;
      if (dt > 0) slopes.push((points[j].v - points[i].v) / dt);
    }
  }
  if (slopes.length === 0) return 0;
  slopes.sort((a, b) => a - b);
  const m = slopes.length >> 1;
  return slopes.length % 2 === 1 ? slopes[m] : (slopes[m - 1] + slopes[m]) / 2;
}

/**
 * Summarizes a series after its warm-up (the first `warmupFraction` of the time is left out:
 * JIT, caches and pools fill there): mean, Theil–Sen slope in MB per minute (and the
 * least-squares one), and the growth the Theil–Sen slope predicts over the measured window. Flat means that growth stays under `flatFraction` of the
 * mean or under `flatBytes`, whichever is larger.
 * @param {{ t: number, v: number }[]} samples time in ms, value in bytes
 */
export function summarizeSeries(samples, { warmupFraction = 0.25, flatFraction = 0.1, flatBytes = 16 * 1024 * 1024 } = {}) {
  if (samples.length === 0) return null;
  const t0 = samples[0].t;
  const t1 = samples[samples.length - 1].t;
  const cut = t0 + (t1 - t0) * warmupFraction;
  const kept = samples.filter((s) => s.t >= cut);
  const fit = linearFit(kept);
  const slope = theilSenSlope(kept);
  const windowMs = kept.length > 1 ? kept[kept.length - 1].t - kept[0].t : 0;
  const growth = slope * windowMs;
  const limit = Math.max(flatFraction * fit.mean, flatBytes);
  return {
    samples: kept.length,
    windowMinutes: windowMs / 60_000,
    meanMB: fit.mean / 1048576,
    minMB: Math.min(...kept.map((s) => s.v)) / 1048576,
    maxMB: Math.max(...kept.map((s) => s.v)) / 1048576,
    slopeMBPerMin: (slope * 60_000) / 1048576,
    leastSquaresSlopeMBPerMin: (fit.slope * 60_000) / 1048576,
    growthMB: growth / 1048576,
    limitMB: limit / 1048576,
    flat: growth <= limit,
  };
}
