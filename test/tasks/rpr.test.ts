import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/backend/rng';
import { additionTask, makeAdditionProblem } from '../../src/tasks/addition';
import { chainTask } from '../../src/tasks/chain';
import { maskAnswers, patternRegex, patternsPresent, repeatedStepNgramShare, rprScore } from '../../src/tasks/rpr';
import { CHARS } from '../../src/tasks/tokenizer';
import { randomTraceText, sampleProblems } from './support';

const tasks = [additionTask, chainTask];
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('reasoning patterns', () => {
  it('each task has 10 to 20 distinct patterns, using only trace characters and the digit wildcard', () => {
    for (const task of tasks) {
      expect(task.reasoningPatterns.length).toBeGreaterThanOrEqual(10);
      expect(task.reasoningPatterns.length).toBeLessThanOrEqual(20);
      expect(new Set(task.reasoningPatterns).size).toBe(task.reasoningPatterns.length);
      for (const p of task.reasoningPatterns) for (const ch of p) expect(`${CHARS}#`).toContain(ch);
    }
  });
  it("'#' matches one digit and nothing else; other characters are literal", () => {
    expect(patternRegex('#+#=').test('4+8=')).toBe(true);
    expect(patternRegex('#+#=').test('4++=')).toBe(false);
    expect(patternRegex('=1#;').test('=13;')).toBe(true);
    expect(patternRegex('=1#;').test('=1;;')).toBe(false);
    expect(patternRegex('#*#=').test('4+8=')).toBe(false); // '*' is not a regex star here
  });
});

describe('rprScore', () => {
  it('scores gold traces well above garbage of the same length, at every difficulty', () => {
    const rng = new Rng(31);
    for (const task of tasks) {
      for (const d of task.difficulties) {
        const problems = sampleProblems(task, 60, d).filter((p) => p.difficulty === d);
        const gold = problems.map((p) => rprScore(task, p.gold));
        const garbage = problems.map((p) => rprScore(task, randomTraceText(rng, p.gold.length)));
        expect(Math.min(...gold), `${task.name} d${d}`).toBeGreaterThan(mean(garbage));
        expect(mean(gold), `${task.name} d${d}`).toBeGreaterThan(2 * mean(garbage));
      }
    }
  });
  it('is lowered by repeated steps', () => {
    const problem = makeAdditionProblem('347', '285');
    const looping = `${'7+5+0=12;'.repeat(5)}4+8+1=13;3+2+1=06;>632`;
    expect(repeatedStepNgramShare(problem.gold)).toBe(0);
    expect(repeatedStepNgramShare(looping)).toBeGreaterThan(0);
    expect(rprScore(additionTask, looping)).toBeLessThan(rprScore(additionTask, problem.gold));
  });
  it('counts repeated n-grams like the paper: distinct repeated n-grams over all n-grams', () => {
    // steps a,a,a,a,b: trigrams aaa, aaa, aab -> one distinct trigram repeats, of three.
    expect(repeatedStepNgramShare('1;1;1;1;2')).toBeCloseTo(1 / 3);
    expect(repeatedStepNgramShare('1;2')).toBe(0); // too short for a trigram
  });
  it('is identical whatever the final answer digits are', () => {
    const rng = new Rng(32);
    for (const task of tasks) {
      for (const problem of sampleProblems(task, 20)) {
        const withoutAnswer = problem.gold.slice(0, problem.gold.indexOf('>') + 1);
        const expected = rprScore(task, problem.gold);
        for (let i = 0; i < 5; i++) {
          const digits = String(rng.int(0, 10 ** rng.int(1, 6)));
          expect(rprScore(task, withoutAnswer + digits)).toBe(expected);
        }
      }
    }
    // also inside garbage with several '>'
    expect(rprScore(additionTask, '1+1=;>12;!>0;>999')).toBe(rprScore(additionTask, '1+1=;>7;!>5;>3'));
    expect(maskAnswers('3+4+0=07;>7')).toBe('3+4+0=07;>0');
  });
  it('uses the divisor: min(20, patterns) by default, smaller score with a larger divisor', () => {
    const gold = makeAdditionProblem('347', '285').gold;
    const found = patternsPresent(additionTask.reasoningPatterns, gold).length;
    expect(rprScore(additionTask, gold)).toBeCloseTo(found / additionTask.reasoningPatterns.length);
    expect(rprScore(additionTask, gold, 40)).toBeCloseTo(found / 40);
    expect(rprScore(additionTask, gold, 1)).toBe(1); // capped at 1
  });
  it('stays in [0, 1] on garbage and never throws', () => {
    const rng = new Rng(33);
    for (let i = 0; i < 2000; i++) {
      const text = randomTraceText(rng, 80);
      for (const task of tasks) {
        const score = rprScore(task, text);
        expect(score >= 0 && score <= 1).toBe(true);
      }
    }
    expect(rprScore(chainTask, '')).toBe(0);
  });
});
