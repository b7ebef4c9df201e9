import { describe, expect, it } from 'vitest';
import { CHARTS } from '../../src/ui/charts/catalog';
import { bucketGrid, rangeIndexes, summarise } from '../../src/ui/charts/downsample';
import { crc32, readPngText, withPngText } from '../../src/ui/charts/exportChart';
import { axisTitles, distinctNames, exportLines, hiddenKey, toggleHidden } from '../../src/ui/charts/legend';

describe('down-sampling for drawing', () => {
  it('the bucket grid covers every step once, in order, within the bucket budget', () => {
    for (const [min, max, n] of [[1, 10, 100], [1, 5000, 100], [0, 999, 7], [3, 3, 10]] as const) {
      const g = bucketGrid(min, max, n);
      expect(g[0].from).toBe(min);
      expect(g[g.length - 1].to).toBe(max);
      for (let i = 1; i < g.length; i++) expect(g[i].from).toBe(g[i - 1].to + 1);
      expect(g.length).toBeLessThanOrEqual(n);
    }
    expect(bucketGrid(1, 10, 100).every((b) => b.from === b.to)).toBe(true);
    expect(bucketGrid(5, 4, 10)).toEqual([]);
  });

  it('a zoom gets its own buckets, finer than outside; a zoom outside the data is ignored', () => {
    const g = bucketGrid(1, 10_000, 100, { from: 2000, to: 2099 });
    const inside = g.filter((b) => b.from >= 2000 && b.to <= 2099);
    expect(inside).toHaveLength(100);
    expect(inside.every((b) => b.from === b.to)).toBe(true);
    expect(g.length).toBeLessThanOrEqual(200);
    expect(bucketGrid(1, 100, 10, { from: 500, to: 600 })).toEqual(bucketGrid(1, 100, 10));
  });

  it('summarise keeps per bucket the first step, the last point and the min and max', () => {
    const grid = [{ from: 1, to: 3 }, { from: 4, to: 6 }, { from: 7, to: 9 }];
    const s = summarise([1, 2, 3, 5, 9], [5, -1, 2, 4, 0], [10, 20, 30, 40, 50], grid);
    expect(s[0]).toEqual({ first: 1, x: 3, y: 2, drawn: 30, min: -1, max: 5, n: 3 });
    expect(s[1]).toEqual({ first: 5, x: 5, y: 4, drawn: 40, min: 4, max: 4, n: 1 });
    expect(s[2]?.x).toBe(9);
  });

  it('rangeIndexes finds a step range in rows (the whole when the range misses)', () => {
    const steps = [1, 5, 10, 20, 40];
    expect(rangeIndexes(steps, null)).toEqual({ startIndex: 0, endIndex: 4 });
    expect(rangeIndexes(steps, { from: 4, to: 25 })).toEqual({ startIndex: 1, endIndex: 3 });
    expect(rangeIndexes(steps, { from: 9, to: 11 })).toEqual({ startIndex: 1, endIndex: 3 }); // one row: widened to three
    expect(rangeIndexes(steps, { from: 50, to: 60 })).toEqual({ startIndex: 0, endIndex: 4 });
  });
});

describe('legends, axes and exports', () => {
  it('names two runs of one preset and seed apart, however long', () => {
    const a = 'Noisy rewards, 40% flips (custom from GRPO) · seed 1 · #1';
    const b = 'Noisy rewards, 40% flips (custom from GRPO) · seed 1 · #2';
    const [sa, sb] = distinctNames([a, b], 32);
    expect(sa.length).toBeLessThanOrEqual(32);
    expect(sa).not.toBe(sb);
    expect(sa.endsWith('#1')).toBe(true);
    expect(sb.endsWith('#2')).toBe(true);
    expect(distinctNames(['x', 'x', 'y', 'x'])).toEqual(['x', 'x (2)', 'y', 'x (3)']);
    expect(distinctNames(['short'])).toEqual(['short']);
  });

  it('a legend click hides a line of one chart, a second click shows it', () => {
    const k = hiddenKey('reward', 'run-a|train|reward/clean');
    const once = toggleHidden([], k);
    expect(once).toEqual([k]);
    expect(toggleHidden(once, hiddenKey('entropy', 'run-a|train|reward/clean'))).toHaveLength(2); // per chart
    expect(toggleHidden(once, k)).toEqual([]);
  });

  it('every chart has both axis titles', () => {
    for (const spec of CHARTS) {
      const t = axisTitles(spec);
      expect(t.x.length, spec.id).toBeGreaterThan(0);
      expect(t.y.length, spec.id).toBeGreaterThan(0);
    }
    expect(axisTitles({ id: 'new-chart', title: 'New chart', kind: 'series' }).y).toBe('New chart');
  });

  it('an export says which runs, axes, smoothing, zoom and hidden lines it shows', () => {
    const lines = exportLines({ title: 'Reward', runs: ['GRPO · seed 1 · #1', 'GRPO · seed 1 · #2'], x: 'step', y: 'mean reward', smoothing: 0.6, smoothed: true, zoom: { from: 10, to: 90 }, hidden: ['GRPO · seed 1 · #2: clean'] });
    expect(lines).toEqual([
      'Runs: GRPO · seed 1 · #1; GRPO · seed 1 · #2',
      'Axes: x = step, y = mean reward',
      'Smoothing: EMA 0.60 (faint: logged values)',
      'Steps 10 to 90',
      'Hidden: GRPO · seed 1 · #2: clean',
    ]);
    expect(exportLines({ title: 'P', runs: ['a'], x: 'k (log2)', y: 'Pass@k', smoothing: 0.6, smoothed: false, zoom: null, hidden: [] })[2]).toBe('Smoothing: none (logged values)');
  });

  it('PNG text chunks: written after the header with a valid CRC, read back in UTF-8', () => {
    expect(crc32(new TextEncoder().encode('IEND'))).toBe(0xae426082); // the CRC every PNG ends with
    // a minimal PNG: signature, IHDR (1x1), IEND
    const ihdr = [0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89];
    const png = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, ...ihdr, 0, 0, 0, 0, 73, 69, 78, 68, 0xae, 0x42, 0x60, 0x82]);
    const out = withPngText(png, [['Title', 'Observed vs clean reward'], ['Note 1', 'Runs: GRPO · seed 1 · #1 …']]);
    expect(readPngText(out)).toEqual({ Title: 'Observed vs clean reward', 'Note 1': 'Runs: GRPO · seed 1 · #1 …' });
    expect(out.subarray(0, 33)).toEqual(png.subarray(0, 33));
    expect(out.subarray(out.length - 12)).toEqual(png.subarray(png.length - 12));
    const view = new DataView(out.buffer);
    const len = view.getUint32(33);
    expect(view.getUint32(33 + 8 + len)).toBe(crc32(out.subarray(37, 33 + 8 + len)));
  });
});
