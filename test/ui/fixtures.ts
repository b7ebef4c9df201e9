// Shared test data for the UI tests.
import type { TraceRow } from '../../src/run/records';

/** A correct addition trace (12+34=46); override any field. */
export const trace = (step: number, group: number, extra: Partial<TraceRow> = {}): TraceRow => ({
  step, group, kind: 'normal', prompt: '12+34=', hint: '', prefix: '', completion: '2+4+0=06;1+3+0=04;>46', finished: true, answer: '46', gold: '46',
  correct: true, reward_clean: 1, reward_observed: 1, flipped: false, advantage: 0.5, trained: true, first_wrong_step: null, retractions: 0,
  recovered_at: null,
  steps: [{ text: '2+4+0=06', ok: true, retracted: false, isRetraction: false, start: 0, end: 8 }, { text: '1+3+0=04', ok: true, retracted: false, isRetraction: false, start: 9, end: 17 }],
  answer_start: 18, logprobs: Array(21).fill(-0.1), ...extra,
});
