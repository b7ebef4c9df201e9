import { describe, expect, it } from 'vitest';
import { TokenMode } from '../../../src/backend/backend';
import { Rng } from '../../../src/backend/rng';
import { lteHints, lteReplace, planHinted, randomWrongAnswers } from '../../../src/rl/methods/lte';
import { tokenModeOf, trainSequence, type StepSample } from '../../../src/rl/methods/samples';
import { additionTask, makeProblemSet } from '../../../src/tasks';
import { encodePrompt } from '../../../src/tasks/tokenizer';

const problems = makeProblemSet(additionTask, 4, 3, 'train', 3);

function sample(group: number, kind: StepSample['kind'], answer: string | null, observed: number, truncated = false): StepSample {
  const text = answer === null ? '1+2' : `>${answer}`;
  return {
    group, problem: problems[group], kind, hint: '', request: { context: encodePrompt(problems[group].prompt), prefix: [] },
    trainAs: kind === 'hinted' ? { context: encodePrompt(problems[group].prompt), shaped: true, part: 1 } : undefined,
    out: { completion: [], logps: [], truncated }, text, verdict: additionTask.verify(problems[group], text), wrongTrace: null,
    clean: observed, observed, flipped: false, advantage: 0, trained: true,
  };
}

describe('LTE', () => {
  it('hints only none-pass groups, with their distinct wrong answers and the concise hint when truncated', () => {
    const samples = [
      sample(0, 'normal', '11', 0), sample(0, 'normal', '12', 0), sample(0, 'normal', '11', 0), sample(0, 'normal', null, 0, true),
      sample(1, 'normal', '11', 0), sample(1, 'normal', problems[1].answer, 1), sample(1, 'normal', '3', 0), sample(1, 'normal', '4', 0),
      sample(2, 'normal', null, 0, true), sample(2, 'normal', null, 0, true), sample(2, 'normal', null, 0, true), sample(2, 'normal', null, 0, true),
    ];
    const hints = lteHints(additionTask, samples, 3, 64);
    expect([...hints.keys()].sort()).toEqual([0, 2]);
    expect(hints.get(0)).toBe('$~11,12|');
    expect(hints.get(2)).toBe('$|');
    // with less room, the hint keeps fewer wrong answers
    expect(lteHints(additionTask, samples, 3, encodePrompt('$~11|' + problems[0].prompt).length).get(0)).toBe('$~11|');
    const planned = planHinted(problems, hints, 4);
    expect(planned.length).toBe(8);
    expect(planned[0].request.context).toEqual(encodePrompt('$~11,12|' + problems[0].prompt));
    expect(planned[0].hint).toBe('$~11,12|');
    // sampled with the hint, trained against the bare prompt, shaped, in its own loss part
    expect(planned[0].trainAs).toEqual({ context: encodePrompt(problems[0].prompt), shaped: true, part: 1 });
  });

  it('gives the random-answer control hints of the same shape with other, random wrong answers', () => {
    const samples = [
      sample(0, 'normal', '11', 0), sample(0, 'normal', '1234', 0), sample(0, 'normal', '11', 0), sample(0, 'normal', null, 0, true),
      sample(1, 'normal', problems[1].answer, 1), sample(1, 'normal', '3', 0),
    ];
    const own = lteHints(additionTask, samples, 2, 64);
    const random = lteHints(additionTask, samples, 2, 64, 'random', new Rng(7));
    expect([...random.keys()]).toEqual([...own.keys()]);
    expect(own.get(0)).toBe('$~11,1234|');
    const hint = random.get(0)!;
    expect(hint).toMatch(/^\$~\d\d,\d{4}\|$/); // the concise marker kept, as many answers of the same lengths
    expect(hint).not.toBe(own.get(0));
    // seeded: the same stream gives the same hint, another stream another one
    expect(lteHints(additionTask, samples, 2, 64, 'random', new Rng(7)).get(0)).toBe(hint);
    const many = Array.from({ length: 400 }, (_, i) => randomWrongAnswers(['123', '45'], '123', new Rng(i)));
    for (const xs of many) {
      expect(xs).toHaveLength(2);
      expect(xs[0]).toMatch(/^[1-9]\d\d$/);
      expect(xs[1]).toMatch(/^[1-9]\d$/);
      expect(xs).not.toContain('123'); // never the gold answer
    }
    expect(new Set(many.map((xs) => xs[0])).size).toBeGreaterThan(200); // spread over the 3-digit numbers
    expect(() => lteHints(additionTask, samples, 2, 64, 'random')).toThrow(/random stream/);
  });

  it('replaces failed originals by correct hinted samples at random, keeping the group at G', () => {
    const originals = [0, 1, 2, 3].map(() => sample(0, 'normal', '11', 0));
    const hinted = [sample(0, 'hinted', problems[0].answer, 1), sample(0, 'hinted', '5', 0), sample(0, 'hinted', problems[0].answer, 1), sample(0, 'hinted', '6', 0)];
    const r = lteReplace(originals, hinted, new Rng(1));
    expect(r).toEqual({ solvedGroups: 1, hintedGroups: 1 });
    const trained = [...originals, ...hinted].filter((s) => s.trained);
    expect(trained.length).toBe(4);
    expect(trained.filter((s) => s.kind === 'hinted').length).toBe(2);
    expect(trained.filter((s) => s.kind === 'hinted').every((s) => s.observed === 1)).toBe(true);
    // which originals are dropped depends on the seed
    const dropped = (seed: number) => {
      const o = [0, 1, 2, 3].map(() => sample(0, 'normal', '11', 0));
      const h = [sample(0, 'hinted', problems[0].answer, 1), sample(0, 'hinted', '5', 0)];
      lteReplace(o, h, new Rng(seed));
      return o.findIndex((s) => !s.trained);
    };
    expect(new Set([1, 2, 3, 4, 5, 6, 7, 8].map(dropped)).size).toBeGreaterThan(1);
  });

  it('trains hinted samples with the shaped, unclipped ratio and others on-policy or clipped', () => {
    expect(tokenModeOf(sample(0, 'hinted', '1', 1), 1)).toBe(TokenMode.SHAPED);
    expect(tokenModeOf(sample(0, 'normal', '1', 1), 1)).toBe(TokenMode.ON_POLICY);
    expect(tokenModeOf(sample(0, 'normal', '1', 1), 2)).toBe(TokenMode.CLIPPED);
    const seq = trainSequence(sample(0, 'hinted', '1', 1), 1);
    expect(seq.context).toEqual(encodePrompt(problems[0].prompt));
    expect(seq.part).toBe(1);
  });
});
