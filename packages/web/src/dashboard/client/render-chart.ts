import uPlot from 'uplot';
import type { ChartModel } from './chart-model.js';
import { formatTick, periodLabel } from './format.js';
import { inkColors, prefersDark, seriesColor } from './palette.js';

/** A drawn chart that follows its container's width. */
export interface DrawnChart {
  destroy(): void;
}

const HEIGHT = 220;
const MARK = 9;
// Counts are whole numbers: ticks step by 1, 2 or 5 times a power of ten, never by fractions.
const COUNT_INCRS = Array.from({ length: 10 }, (_, e) => [1, 2, 5].map((m) => m * 10 ** e)).flat();

function hatch(ctx: CanvasRenderingContext2D, color: string): CanvasPattern | string {
  const tile = document.createElement('canvas');
  tile.width = 6;
  tile.height = 6;
  const t = tile.getContext('2d');
  if (t === null) return color;
  t.strokeStyle = color;
  t.lineWidth = 1.5;
  t.beginPath();
  t.moveTo(0, 6);
  t.lineTo(6, 0);
  t.stroke();
  return ctx.createPattern(tile, 'repeat') ?? color;
}

/** Ticks at whole periods, spaced so that labels do not collide. */
function periodSplits(count: number, width: number): number[] {
  const fit = Math.max(1, Math.floor(width / 64));
  const step = Math.max(1, Math.ceil(count / fit));
  const out: number[] = [];
  for (let i = 0; i < count; i += step) out.push(i);
  return out;
}

/** Stacked tops per period: the cumulative value of series 0..s. */
function stackOf(model: ChartModel): number[][] {
  const acc = model.periods.map(() => 0);
  return model.series.map((s) => s.values.map((v, i) => (acc[i] = acc[i]! + (v ?? 0))));
}

/**
 * Draws a chart model with uPlot into `host`: stacked bars, single bars or lines of
 * percentages. Periods holding a suppressed cell get a hatched mark (with the number of such
 * cells when more than one) above their bar or point; noised series are outlined dashed.
 */
export function renderChart(host: HTMLElement, model: ChartModel, initialWidth: number): DrawnChart {
  const dark = prefersDark();
  const ink = inkColors(dark);
  const n = model.periods.length;
  const noised = model.noise !== null;
  const stacked = model.shape === 'stacked' ? stackOf(model) : null;
  const tops = model.periods.map((_, i) => (stacked === null ? Math.max(0, ...model.series.map((s) => s.values[i] ?? 0)) : (stacked[stacked.length - 1]?.[i] ?? 0)));
  const marks = model.periods.map((_, i) => model.series.reduce((c, s) => c + (s.suppressed[i] ? 1 : 0), 0));
  const max = model.unit === 'percent' ? 100 : Math.max(1, ...tops);
  const bars = uPlot.paths.bars!({ size: [model.shape === 'bars' ? 0.6 : 0.72, 56], align: 0 });
  const xs = model.periods.map((_, i) => i);

  // uPlot draws series in order: stacked bars go from the tallest (the total) down, so that each
  // shorter stack covers the lower part of the one before it.
  const order = model.series.map((_, i) => i);
  if (stacked !== null) order.reverse();
  const series: uPlot.Series[] = [{}];
  const data: uPlot.AlignedData = [xs, ...order.map((i) => (stacked !== null ? stacked[i]! : model.series[i]!.values.map((v) => v)))] as uPlot.AlignedData;
  for (const i of order) {
    const color = seriesColor(i, dark);
    series.push(
      model.shape === 'lines'
        ? { label: model.series[i]!.label, stroke: color, width: 2, spanGaps: false, points: { show: true, size: 5, stroke: color, fill: color }, ...(noised ? { dash: [5, 3] } : {}) }
        : { label: model.series[i]!.label, fill: color, stroke: noised ? ink.mark : color, width: noised ? 1 : 0, paths: bars, points: { show: false }, ...(noised ? { dash: [3, 2] } : {}) },
    );
  }

  const width = (measured: number): number => Math.max(240, Math.floor(measured));
  const opts: uPlot.Options = {
    width: width(initialWidth),
    height: HEIGHT,
    legend: { show: false },
    cursor: { show: false },
    select: { show: false, left: 0, top: 0, width: 0, height: 0 },
    padding: [MARK + 8, 8, 0, 0],
    scales: {
      x: { time: false, range: () => [-0.5, n - 0.5] },
      y: { range: () => [0, model.unit === 'percent' ? 100 : max * 1.08] },
    },
    axes: [
      { stroke: ink.text, grid: { show: false }, ticks: { stroke: ink.grid }, splits: (u) => periodSplits(n, u.bbox.width / devicePixelRatio), values: (_u, ticks) => ticks.map((t) => periodLabel(model.periods[t] ?? '')) },
      { stroke: ink.text, grid: { stroke: ink.grid, width: 1 }, ticks: { show: false }, size: 48, incrs: model.unit === 'percent' ? [10, 20, 25, 50] : COUNT_INCRS, values: (_u, ticks) => ticks.map((t) => formatTick(t, model.unit === 'percent')) },
    ],
    series,
    hooks: {
      draw: [
        (u) => {
          if (marks.every((m) => m === 0)) return;
          const ctx = u.ctx;
          const px = devicePixelRatio;
          const size = MARK * px;
          ctx.save();
          const pattern = hatch(ctx, ink.mark);
          ctx.fillStyle = pattern;
          ctx.strokeStyle = ink.mark;
          ctx.lineWidth = px;
          ctx.font = `${10 * px}px system-ui, sans-serif`;
          ctx.textBaseline = 'middle';
          marks.forEach((count, i) => {
            if (count === 0) return;
            const x = u.valToPos(i, 'x', true);
            // Above the stack for bars; on the baseline for lines, whose suppressed values have no height.
            const y = u.valToPos(model.shape === 'lines' ? 0 : tops[i]!, 'y', true) - size - 2 * px;
            ctx.fillRect(x - size / 2, y, size, size);
            ctx.strokeRect(x - size / 2, y, size, size);
            if (count > 1) {
              ctx.fillStyle = ink.text;
              ctx.fillText(String(count), x + size / 2 + 2 * px, y + size / 2);
              ctx.fillStyle = pattern;
            }
          });
          ctx.restore();
        },
      ],
    },
  };
  const plot = new uPlot(opts, data, host);
  const observer = new ResizeObserver((entries) => {
    const w = width(entries[entries.length - 1]?.contentRect.width ?? initialWidth);
    if (w !== plot.width) plot.setSize({ width: w, height: HEIGHT });
  });
  observer.observe(host);
  return {
    destroy() {
      observer.disconnect();
      plot.destroy();
    },
  };
}
