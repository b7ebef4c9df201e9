// The SVG line charts of docs/results/: well-formed markup, finite coordinates, escaped text, one line
// and one legend entry per series, and a band only where seeds disagree.
import { describe, expect, it } from 'vitest';
import { niceTicks, renderLineChart } from '../../../src/cli/experiments/svg';

const pts = (ys: number[], spread = 0) => ys.map((y, i) => ({ x: i * 10, mean: y, min: y - spread, max: y + spread }));

/** Every tag opened is closed, in order (self-closing tags aside). */
function balanced(svg: string): boolean {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    const [, close, name, self] = m;
    if (self) continue;
    if (close) { if (stack.pop() !== name) return false; } else stack.push(name);
  }
  return stack.length === 0;
}

describe('renderLineChart', () => {
  const svg = renderLineChart({
    title: 'Pass@1 <held-out> & more', xLabel: 'training step', yLabel: 'eval/pass@1',
    series: [{ label: 'GRPO', points: pts([0.2, 0.3, 0.4], 0.05) }, { label: 'LTE "hinted"', points: pts([0.2, 0.35, NaN, 0.5]) }],
  });

  it('is well-formed svg with escaped text', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(balanced(svg)).toBe(true);
    expect(svg).toContain('Pass@1 &lt;held-out&gt; &amp; more');
    expect(svg).toContain('LTE &quot;hinted&quot;');
  });

  it('has only finite coordinates, one line per series and a band only where seeds disagree', () => {
    const numbers = [...svg.matchAll(/\s(?:x1|y1|x2|y2|x|y|cx|cy|points)="([^"]*)"/g)].flatMap((m) => m[1].split(/[ ,]/).filter(Boolean).map(Number));
    expect(numbers.length).toBeGreaterThan(50);
    expect(numbers.every(Number.isFinite)).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg.match(/<polygon /g)).toHaveLength(1);
    expect(svg).toContain('>GRPO</text>');
  });

  it('copes with no data and with a flat line', () => {
    for (const series of [[], [{ label: 'flat', points: pts([0.5, 0.5]) }], [{ label: 'one', points: pts([3]) }]]) {
      const s = renderLineChart({ title: 't', xLabel: 'x', yLabel: 'y', series });
      expect(balanced(s)).toBe(true);
      expect(s).not.toMatch(/NaN|Infinity/);
    }
  });

  it('picks round ticks covering the range', () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 100, 6)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(2, 2)).toEqual([2]);
  });
});
