// Chart library choice for the dashboard: uPlot against Observable Plot, measured the same way.
// Each library draws the dashboard's chart count (16 charts: stacked bars of 30 periods by up to
// 9 values, with suppressed cells marked) in headless Chromium. Printed per library: the browser
// bundle of that chart code alone, minified and gzipped, and the median time from navigation to
// every chart painted. The baseline in the same run is the same page with the same data and no
// chart library (one empty element per chart), so the ratios say what each library adds.
// Usage: npm run bench -- dashboard-charts          (CANDOR_BENCH_RUNS=15 for more runs)
import { createServer } from 'node:http';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const RUNS = Number(process.env.CANDOR_BENCH_RUNS ?? 9);
const CHARTS = 16;
const PERIODS = 30;
const SERIES = 9;
const webDir = fileURLToPath(new URL('../packages/web/', import.meta.url));

// The same synthetic cells for every variant: one chart's cells, as /v1/stats lists them.
const DATA = `
const PERIODS = ${PERIODS}, SERIES = ${SERIES}, CHARTS = ${CHARTS};
function cellsOf(chart) {
  const out = [];
  let seed = chart * 7919 + 1;
  const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  for (let p = 0; p < PERIODS; p++) {
    const period = '2026-11-' + String(p + 1).padStart(2, '0');
    for (let s = 0; s < SERIES; s++) {
      const suppressed = s === SERIES - 1 && rnd() < 0.5;
      out.push({ period, value: 'v' + s, events: suppressed ? null : Math.round(2000 * rnd() / (s + 1)), suppressed });
    }
  }
  return out;
}
function host(i) {
  const el = document.createElement('figure');
  el.style.width = '560px';
  document.body.append(el);
  return el;
}
function done() {
  requestAnimationFrame(() => requestAnimationFrame(() => { performance.mark('charts-rendered'); window.__rendered = performance.now(); }));
}
`;

const VARIANTS = {
  baseline: `${DATA}
for (let i = 0; i < CHARTS; i++) { const cells = cellsOf(i); host(i).textContent = cells.length + ' cells'; }
done();`,
  uplot: `${DATA}
import uPlot from 'uplot';
import css from 'uplot/dist/uPlot.min.css';
const style = document.createElement('style'); style.textContent = css; document.head.append(style);
const bars = uPlot.paths.bars({ size: [0.7, 40] });
for (let i = 0; i < CHARTS; i++) {
  const cells = cellsOf(i);
  const periods = [...new Set(cells.map((c) => c.period))];
  const values = [...new Set(cells.map((c) => c.value))];
  const at = new Map(cells.map((c) => [c.period + '|' + c.value, c]));
  const stacked = [];
  const acc = periods.map(() => 0);
  const suppressed = periods.map((p) => values.some((v) => at.get(p + '|' + v)?.suppressed));
  for (const v of values) stacked.push(periods.map((p, j) => (acc[j] += at.get(p + '|' + v)?.events ?? 0)));
  const series = values.map((v, s) => ({ label: v, fill: 'hsl(' + s * 40 + ' 60% 55%)', stroke: 'hsl(' + s * 40 + ' 60% 40%)', paths: bars, points: { show: false } })).reverse();
  new uPlot({ width: 560, height: 240, legend: { show: false }, cursor: { show: false }, series: [{}, ...series], axes: [{ values: (u, ticks) => ticks.map((t) => periods[t] ?? '') }, {}],
    hooks: { draw: [(u) => { const ctx = u.ctx; ctx.save(); ctx.fillStyle = '#000'; suppressed.forEach((s, j) => { if (!s) return; const x = u.valToPos(j, 'x', true); const y = u.valToPos(acc[j], 'y', true); ctx.fillRect(x - 4, y - 10, 8, 6); }); ctx.restore(); }] } },
    [periods.map((_, j) => j), ...stacked.slice().reverse()], host(i));
}
done();`,
  plot: `${DATA}
import * as Plot from '@observablehq/plot';
for (let i = 0; i < CHARTS; i++) {
  const cells = cellsOf(i);
  const released = cells.filter((c) => !c.suppressed);
  const marks = [Plot.barY(released, { x: 'period', y: 'events', fill: 'value' }), Plot.dot(cells.filter((c) => c.suppressed), { x: 'period', y: 0, symbol: 'times' }), Plot.ruleY([0])];
  host(i).append(Plot.plot({ width: 560, height: 240, x: { tickRotate: -45 }, color: { legend: false }, marks }));
}
done();`,
};

async function bundle(name) {
  const result = await build({
    stdin: { contents: VARIANTS[name], resolveDir: webDir, loader: 'js', sourcefile: `${name}.js` },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    loader: { '.css': 'text' },
    legalComments: 'none',
    write: false,
    logLevel: 'warning',
  });
  const code = Buffer.from(result.outputFiles[0].contents);
  return { code, gzipBytes: gzipSync(code, { level: 9 }).byteLength };
}

const bundles = {};
for (const name of Object.keys(VARIANTS)) bundles[name] = await bundle(name);

const server = createServer((req, res) => {
  const name = /^\/(\w+)\.js$/.exec(req.url ?? '')?.[1];
  if (name !== undefined && bundles[name] !== undefined) {
    res.writeHead(200, { 'content-type': 'text/javascript' });
    res.end(bundles[name].code);
    return;
  }
  const page = /^\/(\w+)$/.exec(req.url ?? '')?.[1] ?? 'baseline';
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end(`<!doctype html><meta charset="utf-8"><title>${page}</title><body><script type="module" src="/${page}.js"></script>`);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = {};
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  for (let run = 0; run < RUNS + 1; run++) {
    // Interleaved, so that a burst of load on the machine falls on every variant alike.
    for (const name of Object.keys(VARIANTS)) {
      await page.goto(`${base}/${name}`);
      await page.waitForFunction(() => globalThis.__rendered !== undefined);
      const ms = await page.evaluate(() => globalThis.__rendered);
      if (run > 0) (results[name] ??= []).push(ms); // the first run warms the browser's caches
    }
  }
} finally {
  await browser.close();
  server.close();
}

const baseMs = median(results.baseline);
console.log(`machine load (1, 5, 15 min): ${loadavg().map((x) => x.toFixed(1)).join(', ')} on 2 cores`);
console.log(`baseline (same data, no chart library): ${bundles.baseline.gzipBytes} bytes gzipped, navigation to ${CHARTS} placeholders painted ${baseMs.toFixed(0)} ms (median of ${RUNS})`);
for (const name of ['uplot', 'plot']) {
  const ms = median(results[name]);
  console.log(
    `${name === 'uplot' ? 'uPlot 1.6' : 'Observable Plot 0.6'}: ${bundles[name].gzipBytes} bytes gzipped (${(bundles[name].gzipBytes / 1024).toFixed(1)} KB), navigation to ${CHARTS} charts painted ${ms.toFixed(0)} ms (median of ${RUNS}; ${(ms / baseMs).toFixed(2)}× the baseline, ${(ms - baseMs).toFixed(0)} ms for the charts)`,
  );
}
const u = median(results.uplot);
const p = median(results.plot);
console.log(`Observable Plot / uPlot: ${(bundles.plot.gzipBytes / bundles.uplot.gzipBytes).toFixed(1)}× the bytes, ${(p / u).toFixed(2)}× the render time`);
console.log(`${u <= p && bundles.uplot.gzipBytes <= bundles.plot.gzipBytes ? 'PASS' : 'FAIL'}: uPlot (the dashboard's choice) is the smaller and the faster of the two`);
