// Held-out recovery counts only noisy prefixes that hold an error, and splits the recovered ones into
// retraction and silent recovery, as training does.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/backend/cpu';
import { nodeWeights } from '../../src/cli/nodeWeights';
import { Decoder } from '../../src/model/decode';
import { GPT } from '../../src/model/gpt';
import { evaluateRecovery } from '../../src/run/evaluate';
import { additionTask } from '../../src/tasks';
import type { Problem } from '../../src/tasks/task';
import { encode } from '../../src/tasks/tokenizer';
import { GUARD_CHECKPOINTS } from './guard';

const problem: Problem = { task: 'addition', difficulty: 3, prompt: '347+285=', answer: '632', gold: '7+5+0=12;4+8+1=13;3+2+1=06;>632' };

describe('evaluateRecovery', () => {
  it('leaves out cases whose prefix holds no error, and splits recoveries by retraction and silent', async () => {
    const backend = new CpuBackend();
    const ck = await nodeWeights('addition', GUARD_CHECKPOINTS)('weak');
    const model = new GPT(backend, ck.config);
    backend.write(model.params, ck.params);
    const decoder = new Decoder(model, 64);
    const s = { samples: 16, maxCompletionLength: 40, temperature: 1, topK: 0, seed: 1, step: 0 };
    const withError = { problem, prefix: encode('7+5+0=13;') };
    const noError = { problem, prefix: encode('7+5+0=12;') };
    const one = await evaluateRecovery(decoder, additionTask, [withError], s);
    const both = await evaluateRecovery(decoder, additionTask, [withError, noError], s);
    expect(both).toEqual(one); // the right-prefix case changed nothing: it was not counted
    expect(await evaluateRecovery(decoder, additionTask, [noError], s)).toEqual({ accBase: 0, accNoise: 0, retractionRate: 0, silentRate: 0, gap: 0, recoverability: 0 });
    expect(one.accNoise).toBeCloseTo(one.retractionRate + one.silentRate, 12);
    expect(one.accBase, 'precondition: the weak policy solves this problem sometimes').toBeGreaterThan(0);
    decoder.destroy();
    model.destroy();
  });
});
