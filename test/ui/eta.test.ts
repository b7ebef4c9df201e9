import { describe, expect, it } from 'vitest';
import { addMark, ETA_WINDOW, etaSeconds, type ProgressMark } from '../../src/ui/eta';

describe('ETA', () => {
  it('right after a resume it comes from the steps timed since, at their pace', () => {
    // resumed at step 59 of 100, then 20 steps/min (3 s per step, an evaluation every 10 steps included)
    let marks: ProgressMark[] = [];
    marks = addMark(marks, { t: 0, step: 59 });
    expect(etaSeconds(marks, 100)).toBeNull(); // nothing timed yet: "estimating"
    marks = addMark(marks, { t: 3000, step: 60 });
    expect(etaSeconds(marks, 100)).toBeNull(); // one step is not a pace
    marks = addMark(marks, { t: 6000, step: 61 });
    expect(etaSeconds(marks, 100)).toBeCloseTo(39 * 3, 6);
    marks = addMark(marks, { t: 12000, step: 62 }); // a slow step (an evaluation) counts too
    expect(etaSeconds(marks, 100)).toBeCloseTo(38 * 4, 6);
  });

  it('looks at the recent steps only, and starts over when the step goes back', () => {
    let marks: ProgressMark[] = [];
    for (let s = 0; s <= 100; s++) marks = addMark(marks, { t: s < 50 ? s * 100 : 5000 + (s - 50) * 1000, step: s });
    expect(marks.length).toBe(ETA_WINDOW + 1);
    expect(etaSeconds(marks, 200)).toBeCloseTo(100 * 1, 6); // 1 s per step lately, not the early 0.1 s
    expect(addMark(marks, { t: 1, step: 10 })).toEqual([{ t: 1, step: 10 }]);
    expect(addMark(marks, { t: 1, step: 100 })).toEqual(marks); // the same step again: no new mark
  });
});
