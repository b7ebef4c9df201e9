// Errors and their repair, read from the verifier's per-step verdicts on hand-made addition traces
// (347+285=632; gold '7+5+0=12;4+8+1=13;3+2+1=06;>632').
import { describe, expect, it } from 'vitest';
import { prefixHoldsError, recoveryKind, retractedBy, retractionsFrom } from '../../src/rl/recovery';
import { additionTask } from '../../src/tasks';
import type { Problem } from '../../src/tasks/task';

const problem: Problem = { task: 'addition', difficulty: 3, prompt: '347+285=', answer: '632', gold: '7+5+0=12;4+8+1=13;3+2+1=06;>632' };
const steps = (text: string) => additionTask.verify(problem, text).steps;
const WRONG_FIRST = '7+5+0=13;'; // the ones column summed wrong (its carry is still 1)

describe('prefixHoldsError', () => {
  it('counts a prefix whose complete step is wrong, and not one whose steps are right', () => {
    const wrongTrace = `${WRONG_FIRST}4+8+1=14;3+2+1=06;>642`;
    expect(prefixHoldsError(steps(wrongTrace), WRONG_FIRST.length)).toBe(true);
    expect(prefixHoldsError(steps(problem.gold), 9)).toBe(false); // the gold first step
    // the same wrong trace cut after 6 characters: the wrong step is cut in the middle, its result unwritten
    expect(prefixHoldsError(steps(wrongTrace), 6)).toBe(false);
    // its ';' not yet in the prefix: the continuation may still write more of the step
    expect(prefixHoldsError(steps(wrongTrace), WRONG_FIRST.length - 1)).toBe(false);
    // a right first step then a wrong second one, cut after the second
    expect(prefixHoldsError(steps('7+5+0=12;4+8+1=14;3+2+1=07;>742'), 18)).toBe(true);
    expect(prefixHoldsError(steps('7+5+0=12;4+8+1=14;3+2+1=07;>742'), 9)).toBe(false);
  });

  it('does not count an error the prefix itself already retracted', () => {
    const text = `${WRONG_FIRST}!7+5+0=12;4+8+1=13;3+2+1=06;>632`;
    expect(prefixHoldsError(steps(text), WRONG_FIRST.length)).toBe(true);
    expect(prefixHoldsError(steps(text), WRONG_FIRST.length + 10)).toBe(false);
  });
});

describe('retractions', () => {
  it('pairs each "!" with the latest kept step, as the verifier does', () => {
    // 0: wrong, 1: retracts 0, 2: right, 3: retracts 2, 4: retracts 3 (the redo, now the latest kept step)
    const s = steps(`${WRONG_FIRST}!7+5+0=12;4+8+1=13;!4+8+1=13;!4+8+1=13;3+2+1=06;>632`);
    expect(retractedBy(s)).toEqual([null, 0, null, 2, 3, null]);
    // a '!' with nothing to retract
    expect(retractedBy(steps('!7+5+0=12;>2'))).toEqual([null]);
  });

  it('tells repairing retractions from false ones, and counts only those after the prefix', () => {
    const repaired = `${WRONG_FIRST}!7+5+0=12;4+8+1=13;3+2+1=06;>632`;
    expect(retractionsFrom(steps(repaired), WRONG_FIRST.length)).toEqual({ total: 1, repairing: 1, false: 0 });
    const falseOne = '7+5+0=12;!7+5+0=12;4+8+1=13;3+2+1=06;>632';
    expect(retractionsFrom(steps(falseOne), 0)).toEqual({ total: 1, repairing: 0, false: 1 });
    // the same retraction inside a forced prefix is not the model's
    expect(retractionsFrom(steps(falseOne), 19)).toEqual({ total: 0, repairing: 0, false: 0 });
    // a retraction of a wrong step whose redo is wrong too: neither repairing nor false
    expect(retractionsFrom(steps(`${WRONG_FIRST}!7+5+0=14;4+8+1=13;3+2+1=06;>632`), 0)).toEqual({ total: 1, repairing: 0, false: 0 });
    expect(retractionsFrom(steps(problem.gold), 0)).toEqual({ total: 0, repairing: 0, false: 0 });
  });
});

describe('recoveryKind', () => {
  const kind = (text: string, prefixLength = WRONG_FIRST.length) => recoveryKind(additionTask.verify(problem, text), prefixLength);

  it('calls a right answer after retracting the wrong step a recovery by retraction', () => {
    expect(kind(`${WRONG_FIRST}!7+5+0=12;4+8+1=13;3+2+1=06;>632`)).toBe('retraction');
  });

  it('calls a right answer that leaves the wrong step standing a silent recovery', () => {
    // the answer 632 does not follow from the written ones digit (3): right, but not by reasoning
    expect(kind(`${WRONG_FIRST}4+8+1=13;3+2+1=06;>632`)).toBe('silent');
    // a retraction, but of a right step: still silent
    expect(kind(`${WRONG_FIRST}4+8+1=13;!4+8+1=13;3+2+1=06;>632`)).toBe('silent');
  });

  it('calls a wrong answer a failure, retraction or not', () => {
    expect(kind(`${WRONG_FIRST}4+8+1=13;3+2+1=06;>633`)).toBe('failed');
    expect(kind(`${WRONG_FIRST}!7+5+0=12;4+8+1=13;3+2+1=07;>732`)).toBe('failed');
  });
});
