import { describe, expect, it } from 'vitest';
import { byGroup, filterCounts, matchesFilters, segments, tokenColor, traceSteps } from '../../src/ui/traces';
import { trace } from './fixtures';

describe('trace inspector reading', () => {
  // 47+85=132 with a noisy prefix whose first step is wrong, then a retraction that fixes it.
  const t = trace(3, 1, {
    prompt: '47+85=', gold: '132', prefix: '7+5+0=13;', completion: '!7+5+0=12;4+8+1=13;>132', answer: '132',
    kind: 'prefixed', first_wrong_step: 0, retractions: 1, recovered_at: 1,
    steps: [
      { text: '7+5+0=13', ok: false, retracted: true, isRetraction: false, start: 0, end: 8 },
      { text: '!7+5+0=12', ok: true, retracted: false, isRetraction: true, start: 9, end: 18 },
      { text: '4+8+1=13', ok: true, retracted: false, isRetraction: false, start: 19, end: 27 },
    ],
    answer_start: 28,
    logprobs: Array(23).fill(-0.01).map((x, i) => (i === 0 ? -3 : x)),
  });

  it('splits prefix + completion into the verifier\'s steps with their roles', () => {
    const segs = segments(t);
    const steps = segs.filter((s) => s.kind === 'step');
    expect(steps.map((s) => s.tokens.map((x) => x.ch).join(''))).toEqual(['7+5+0=13', '!7+5+0=12', '4+8+1=13']);
    expect(steps[0].roles).toEqual(['wrong', 'first-wrong', 'retracted']);
    expect(steps[1].roles).toEqual(['ok', 'retraction', 'recovery']);
    expect(steps[0].tokens.every((x) => x.prefix && x.logprob === null)).toBe(true);
    expect(steps[1].tokens[0]).toEqual({ ch: '!', prefix: false, logprob: -3 });
    const answer = segs[segs.length - 1];
    expect(answer.kind).toBe('answer');
    expect(answer.tokens.map((x) => x.ch).join('')).toBe('>132');
    expect(segs.flatMap((s) => s.tokens).map((x) => x.ch).join('')).toBe(t.prefix + t.completion);
  });

  it('colours: unlikely tokens and the advantage sign; never the prefix', () => {
    const [first] = segments(t).filter((s) => s.kind === 'step');
    expect(tokenColor(first.tokens[0], t, 'logprob')).toBeUndefined();
    const bang = segments(t)[2].tokens[0];
    expect(tokenColor(bang, t, 'logprob')).toMatch(/^rgba\(217, 119, 6/);
    expect(tokenColor(bang, t, 'advantage')).toMatch(/^rgba\(5, 150, 105/);
    expect(tokenColor(bang, { ...t, advantage: -1 }, 'advantage')).toMatch(/^rgba\(220, 38, 38/);
  });

  it('a completion without a conclusion or steps still renders all its text', () => {
    const u = trace(0, 0, {
      completion: '7+5+0=1', steps: [{ text: '7+5+0=1', ok: false, retracted: false, isRetraction: false, start: 0, end: 7 }], answer_start: null, correct: false, finished: false,
    });
    expect(segments(u).map((s) => s.kind)).toEqual(['step']);
    expect(segments(u).flatMap((s) => s.tokens).map((x) => x.ch).join('')).toBe('7+5+0=1');
    expect(segments(trace(0, 0, { completion: '', steps: [], answer_start: null }))).toEqual([]);
  });

  it('a trace stored before spans were sent renders as one plain segment', () => {
    const old = trace(0, 0, { steps: t.steps.map(({ text, ok, retracted, isRetraction }) => ({ text, ok, retracted, isRetraction })), answer_start: undefined });
    expect(segments(old)).toEqual([{ kind: 'sep', tokens: segments(trace(0, 0)).flatMap((s) => s.tokens), step: null, roles: [] }]);
  });

  it('filters: none shows all, several show any match; groups stay in order', () => {
    const failed = trace(1, 2, { correct: false });
    const flipped = trace(1, 0, { flipped: true });
    expect(matchesFilters(t, [])).toBe(true);
    expect(matchesFilters(t, ['prefixed'])).toBe(true);
    expect(matchesFilters(t, ['recovered'])).toBe(true);
    expect(matchesFilters(t, ['hinted', 'flipped'])).toBe(false);
    expect(matchesFilters(failed, ['failed'])).toBe(true);
    expect(matchesFilters(flipped, ['flipped', 'failed'])).toBe(true);
    expect(matchesFilters(trace(0, 0, { hint: '~12|' }), ['hinted'])).toBe(true);
    expect(byGroup([failed, flipped, t]).map((g) => g.group)).toEqual([0, 1, 2]);
  });

  it("filters read the engine's flags, and count what each holds", () => {
    const wrongReason = trace(2, 0, { flags: ['wrong_reason'] });
    const slip = trace(2, 1, { correct: false, flags: ['wrong_conclusion'] });
    const recovered = trace(3, 0, { flags: ['recovered', 'retracted'] });
    // the page trusts the flags: a trace whose fields say nothing is still flagged, and no flag means none
    expect(matchesFilters(wrongReason, ['wrong_reason'])).toBe(true);
    expect(matchesFilters(trace(2, 0, { recovered_at: 1, flags: [] }), ['recovered'])).toBe(false);
    const counts = filterCounts([wrongReason, slip, recovered, trace(3, 1)]);
    expect(counts).toEqual({ failed: 1, recovered: 1, retracted: 1, flipped: 0, hinted: 0, prefixed: 0, wrong_reason: 1, wrong_conclusion: 1 });
    expect(traceSteps([recovered, wrongReason, slip])).toEqual([2, 3]);
  });
});
