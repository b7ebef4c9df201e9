// The lab's own train-row metrics on hand-made samples: rewards over every trained sample (both rounds),
// stagnation per prompt (extra and hinted samples never count), recovery over error prefixes only, split
// into retraction and silent, and false retractions.
import { describe, expect, it } from 'vitest';
import type { BackendCounters } from '../../src/backend/backend';
import type { SampleKind, StepSample } from '../../src/rl/methods/samples';
import { parseRunConfig } from '../../src/run/config';
import { recoveryMetrics, stepMetrics } from '../../src/run/stepMetrics';
import { additionTask } from '../../src/tasks';
import type { Problem } from '../../src/tasks/task';
import { encode, encodePrompt } from '../../src/tasks/tokenizer';

const problem: Problem = { task: 'addition', difficulty: 3, prompt: '347+285=', answer: '632', gold: '7+5+0=12;4+8+1=13;3+2+1=06;>632' };
const WRONG_FIRST = '7+5+0=13;';
const RIGHT_FIRST = '7+5+0=12;';

/** A sample of `group` whose text is prefix + completion, rewards from the verifier (observed = clean unless given). */
function sample(group: number, kind: SampleKind, prefix: string, completion: string, o: { observed?: number; trained?: boolean } = {}): StepSample {
  const text = prefix + completion;
  const verdict = additionTask.verify(problem, text);
  const clean = verdict.correct ? 1 : 0;
  return {
    group, problem, kind, hint: '', request: { context: encodePrompt(problem.prompt), prefix: encode(prefix) }, trainAs: undefined,
    out: { completion: encode(completion), logps: [], truncated: false }, text, verdict, wrongTrace: null,
    clean, observed: o.observed ?? clean, flipped: false, advantage: 0, trained: o.trained ?? true,
  };
}

const counters: BackendCounters = { dispatches: 0, submits: 0, readbacks: 0, readbackBytes: 0, bytesHeld: 0 };
const metricsOf = (samples: StepSample[], followUp: StepSample[] = [], solved = 0) => stepMetrics({
  step: 0, config: parseRunConfig({}), samples, followUp, owned: {}, update: null, tokenMask: new Float32Array(0),
  trainSize: 10, solved, times: { rollout: 1, reward: 1, update: 1, total: 4 }, counters: [counters, counters],
});

const GOLD_REST = '4+8+1=13;3+2+1=06;>632';
const WRONG_ANSWER = '>631';

describe('recovery metrics', () => {
  it('count only prefixes that hold an error, split into retraction and silent recovery', () => {
    const samples = [
      sample(0, 'normal', '', problem.gold),
      sample(0, 'prefixed', WRONG_FIRST, `!7+5+0=12;${GOLD_REST}`), // error prefix, recovered by retraction
      sample(0, 'prefixed', WRONG_FIRST, GOLD_REST), // error prefix, right answer, error left standing: silent
      sample(0, 'prefixed', WRONG_FIRST, `4+8+1=13;3+2+1=06;${WRONG_ANSWER}`), // error prefix, failed
      sample(0, 'prefixed', RIGHT_FIRST, GOLD_REST), // no error in the prefix: right, but not a recovery
      sample(0, 'prefixed', '7+5+0=1', `2;${GOLD_REST}`), // cut mid-step: holds no complete wrong step
    ];
    expect(recoveryMetrics(samples)).toEqual({ rate: 2 / 3, retractionRate: 1 / 3, silentRate: 1 / 3, prefixErrorFrac: 3 / 5 });
    const row = metricsOf(samples);
    expect(row['recovery/rate']).toBeCloseTo(2 / 3, 12);
    expect(row['recovery/retraction_rate']).toBeCloseTo(1 / 3, 12);
    expect(row['recovery/silent_rate']).toBeCloseTo(1 / 3, 12);
    expect(row['recovery/prefix_error_frac']).toBeCloseTo(3 / 5, 12);
    expect(row['recovery/gap']).toBeCloseTo(1 - 2 / 3, 12); // the normal sample is right
  });

  it('are null when no prefix holds an error', () => {
    const row = metricsOf([sample(0, 'normal', '', problem.gold), sample(0, 'prefixed', RIGHT_FIRST, GOLD_REST)]);
    expect(row['recovery/rate']).toBeNull();
    expect(row['recovery/retraction_rate']).toBeNull();
    expect(row['recovery/gap']).toBeNull();
    expect(row['recovery/prefix_error_frac']).toBe(0);
    expect(metricsOf([sample(0, 'normal', '', problem.gold)])['recovery/prefix_error_frac']).toBeNull();
  });
});

describe('false retractions', () => {
  it('count completions that retract a right step, only in their own text', () => {
    const row = metricsOf([
      sample(0, 'normal', '', `7+5+0=12;!7+5+0=12;${GOLD_REST}`), // false
      sample(0, 'normal', '', `${WRONG_FIRST}!7+5+0=12;${GOLD_REST}`), // repairing
      sample(0, 'normal', '', problem.gold),
      sample(0, 'prefixed', '7+5+0=12;!7+5+0=12;', GOLD_REST), // the false retraction is in the forced prefix
    ]);
    expect(row['completions/retraction_ratio']).toBeCloseTo(2 / 4, 12);
    expect(row['completions/false_retraction_ratio']).toBeCloseTo(1 / 4, 12);
  });
});

describe('rewards and stagnation', () => {
  it('average clean and observed rewards over every trained sample of both rounds', () => {
    const first = [
      sample(0, 'normal', '', WRONG_ANSWER), sample(0, 'normal', '', WRONG_ANSWER, { trained: false }), // replaced
      sample(1, 'normal', '', problem.gold, { observed: 0 }), sample(1, 'normal', '', WRONG_ANSWER, { observed: 1 }), // noisy
    ];
    const hinted = [sample(0, 'hinted', '', problem.gold), sample(0, 'hinted', '', WRONG_ANSWER, { trained: false })];
    const row = metricsOf(first, hinted);
    // trained: first[0] (0/0), first[2] (1/0), first[3] (0/1), hinted[0] (1/1)
    expect(row['reward/clean']).toBeCloseTo(2 / 4, 12);
    expect(row['reward/observed']).toBeCloseTo(2 / 4, 12);
    // before: the first round only, trained or not: clean 1/4, observed 1/4
  });

  it('count a prompt none-pass from its own G samples: extra samples do not rescue it', () => {
    const samples = [
      sample(0, 'normal', '', WRONG_ANSWER), sample(0, 'normal', '', WRONG_ANSWER), sample(0, 'extra', '', problem.gold), sample(0, 'extra', '', WRONG_ANSWER),
      sample(1, 'normal', '', problem.gold), sample(1, 'normal', '', WRONG_ANSWER), sample(1, 'extra', '', WRONG_ANSWER), sample(1, 'extra', '', WRONG_ANSWER),
      sample(2, 'normal', '', WRONG_ANSWER), sample(2, 'normal', '', WRONG_ANSWER), sample(2, 'prefixed', WRONG_FIRST, GOLD_REST), sample(2, 'extra', '', WRONG_ANSWER),
    ];
    // prompts 0 and 2 are none-pass (an extra and a prefixed sample were right, not one of their own G)
    expect(metricsOf(samples)['stagnation/none_pass_frac']).toBeCloseTo(2 / 3, 12);
  });
});
