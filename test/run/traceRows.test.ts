import { describe, expect, it } from 'vitest';
import { EOS_ID, PAD_ID } from '../../src/backend/backend';
import type { StepSample } from '../../src/rl/methods/samples';
import { traceRows } from '../../src/run/stepMetrics';
import { additionTask, makeProblemSet } from '../../src/tasks';
import { encode, encodePrompt } from '../../src/tasks/tokenizer';

function sample(completion: number[]): StepSample {
  const problem = makeProblemSet(additionTask, 1, 1, 'train', 1)[0];
  const text = '1+2+0=03;>3';
  return {
    group: 0, problem, kind: 'normal', hint: '', request: { context: encodePrompt(problem.prompt), prefix: [] },
    out: { completion, logps: completion.map((_, i) => -0.1 * (i + 1)), truncated: false },
    text, verdict: additionTask.verify(problem, text), wrongTrace: null,
    clean: 0, observed: 0, flipped: false, advantage: 0, trained: true, trainAs: undefined,
  } as unknown as StepSample;
}

describe('traceRows', () => {
  it('gives one log-prob per completion character, whether the row ended with EOS or a sampled PAD', () => {
    const body = encode('1+2+0=03;>3');
    for (const end of [EOS_ID, PAD_ID]) {
      const [row] = traceRows(0, [sample([...body, end])], 8);
      expect(row.completion).toBe('1+2+0=03;>3');
      expect(row.logprobs).toHaveLength(row.completion.length);
      expect(row.logprobs[0]).toBeCloseTo(-0.1, 4);
    }
  });
});
