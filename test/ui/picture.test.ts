import { describe, expect, it } from 'vitest';
import type { ChartRun } from '../../src/ui/charts/data';
import { trainColumns } from '../../src/ui/charts/data';
import { asOfLabel, pictureHolds, pictureOf } from '../../src/ui/charts/picture';
import type { MetricRow } from '../../src/run/records';

const rows = (n: number, kind: 'train' | 'eval' = 'train'): MetricRow[] => Array.from({ length: n }, (_, i) => ({ step: i, kind, reward: i / n }));
const run = (id: string, train: number, evals = 0, name = id): ChartRun => ({ id, name, series: { train: rows(train), evals: rows(evals, 'eval') } });
const settings = { smoothing: 0.6, zoom: null, hidden: '', width: 500 };

describe('a chart picture holds while its runs only grow', () => {
  it('holds for the same runs grown, drawn with the same settings', () => {
    const then = pictureOf([run('a', 10, 2), run('b', 30)], settings);
    expect(pictureHolds(then, pictureOf([run('a', 10, 2), run('b', 30)], settings))).toBe(true);
    expect(pictureHolds(then, pictureOf([run('a', 25, 3), run('b', 30)], settings))).toBe(true);
  });

  it('does not hold once a run is shorter (a rewind), added, removed or renamed', () => {
    const then = pictureOf([run('a', 10, 2), run('b', 30)], settings);
    expect(pictureHolds(then, pictureOf([run('a', 9, 2), run('b', 30)], settings))).toBe(false);
    expect(pictureHolds(then, pictureOf([run('a', 10, 1), run('b', 30)], settings))).toBe(false);
    expect(pictureHolds(then, pictureOf([run('a', 10, 2)], settings))).toBe(false);
    expect(pictureHolds(then, pictureOf([run('a', 10, 2), run('b', 30), run('c', 5)], settings))).toBe(false);
    expect(pictureHolds(then, pictureOf([run('a', 10, 2), run('b', 30, 0, 'b #2')], settings))).toBe(false);
    expect(pictureHolds(then, pictureOf([run('b', 30), run('a', 10, 2)], settings))).toBe(false);
  });

  it('does not hold once smoothing, the zoom, a hidden line or the width changes', () => {
    const runs = [run('a', 10)];
    const then = pictureOf(runs, settings);
    expect(pictureHolds(then, pictureOf(runs, { ...settings, smoothing: 0.7 }))).toBe(false);
    expect(pictureHolds(then, pictureOf(runs, { ...settings, zoom: { from: 2, to: 8 } }))).toBe(false);
    expect(pictureHolds(then, pictureOf(runs, { ...settings, hidden: 'reward|a:clean' }))).toBe(false);
    expect(pictureHolds(then, pictureOf(runs, { ...settings, width: 501 }))).toBe(false);
    const zoomed = pictureOf(runs, { ...settings, zoom: { from: 2, to: 8 } });
    expect(pictureHolds(zoomed, pictureOf(runs, { ...settings, zoom: { from: 2, to: 8 } }))).toBe(true);
    expect(pictureHolds(zoomed, pictureOf(runs, { ...settings, zoom: { from: 2, to: 9 } }))).toBe(false);
  });
});

describe('a picture says how old it is', () => {
  it('names the step the first run had reached, from its train or eval rows, as the x axis counts them', () => {
    expect(asOfLabel([run('a', 10), run('b', 3000)])).toBe('as of step 10'); // train row 9 is drawn after its update: step 10
    expect(asOfLabel([run('a', 10, 40)])).toBe('as of step 39'); // an eval is drawn at its step
  });

  it('reads a saved run\'s train columns', () => {
    const saved: ChartRun = { id: 's', name: 's', series: { train: trainColumns(rows(120), ['reward']), evals: [] } };
    expect(asOfLabel([saved])).toBe('as of step 120');
  });

  it('says "as last drawn" when the first run has no rows', () => {
    expect(asOfLabel([run('a', 0), run('b', 3000)])).toBe('as last drawn');
    expect(asOfLabel([])).toBe('as last drawn');
  });
});
