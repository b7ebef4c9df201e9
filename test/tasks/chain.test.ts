import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/backend/rng';
import { chainTask, makeChainProblem, parseChainPrompt } from '../../src/tasks/chain';
import { decode, encode } from '../../src/tasks/tokenizer';
import { sampleProblems } from './support';

const task = chainTask;
const example = makeChainProblem(parseChainPrompt('7*3-5+9=')!);

/** Every intermediate result of a gold trace, read back from its steps. */
const resultsOf = (gold: string): number[] => gold.split(';').filter((s) => !s.startsWith('>')).map((s) => Number(s.split('=')[1]));

describe('chain: gold traces', () => {
  it('writes the 7*3-5+9 example exactly', () => {
    expect(example.gold).toBe('7*3=21;21-5=16;16+9=25;>25');
    expect(example.answer).toBe('25');
    expect(example.difficulty).toBe(3);
  });
  it('evaluates strictly left to right, without precedence', () => {
    expect(makeChainProblem(parseChainPrompt('2+3*4=')!).answer).toBe('20');
  });
  it('verifies every gold trace as correct with every step ok, at every difficulty', () => {
    for (const problem of sampleProblems(task, 200)) {
      const v = task.verify(problem, problem.gold);
      expect(v.correct, problem.prompt).toBe(true);
      expect(v.steps.length).toBe(problem.difficulty);
      expect(v.steps.every((s) => s.ok)).toBe(true);
      expect(v.firstWrongStep).toBeNull();
    }
  });
  it('survives a tokenizer round trip', () => {
    for (const problem of sampleProblems(task, 50)) {
      expect(decode(encode(problem.gold))).toBe(problem.gold);
      expect(decode(encode(problem.prompt))).toBe(problem.prompt);
    }
  });
  it('refuses to build a chain that leaves 0..99', () => {
    expect(() => makeChainProblem(parseChainPrompt('3-7+9=')!)).toThrow(/leaves/);
    expect(() => makeChainProblem(parseChainPrompt('9*9*9*9=')!)).toThrow(/leaves/);
    expect(() => makeChainProblem(parseChainPrompt('9*9+9+9+9=')!)).toThrow(/leaves/);
  });
});

describe('chain: generation', () => {
  it('uses `difficulty` operations on one-digit operands 1..9, intermediates in 0..99', () => {
    const rng = new Rng(8);
    const operatorsSeen = new Set<string>();
    for (const d of task.difficulties) {
      for (let i = 0; i < 300; i++) {
        const problem = task.generate(rng, d, 'train');
        expect(problem.prompt).toMatch(new RegExp(`^[1-9]([-+*][1-9]){${d}}=$`));
        for (const r of resultsOf(problem.gold)) expect(r >= 0 && r <= 99).toBe(true);
        for (const ch of problem.prompt) if ('+-*'.includes(ch)) operatorsSeen.add(ch);
      }
    }
    expect([...operatorsSeen].sort()).toEqual(['*', '+', '-']);
  });
  it('rejects difficulties it does not offer, defaults to 3', () => {
    expect(() => task.generate(new Rng(1), 1, 'train')).toThrow(/difficulty 1/);
    expect(task.difficulties).toEqual([2, 3, 4, 5]);
    expect(task.defaultDifficulty).toBe(3);
  });
});

describe('chain: judging steps', () => {
  it('recovers from a retracted wrong result', () => {
    const v = task.verify(example, '7*3=22;!7*3=21;21-5=16;16+9=25;>25');
    expect(v.correct).toBe(true);
    expect(v.firstWrongStep).toBe(0);
    expect(v.recoveredAt).toBe(1);
    expect(v.steps[0].retracted).toBe(true);
  });
  it('locates a wrong result and accepts steps carried on from it', () => {
    const v = task.verify(example, '7*3=21;21-5=15;15+9=24;>24');
    expect(v.steps.map((s) => s.ok)).toEqual([true, false, true]);
    expect(v.correct).toBe(false);
  });
  it('locates a left operand that is not the previous result', () => {
    expect(task.verify(example, '7*3=21;20-5=15;15+9=24;>24').firstWrongStep).toBe(1);
    expect(task.verify(example, '8*3=24;24-5=19;>28').firstWrongStep).toBe(0);
  });
  it('locates a wrong operator or right operand', () => {
    expect(task.verify(example, '7*3=21;21+5=26;>26').firstWrongStep).toBe(1);
    expect(task.verify(example, '7*3=21;21-4=17;>17').firstWrongStep).toBe(1);
  });
  it('rejects extra steps and numbers with leading zeros', () => {
    expect(task.verify(example, '7*3=21;21-5=16;16+9=25;25+1=26;>25').firstWrongStep).toBe(3);
    expect(task.verify(example, '7*3=021;>25').steps[0].ok).toBe(false);
  });
  it('after a malformed step checks the next step on its own', () => {
    const v = task.verify(example, '7*3=2x;21-5=16;30+9=38');
    expect(v.steps.map((s) => s.ok)).toEqual([false, true, false]);
  });
});

describe('chain: injected errors', () => {
  it('are wrong, with the first wrong step at the first corrupted step', () => {
    const rng = new Rng(21);
    for (const problem of sampleProblems(task, 60)) {
      for (const count of [1, 2]) {
        const injection = task.injectError(problem, rng, count);
        const v = task.verify(problem, injection.text);
        expect(v.answer).not.toBeNull();
        expect(v.answer).not.toBe(problem.answer);
        expect(v.firstWrongStep).toBe(injection.corruptedSteps[0]);
        expect(injection.corruptedSteps.length).toBe(count);
        v.steps.forEach((s, i) => expect(s.ok).toBe(!injection.corruptedSteps.includes(i)));
        for (const r of resultsOf(injection.text)) expect(r >= 0 && r <= 99).toBe(true);
        expect(injection.text.slice(0, injection.firstCorruptChar)).toBe(problem.gold.slice(0, injection.firstCorruptChar));
        const first = v.steps[injection.corruptedSteps[0]];
        expect(injection.firstCorruptChar).toBeGreaterThan(first.text.indexOf('=') + first.start); // in the result
      }
    }
  });
  it('corrupts every step when asked for more errors than steps', () => {
    const injection = task.injectError(example, new Rng(4), 9);
    expect(injection.corruptedSteps).toEqual([0, 1, 2]);
  });
});

describe('chain: maxGoldLength', () => {
  /** Every in-range chain of `operations` operations. */
  function* allChains(operations: number, prefix = ''): Generator<string> {
    if (operations === 0) {
      yield `${prefix}=`;
      return;
    }
    for (const op of '+-*') for (let b = 1; b <= 9; b++) yield* allChains(operations - 1, `${prefix}${op}${b}`);
  }
  it('is the exact maximum over every chain of 2 and 3 operations', () => {
    for (const d of [2, 3]) {
      let longest = 0;
      for (let a = 1; a <= 9; a++) {
        for (const prompt of allChains(d, String(a))) {
          const chain = parseChainPrompt(prompt)!;
          let gold: string;
          try {
            gold = makeChainProblem(chain).gold;
          } catch {
            continue; // out of range: never generated
          }
          longest = Math.max(longest, gold.length);
        }
      }
      expect(longest).toBe(task.maxGoldLength(d));
    }
  });
  it('bounds every gold trace at every difficulty', () => {
    for (const problem of sampleProblems(task, 200)) expect(problem.gold.length).toBeLessThanOrEqual(task.maxGoldLength(problem.difficulty));
  });
});
