import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/backend/rng';
import { additionGold, additionTask, makeAdditionProblem, parseAdditionPrompt } from '../../src/tasks/addition';
import { decode, encode } from '../../src/tasks/tokenizer';
import { sampleProblems } from './support';

const task = additionTask;
const p347 = makeAdditionProblem('347', '285');

describe('addition: gold traces', () => {
  it('writes the 347+285 example exactly', () => {
    expect(p347.prompt).toBe('347+285=');
    expect(p347.gold).toBe('7+5+0=12;4+8+1=13;3+2+1=06;>632');
    expect(p347.answer).toBe('632');
  });
  it('turns a final carry into the leading digit (95+17)', () => {
    expect(additionGold('95', '17')).toBe('5+7+0=12;9+1+1=11;>112');
  });
  it('writes one-digit problems, including zeros', () => {
    expect(additionGold('0', '0')).toBe('0+0+0=00;>0');
    expect(additionGold('9', '9')).toBe('9+9+0=18;>18');
  });
  it('verifies every gold trace as correct with every step ok, at every difficulty', () => {
    for (const problem of sampleProblems(task, 200)) {
      const v = task.verify(problem, problem.gold);
      expect(v.correct, problem.prompt).toBe(true);
      expect(v.steps.length).toBe(problem.difficulty);
      expect(v.steps.every((s) => s.ok && !s.retracted)).toBe(true);
      expect(v.firstWrongStep).toBeNull();
      expect(v.answer).toBe(String(Number(problem.prompt.split('+')[0]) + Number(problem.prompt.split('+')[1].slice(0, -1))));
    }
  });
  it('survives a tokenizer round trip', () => {
    for (const problem of sampleProblems(task, 50)) {
      expect(decode(encode(problem.gold))).toBe(problem.gold);
      expect(decode(encode(problem.prompt))).toBe(problem.prompt);
    }
  });
});

describe('addition: generation', () => {
  it('draws operands with exactly `difficulty` digits', () => {
    const rng = new Rng(5);
    for (const d of task.difficulties) {
      for (let i = 0; i < 200; i++) {
        const problem = task.generate(rng, d, 'train');
        const operands = parseAdditionPrompt(problem.prompt);
        expect(operands).not.toBeNull();
        for (const n of [operands!.x, operands!.y]) {
          expect(n.length).toBe(d);
          if (d > 1) expect(n[0]).not.toBe('0');
        }
        expect(problem.difficulty).toBe(d);
      }
    }
  });
  it('rejects difficulties it does not offer', () => {
    expect(() => task.generate(new Rng(1), 6, 'train')).toThrow(/difficulty 6/);
    expect(() => task.maxGoldLength(0)).toThrow(/difficulty 0/);
  });
  it('has default difficulty 3 among 1..5', () => {
    expect(task.difficulties).toEqual([1, 2, 3, 4, 5]);
    expect(task.defaultDifficulty).toBe(3);
  });
});

describe('addition: judging steps', () => {
  it('recovers from a retracted wrong column', () => {
    const v = task.verify(p347, '7+5+0=13;!7+5+0=12;4+8+1=13;3+2+1=06;>632');
    expect(v.correct).toBe(true);
    expect(v.firstWrongStep).toBe(0);
    expect(v.steps[0].retracted).toBe(true);
    expect(v.recoveredAt).toBe(1);
    expect(v.steps.slice(1).every((s) => s.ok)).toBe(true);
  });
  it('does not call a wrong redo a recovery', () => {
    const v = task.verify(p347, '7+5+0=13;!7+5+0=14;4+8+1=13;3+2+1=06;>632');
    expect(v.recoveredAt).toBeNull();
    expect(v.steps[1].ok).toBe(false);
  });
  it('locates a dropped carry in', () => {
    const v = task.verify(p347, '7+5+0=12;4+8+0=12;3+2+1=06;>622');
    expect(v.firstWrongStep).toBe(1);
    expect(v.steps[2].ok).toBe(true); // carried on correctly from the wrong step
    expect(v.correct).toBe(false);
  });
  it('locates a wrong column sum and blames only that step', () => {
    const v = task.verify(p347, '7+5+0=02;4+8+0=12;3+2+1=06;>622');
    expect(v.steps.map((s) => s.ok)).toEqual([false, true, true]);
  });
  it('locates wrong column digits', () => {
    expect(task.verify(p347, '7+5+0=12;4+9+1=14;3+2+1=06;>642').firstWrongStep).toBe(1);
    expect(task.verify(p347, '5+7+0=12;4+8+1=13;>632').firstWrongStep).toBe(0); // operands swapped
  });
  it('rejects malformed and extra steps but still lets the answer decide', () => {
    const v = task.verify(p347, '7+5+0=12;4+8+1=13;3+2+1=06;0+0+0=00;>632');
    expect(v.firstWrongStep).toBe(3);
    expect(v.correct).toBe(true);
    expect(task.verify(p347, '7+5+0=012;>632').steps[0].ok).toBe(false);
    expect(task.verify(p347, '7+5=12;>632').steps[0].ok).toBe(false);
  });
  it('after a malformed step accepts either carry rather than blame the next step too', () => {
    const v = task.verify(p347, '7+5+0=1x;4+8+1=13;3+2+1=06;>632');
    expect(v.steps.map((s) => s.ok)).toEqual([false, true, true]);
    expect(task.verify(p347, '7+5+0=1x;4+8+2=14').steps[1].ok).toBe(false);
  });
  it('has no answer for a missing or malformed conclusion', () => {
    expect(task.verify(p347, '7+5+0=12;4+8+1=13;3+2+1=06;').answer).toBeNull();
    expect(task.verify(p347, '7+5+0=12;4+8+1=13;3+2+1=06;>0632').correct).toBe(false);
  });
  it('reads a prompt with an LTE hint in front', () => {
    expect(parseAdditionPrompt('$~12,7|347+285=')).toEqual({ x: '347', y: '285' });
    const hinted = { ...p347, prompt: '~5|347+285=' };
    expect(task.verify(hinted, p347.gold).steps.every((s) => s.ok)).toBe(true);
  });
  it('throws a clear error for a problem that is not an addition', () => {
    expect(() => task.verify({ ...p347, prompt: '7*3-5=' }, '')).toThrow(/not an addition prompt/);
  });
});

describe('addition: injected errors', () => {
  it('are wrong, with the first wrong step at the first corrupted step', () => {
    const rng = new Rng(11);
    for (const problem of sampleProblems(task, 60)) {
      for (const count of [1, 2, 3]) {
        const injection = task.injectError(problem, rng, count);
        const v = task.verify(problem, injection.text);
        expect(v.answer).not.toBeNull();
        expect(v.answer).not.toBe(problem.answer);
        expect(injection.corruptedSteps.length).toBe(Math.min(count, problem.difficulty));
        expect(v.firstWrongStep).toBe(injection.corruptedSteps[0]);
        v.steps.forEach((s, i) => expect(s.ok).toBe(!injection.corruptedSteps.includes(i)));
        const first = v.steps[injection.corruptedSteps[0]];
        expect(injection.firstCorruptChar).toBeGreaterThanOrEqual(first.start);
        expect(injection.firstCorruptChar).toBeLessThan(first.end);
        expect(injection.text.slice(0, injection.firstCorruptChar)).toBe(problem.gold.slice(0, injection.firstCorruptChar));
        expect(injection.text[injection.firstCorruptChar]).not.toBe(problem.gold[injection.firstCorruptChar]);
      }
    }
  });
  it('makes all three kinds of column error: carry in, carry out, ones digit', () => {
    const rng = new Rng(12);
    const offsetsInStep = new Set<number>();
    for (const problem of sampleProblems(task, 40)) {
      const injection = task.injectError(problem, rng);
      const step = task.verify(problem, injection.text).steps[injection.corruptedSteps[0]];
      offsetsInStep.add(injection.firstCorruptChar - step.start);
    }
    expect([...offsetsInStep].sort()).toEqual([4, 6, 7]); // 'a+b+C=TO'
  });
  it('is deterministic in the rng', () => {
    expect(task.injectError(p347, new Rng(3), 2)).toEqual(task.injectError(p347, new Rng(3), 2));
  });
  it('rejects a count below 1', () => {
    expect(() => task.injectError(p347, new Rng(1), 0)).toThrow(/count/);
  });
});

describe('addition: maxGoldLength', () => {
  it('is the exact maximum over every problem of difficulty 1 and 2', () => {
    for (const d of [1, 2]) {
      const lo = d === 1 ? 0 : 10;
      let longest = 0;
      for (let x = lo; x < 10 ** d; x++) {
        for (let y = lo; y < 10 ** d; y++) longest = Math.max(longest, additionGold(String(x), String(y)).length);
      }
      expect(longest).toBe(task.maxGoldLength(d));
    }
  });
  it('bounds every gold trace and is reached by all-nines, at every difficulty', () => {
    for (const problem of sampleProblems(task, 100)) expect(problem.gold.length).toBeLessThanOrEqual(task.maxGoldLength(problem.difficulty));
    for (const d of task.difficulties) expect(additionGold('9'.repeat(d), '9'.repeat(d)).length).toBe(task.maxGoldLength(d));
  });
});
