// Small dependency-free SVG line charts for docs/results/: axes with ticks, one line per series (the mean
// over seeds) with a shaded min-max band over seeds, and a legend. Static files, readable on GitHub.
import type { BandPoint } from './aggregate';

export interface ChartSeries {
  label: string;
  points: BandPoint[];
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: ChartSeries[];
  width?: number;
  height?: number;
}

// Okabe-Ito: distinguishable for colour-blind readers
const COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const f = (x: number) => (Math.round(x * 10) / 10).toString();

/** About `count` round tick values covering [lo, hi] (1, 2 or 5 times a power of ten apart). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  const ticks: number[] = [];
  // integer multiples of the step, cleaned of float noise (0.6000000000000001) and of -0
  for (let i = Math.ceil(lo / step - 1e-9); i <= Math.floor(hi / step + 1e-9); i++) ticks.push(Number((i * step).toPrecision(12)) + 0);
  return ticks;
}

const tickText = (t: number) => (Math.abs(t) >= 1000 || Number.isInteger(t) ? String(Math.round(t)) : String(Number(t.toPrecision(3))));

export function renderLineChart(c: LineChart): string {
  // the legend sits right of the plot, so it never hides data
  const legendW = 40 + Math.max(0, ...c.series.map((s) => s.label.length)) * 6.6;
  const W = c.width ?? Math.round(560 + legendW);
  const H = c.height ?? Math.max(340, 60 + c.series.length * 18);
  const m = { l: 58, r: 16 + legendW, t: 34, b: 46 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const pts = c.series.flatMap((s) => s.points).filter((p) => [p.x, p.mean, p.min, p.max].every(Number.isFinite));
  let [x0, x1] = pts.length ? [Math.min(...pts.map((p) => p.x)), Math.max(...pts.map((p) => p.x))] : [0, 1];
  let [y0, y1] = pts.length ? [Math.min(...pts.map((p) => p.min)), Math.max(...pts.map((p) => p.max))] : [0, 1];
  if (x1 === x0) { x0 -= 1; x1 += 1; }
  // rates and accuracies read best on an axis from 0; anything else gets a little room on both sides
  const isRate = y0 >= 0 && y1 <= 1;
  if (isRate) { y0 = 0; y1 = Math.max(y1, 0.05); }
  if (y1 === y0) { y0 -= 0.5; y1 += 0.5; }
  const pad = (y1 - y0) * 0.05;
  if (!isRate) y0 -= pad;
  y1 += pad;
  const X = (x: number) => m.l + ((x - x0) / (x1 - x0)) * pw;
  const Y = (y: number) => m.t + ph - ((y - y0) / (y1 - y0)) * ph;

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="${f(m.l + pw / 2)}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${esc(c.title)}</text>`);
  for (const t of niceTicks(y0, y1)) {
    out.push(`<line x1="${f(m.l)}" y1="${f(Y(t))}" x2="${f(m.l + pw)}" y2="${f(Y(t))}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${f(m.l - 6)}" y="${f(Y(t) + 4)}" text-anchor="end">${esc(tickText(t))}</text>`);
  }
  for (const t of niceTicks(x0, x1, 6).filter(Number.isInteger)) { // x is a step number
    out.push(`<line x1="${f(X(t))}" y1="${f(m.t + ph)}" x2="${f(X(t))}" y2="${f(m.t + ph + 4)}" stroke="#333"/>`);
    out.push(`<text x="${f(X(t))}" y="${f(m.t + ph + 17)}" text-anchor="middle">${esc(tickText(t))}</text>`);
  }
  out.push(`<line x1="${f(m.l)}" y1="${f(m.t + ph)}" x2="${f(m.l + pw)}" y2="${f(m.t + ph)}" stroke="#333"/>`);
  out.push(`<line x1="${f(m.l)}" y1="${f(m.t)}" x2="${f(m.l)}" y2="${f(m.t + ph)}" stroke="#333"/>`);
  out.push(`<text x="${f(m.l + pw / 2)}" y="${f(H - 8)}" text-anchor="middle">${esc(c.xLabel)}</text>`);
  out.push(`<text transform="translate(14 ${f(m.t + ph / 2)}) rotate(-90)" text-anchor="middle">${esc(c.yLabel)}</text>`);

  c.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const p = s.points.filter((q) => [q.x, q.mean, q.min, q.max].every(Number.isFinite));
    if (p.length === 0) return;
    if (p.some((q) => q.max > q.min)) {
      const upper = p.map((q) => `${f(X(q.x))},${f(Y(q.max))}`);
      const lower = p.slice().reverse().map((q) => `${f(X(q.x))},${f(Y(q.min))}`);
      out.push(`<polygon points="${[...upper, ...lower].join(' ')}" fill="${color}" fill-opacity="0.15" stroke="none"/>`);
    }
    out.push(`<polyline points="${p.map((q) => `${f(X(q.x))},${f(Y(q.mean))}`).join(' ')}" fill="none" stroke="${color}" stroke-width="2"/>`);
    if (p.length <= 12) for (const q of p) out.push(`<circle cx="${f(X(q.x))}" cy="${f(Y(q.mean))}" r="2.5" fill="${color}"/>`);
  });

  const rowH = 18;
  const lx = m.l + pw + 14;
  c.series.forEach((s, i) => {
    const y = m.t + 6 + rowH * i + rowH / 2;
    const color = COLORS[i % COLORS.length];
    out.push(`<line x1="${f(lx)}" y1="${f(y)}" x2="${f(lx + 18)}" y2="${f(y)}" stroke="${color}" stroke-width="3"/>`);
    out.push(`<text x="${f(lx + 24)}" y="${f(y + 4)}">${esc(s.label)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
