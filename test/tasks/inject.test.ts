import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/backend/rng';
import { additionTask, makeAdditionProblem } from '../../src/tasks/addition';
import { injectVerified } from '../../src/tasks/inject';

const problem = makeAdditionProblem('347', '285');
const verify = additionTask.verify;

describe('injectVerified', () => {
  it('retries until the verifier agrees the trace is wrong exactly at the corrupted steps', () => {
    let calls = 0;
    // The first two builds are unusable (null, then the gold trace itself); the third is a real error.
    const injection = injectVerified(problem, new Rng(1), 1, 3, (steps) => {
      calls++;
      if (calls === 1) return null;
      if (calls === 2) return problem.gold;
      return steps[0] === 0 ? '7+5+0=02;4+8+0=12;3+2+1=06;>622' : null;
    }, verify);
    expect(injection.corruptedSteps).toEqual([0]);
    expect(injection.firstCorruptChar).toBe(6);
    expect(calls).toBeGreaterThanOrEqual(3);
  });
  it('rejects a trace where an uncorrupted step is wrong too', () => {
    // Step 1 is also wrong here, so the build never satisfies "only step 0 is wrong".
    expect(() => injectVerified(problem, new Rng(1), 1, 1, () => '7+5+0=02;4+8+1=99;>9', verify)).toThrow(/could not corrupt/);
  });
  it('asks the builder for sorted distinct steps, no more than there are', () => {
    const requests: number[][] = [];
    expect(() =>
      injectVerified(problem, new Rng(2), 5, 3, (steps) => {
        requests.push([...steps]);
        return null;
      }, verify),
    ).toThrow(/could not corrupt/);
    for (const steps of requests) expect(steps).toEqual([0, 1, 2]);
  });
  it('rejects a count that is not a positive integer', () => {
    expect(() => injectVerified(problem, new Rng(1), 1.5, 3, () => null, verify)).toThrow(/count/);
  });
});
