// The inspector's flags, decided in the engine from the verifier's verdicts.
import { describe, expect, it } from 'vitest';
import { traceFlags, type FlagInputs } from '../../src/run/traceFlags';
import { additionTask, makeAdditionProblem } from '../../src/tasks/addition';

const base: FlagInputs = { kind: 'normal', hint: '', prefix: '', flipped: false, correct: true, answer: '632', retractions: 0, recoveredAt: null, steps: [] };
const ok = { ok: true, retracted: false };
const bad = { ok: false, retracted: false };

describe('traceFlags', () => {
  it('right for the wrong reason: a kept wrong step, and the answer still right', () => {
    expect(traceFlags({ ...base, steps: [ok, bad, ok] })).toEqual(['wrong_reason']);
    expect(traceFlags({ ...base, steps: [ok, ok] })).toEqual([]);
    // a wrong step that was retracted is a recovery, not a wrong reason
    expect(traceFlags({ ...base, retractions: 1, recoveredAt: 2, steps: [ok, { ok: false, retracted: true }, ok] })).toEqual(['recovered', 'retracted']);
    expect(traceFlags({ ...base, correct: false, steps: [ok, bad] })).toEqual([]);
  });

  it('a wrong conclusion after all-correct steps; not for a trace cut off before its answer', () => {
    expect(traceFlags({ ...base, correct: false, answer: '631', steps: [ok, ok] })).toEqual(['wrong_conclusion']);
    expect(traceFlags({ ...base, correct: false, answer: null, steps: [ok, ok] })).toEqual([]);
    expect(traceFlags({ ...base, correct: false, answer: '1', steps: [] })).toEqual([]);
  });

  it('flipped, hinted and prefixed from the sample', () => {
    expect(traceFlags({ ...base, flipped: true, kind: 'hinted', hint: '~1|', steps: [ok] })).toEqual(['flipped', 'hinted']);
    expect(traceFlags({ ...base, kind: 'prefixed', prefix: '7+5', steps: [ok] })).toEqual(['prefixed']);
  });

  it('reads the real verifier: a slipped last step with a right answer, and a wrong answer after right steps', () => {
    const task = additionTask;
    const problem = makeAdditionProblem('347', '285');
    const flagsOf = (text: string) => {
      const v = task.verify(problem, text);
      return traceFlags({ ...base, correct: v.correct, answer: v.answer, retractions: v.retractions, recoveredAt: v.recoveredAt, steps: v.steps });
    };
    expect(flagsOf('7+5+0=12;4+8+1=13;3+2+1=06;>632')).toEqual([]);
    expect(flagsOf('7+5+0=12;4+8+1=14;3+2+1=06;>632')).toEqual(['wrong_reason']);
    expect(flagsOf('7+5+0=12;4+8+1=13;3+2+1=06;>633')).toEqual(['wrong_conclusion']);
    expect(flagsOf('7+5+0=12;4+8+1=14;!4+8+1=13;3+2+1=06;>632')).toEqual(['recovered', 'retracted']);
  });
});
