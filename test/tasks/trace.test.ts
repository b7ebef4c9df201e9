import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/backend/rng';
import { additionTask } from '../../src/tasks/addition';
import { chainTask } from '../../src/tasks/chain';
import { MAX_FALSE_RETRACTIONS, firstDifference, isWellFormedNumber, parseTrace, verifyTrace, type StepJudge } from '../../src/tasks/trace';
import { randomTraceText, sampleProblems } from './support';

// A toy judge: step k must read 'k' (its position), so tests can build right and wrong steps by hand.
const positionJudge: StepJudge = (body, keptBefore) => body === String(keptBefore.length);

describe('isWellFormedNumber', () => {
  it('accepts digits without leading zeros, and 0', () => {
    for (const ok of ['0', '7', '10', '632', '100000']) expect(isWellFormedNumber(ok)).toBe(true);
  });
  it('rejects leading zeros, signs, empty and mixed text', () => {
    for (const bad of ['', '00', '012', '-3', '+3', '6;', '1>2', '1 2', '!5']) expect(isWellFormedNumber(bad)).toBe(false);
  });
});

describe('parseTrace', () => {
  it('splits steps on ";" with offsets, and reads the answer after ">"', () => {
    const text = '7+5+0=12;4+8+1=13;>132';
    const parsed = parseTrace(text);
    expect(parsed.steps.map((s) => s.text)).toEqual(['7+5+0=12', '4+8+1=13']);
    for (const s of parsed.steps) expect(text.slice(s.start, s.end)).toBe(s.text);
    expect(parsed.answer).toBe('132');
  });
  it('keeps an unterminated last step, drops an empty one', () => {
    expect(parseTrace('1;2+').steps.map((s) => s.text)).toEqual(['1', '2+']);
    expect(parseTrace('1;2;').steps.map((s) => s.text)).toEqual(['1', '2']);
    expect(parseTrace('1;2;').answer).toBeNull();
  });
  it('has no answer when the conclusion is malformed or repeated', () => {
    for (const text of ['1;>', '1;>012', '1;>6>32', '1;>12;>13', '1;>12;', '1;>1!2']) {
      expect(parseTrace(text).answer, text).toBeNull();
    }
  });
  it('only takes ">" at the start of a step as the conclusion', () => {
    const parsed = parseTrace('1;2>5');
    expect(parsed.answer).toBeNull();
    expect(parsed.steps.map((s) => s.text)).toEqual(['1', '2>5']);
  });
  it('parses the empty completion as nothing', () => {
    expect(parseTrace('')).toEqual({ steps: [], answerText: null, answer: null });
  });
});

describe('verifyTrace', () => {
  it('judges every step ok on a right trace', () => {
    const v = verifyTrace('0;1;2;>9', '9', positionJudge);
    expect(v.steps.map((s) => s.ok)).toEqual([true, true, true]);
    expect(v.firstWrongStep).toBeNull();
    expect(v.correct).toBe(true);
  });
  it('lets the final answer alone decide correctness', () => {
    expect(verifyTrace('0;1;>8', '9', positionJudge).correct).toBe(false);
    expect(verifyTrace('5;5;>9', '9', positionJudge).correct).toBe(true);
  });
  it('retracts the previous kept step and judges the redo in its place', () => {
    const v = verifyTrace('0;5;!1;2;>9', '9', positionJudge);
    expect(v.steps.map((s) => [s.ok, s.retracted, s.isRetraction])).toEqual([
      [true, false, false],
      [false, true, false],
      [true, false, true],
      [true, false, false],
    ]);
    expect(v.firstWrongStep).toBe(1);
    expect(v.recoveredAt).toBe(2);
    expect(v.retractions).toBe(1);
  });
  it('chains retractions: a retraction step can itself be retracted', () => {
    const v = verifyTrace('0;5;!6;!1;2', '9', positionJudge);
    expect(v.steps.map((s) => s.retracted)).toEqual([false, true, true, false, false]);
    expect(v.recoveredAt).toBe(3); // the first redo (index 2) was wrong again
    expect(v.steps[4].ok).toBe(true);
  });
  it('does not count retracting a right step as a recovery', () => {
    const v = verifyTrace('0;1;!1', '9', positionJudge);
    expect(v.steps[2].ok).toBe(true);
    expect(v.recoveredAt).toBeNull();
  });
  it('counts a "!" that redoes a right step as a false retraction, and tolerates only MAX_FALSE_RETRACTIONS', () => {
    expect(MAX_FALSE_RETRACTIONS).toBe(1);
    const once = verifyTrace('0;!0;1;>9', '9', positionJudge);
    expect(once.falseRetractions).toBe(1);
    expect(once.correct).toBe(true); // one check is free
    const spam = verifyTrace('0;!0;!0;1;!1;>9', '9', positionJudge);
    expect(spam.falseRetractions).toBe(3);
    expect(spam.answer).toBe('9');
    expect(spam.correct).toBe(false); // retraction spam costs the reward
    const recovery = verifyTrace('5;!0;3;!1;>9', '9', positionJudge);
    expect(recovery.falseRetractions).toBe(0); // retracting wrong steps is never false
    expect(recovery.correct).toBe(true);
  });
  it('marks a "!" with nothing to retract as wrong, without shifting later steps', () => {
    const v = verifyTrace('!0;1', '9', positionJudge);
    expect(v.steps.map((s) => s.ok)).toEqual([false, true]);
    expect(v.firstWrongStep).toBe(0);
  });
});

describe('firstDifference', () => {
  it('finds the first differing offset, or the shorter length', () => {
    expect(firstDifference('abcd', 'abXd')).toBe(2);
    expect(firstDifference('ab', 'abc')).toBe(2);
    expect(firstDifference('same', 'same')).toBe(4);
  });
});

describe('verify never throws on garbage', () => {
  for (const task of [additionTask, chainTask]) {
    it(`${task.name}: 2000 random strings over the vocabulary`, () => {
      const rng = new Rng(99);
      const problems = sampleProblems(task, 4);
      for (let i = 0; i < 2000; i++) {
        const text = randomTraceText(rng, 60);
        const problem = problems[i % problems.length];
        const v = task.verify(problem, text);
        for (const s of v.steps) expect(text.slice(s.start, s.end)).toBe(s.text);
        if (v.answer !== null) expect(isWellFormedNumber(v.answer)).toBe(true);
        expect(v.correct).toBe(v.answer === problem.answer);
        if (v.firstWrongStep !== null) expect(v.steps[v.firstWrongStep].ok).toBe(false);
      }
    });
  }
  it('handles awkward hand-picked inputs', () => {
    const problem = additionTask.generate(new Rng(1), 3, 'train');
    for (const text of ['', ';', ';;;', '>', '>>', '!', '!!;!', '>0', '9'.repeat(400), `1*${'9'.repeat(400)}=0;>1`]) {
      expect(() => additionTask.verify(problem, text)).not.toThrow();
      expect(() => chainTask.verify(chainTask.generate(new Rng(2), 3, 'eval'), text)).not.toThrow();
    }
  });
});
