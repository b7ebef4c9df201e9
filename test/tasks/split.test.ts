import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/backend/rng';
import { additionTask, makeAdditionProblem } from '../../src/tasks/addition';
import { chainTask } from '../../src/tasks/chain';
import { EVAL_ONE_IN, makeProblemSet, promptHash, splitOf } from '../../src/tasks/split';

const tasks = [additionTask, chainTask];

describe('splitOf', () => {
  it('is a pure function of the prompt', () => {
    expect(splitOf('347+285=')).toBe(splitOf('347+285='));
    expect(promptHash('7*3-5+9=')).toBe(promptHash('7*3-5+9='));
    expect(promptHash('12+34=')).not.toBe(promptHash('34+12='));
  });
  it('puts about one prompt in EVAL_ONE_IN into eval', () => {
    let evalCount = 0;
    for (let x = 100; x < 400; x++) for (let y = 100; y < 200; y++) if (splitOf(`${x}+${y}=`) === 'eval') evalCount++;
    expect(evalCount / 30000).toBeGreaterThan(1 / EVAL_ONE_IN - 0.01);
    expect(evalCount / 30000).toBeLessThan(1 / EVAL_ONE_IN + 0.01);
  });
});

describe('generate by split', () => {
  it('never shares a prompt between train and eval (2000 of each, every task and difficulty)', () => {
    for (const task of tasks) {
      for (const d of task.difficulties) {
        const rng = new Rng(d);
        const train = new Set<string>();
        const evaluation = new Set<string>();
        for (let i = 0; i < 2000; i++) {
          const t = task.generate(rng, d, 'train');
          const e = task.generate(rng, d, 'eval');
          expect(splitOf(t.prompt)).toBe('train');
          expect(splitOf(e.prompt)).toBe('eval');
          train.add(t.prompt);
          evaluation.add(e.prompt);
        }
        for (const prompt of evaluation) expect(train.has(prompt), `${task.name} d${d} ${prompt}`).toBe(false);
        expect(evaluation.size).toBeGreaterThan(1);
      }
    }
  });
  it('gives the same problems for the same seed, others for another', () => {
    for (const task of tasks) {
      const a = new Rng(7);
      const b = new Rng(7);
      const c = new Rng(8);
      const fromA = Array.from({ length: 50 }, () => task.generate(a, task.defaultDifficulty, 'train'));
      const fromB = Array.from({ length: 50 }, () => task.generate(b, task.defaultDifficulty, 'train'));
      const fromC = Array.from({ length: 50 }, () => task.generate(c, task.defaultDifficulty, 'train'));
      expect(fromB).toEqual(fromA);
      expect(fromC).not.toEqual(fromA);
    }
  });
});

describe('makeProblemSet', () => {
  it('returns distinct problems of the split, deterministic in the seed', () => {
    for (const task of tasks) {
      const set = makeProblemSet(task, 5, task.defaultDifficulty, 'eval', 300);
      expect(set.length).toBe(300);
      expect(new Set(set.map((p) => p.prompt)).size).toBe(300);
      for (const p of set) expect(splitOf(p.prompt)).toBe('eval');
      expect(makeProblemSet(task, 5, task.defaultDifficulty, 'eval', 300)).toEqual(set);
      expect(makeProblemSet(task, 6, task.defaultDifficulty, 'eval', 300)).not.toEqual(set);
    }
  });
  it('returns every problem of a split that is smaller than asked (one-digit addition)', () => {
    const allEval = new Set<string>();
    const allTrain = new Set<string>();
    for (let x = 0; x < 10; x++) {
      for (let y = 0; y < 10; y++) {
        const prompt = makeAdditionProblem(String(x), String(y)).prompt;
        (splitOf(prompt) === 'eval' ? allEval : allTrain).add(prompt);
      }
    }
    expect(allEval.size).toBeGreaterThan(0);
    const evalSet = makeProblemSet(additionTask, 1, 1, 'eval', 100);
    expect(new Set(evalSet.map((p) => p.prompt))).toEqual(allEval);
    const trainSet = makeProblemSet(additionTask, 1, 1, 'train', 1000);
    expect(new Set(trainSet.map((p) => p.prompt))).toEqual(allTrain);
  });
});
