import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../../src/backend/cpu';
import { Rng } from '../../../src/backend/rng';
import { MODEL_PRESETS } from '../../../src/model/config';
import { Decoder } from '../../../src/model/decode';
import { GPT } from '../../../src/model/gpt';
import { buildWrongPool, curriculumRho, cutPrefix, denoise, noisyPrefix, pickWrongTrace, sampleRho } from '../../../src/rl/methods/denoise';
import { prefixHoldsError } from '../../../src/rl/recovery';
import { parseRunConfig } from '../../../src/run/config';
import { rollout } from '../../../src/rl/rollout';
import { additionTask, makeProblemSet } from '../../../src/tasks';
import { decode as decodeText, encode, encodePrompt } from '../../../src/tasks/tokenizer';

describe('DenoiseRL prefixes', () => {
  it('cuts the first max(1, floor(rho*|w|)) tokens', () => {
    const w = '7+5+0=13;4+8+1=13;3+2+1=06;>632'; // 31 characters
    expect(noisyPrefix(w, 0.2)).toEqual(encode(w.slice(0, 6)));
    expect(noisyPrefix(w, 0.5).length).toBe(15);
    expect(noisyPrefix(w, 0).length).toBe(1);
    expect(noisyPrefix(w, 1).length).toBe(31);
  });

  it('cuts whole steps at a ";", or right after the first wrong step', () => {
    const problem = { task: 'addition', difficulty: 3, prompt: '347+285=', answer: '632', gold: '7+5+0=12;4+8+1=13;3+2+1=06;>632' };
    const w = '7+5+0=12;4+8+1=14;3+2+1=07;>742'; // the second step is wrong
    const steps = additionTask.verify(problem, w).steps;
    const cut = (mode: 'tokens' | 'steps' | 'first_error', rho: number) => decodeText(cutPrefix(w, steps, mode, rho));
    expect(cut('tokens', 0.2)).toBe(w.slice(0, 6)); // mid-step, no error
    expect(cut('steps', 0.2)).toBe('7+5+0=12;'); // round(0.6) = 1 step, no error
    expect(cut('steps', 0.5)).toBe('7+5+0=12;4+8+1=14;'); // round(1.5) = 2 steps
    expect(cut('steps', 0)).toBe('7+5+0=12;'); // at least one step
    expect(cut('steps', 1)).toBe('7+5+0=12;4+8+1=14;3+2+1=07;'); // never the conclusion
    expect(cut('first_error', 0.2)).toBe('7+5+0=12;4+8+1=14;');
    expect(prefixHoldsError(steps, cut('first_error', 0.2).length)).toBe(true);
    expect(prefixHoldsError(steps, cut('steps', 0.2).length)).toBe(false);
    // only the answer is wrong: first_error falls back to the steps cut
    const answerOnly = '7+5+0=12;4+8+1=13;3+2+1=06;>633';
    expect(decodeText(cutPrefix(answerOnly, additionTask.verify(problem, answerOnly).steps, 'first_error', 0.5))).toBe('7+5+0=12;4+8+1=13;');
    // no complete step (random characters without a ';'): the token cut
    expect(decodeText(cutPrefix('12+4=5', additionTask.verify(problem, '12+4=5').steps, 'steps', 0.5))).toBe('12+');
  });

  it('samples rho as the code does', () => {
    const rng = new Rng(1);
    expect(sampleRho('fixed', 0.2, rng)).toBe(0.2);
    const normals = Array.from({ length: 2000 }, () => sampleRho('normal', 0.2, rng));
    expect(Math.min(...normals)).toBeGreaterThanOrEqual(0.2);
    expect(Math.max(...normals)).toBeLessThanOrEqual(0.8);
    expect(Math.abs(normals.reduce((a, b) => a + b) / normals.length - 0.5)).toBeLessThan(0.02);
    const uniforms = Array.from({ length: 2000 }, () => sampleRho('uniform', 0.2, rng));
    expect(Math.min(...uniforms)).toBeGreaterThanOrEqual(0.2);
    expect(Math.max(...uniforms)).toBeLessThanOrEqual(0.8);
  });

  it('moves rho by the curriculum rule and clips it to [0.1, 0.5]', () => {
    expect(curriculumRho(0.2, 0.1)).toBeCloseTo(0.2, 12);
    expect(curriculumRho(0.2, 0.5)).toBeCloseTo(0.18, 12);
    expect(curriculumRho(0.2, -0.9)).toBeCloseTo(0.25, 12);
    expect(curriculumRho(0.12, 2)).toBe(0.1);
    expect(curriculumRho(0.49, -2)).toBe(0.5);
  });

  it('prefers traces that failed more often only when asked', () => {
    const traces = [{ text: 'a', failures: 0 }, { text: 'b', failures: 9 }];
    const rng = new Rng(3);
    const pickB = (valuable: boolean) => Array.from({ length: 4000 }, () => pickWrongTrace(traces, valuable, rng).text === 'b').filter(Boolean).length / 4000;
    expect(Math.abs(pickB(false) - 0.5)).toBeLessThan(0.04);
    expect(Math.abs(pickB(true) - 10 / 11)).toBeLessThan(0.03);
  });

  it('plans N normal + K prefixed samples, and normal ones when a problem has no wrong trace', async () => {
    const problems = makeProblemSet(additionTask, 1, 3, 'train', 3);
    const pool = await buildWrongPool(additionTask, problems.slice(0, 2), { source: 'injected', samples: 1, maxCompletionLength: 40, seed: 1 }, null);
    const config = parseRunConfig({
      method: 'denoise', groupSize: 4, denoiseK: 2, denoiseRho: 0.2, denoiseSource: 'injected', denoisePoolProblems: 2, maxCompletionLength: 40,
    });
    const backend = new CpuBackend();
    const model = new GPT(backend, MODEL_PRESETS.micro);
    const run = await denoise.start({
      config, task: additionTask, backend, model, decoder: new Decoder(model, 4), trainSet: problems, step: () => 0,
      weights: () => Promise.reject(new Error('the injected source loads no checkpoint')),
    });
    expect(run.poolSize).toBe([...pool.values()].reduce((a, t) => a + t.length, 0));
    const reqs = run.plan(problems, new Rng(2));
    expect(reqs.length).toBe(3 * 6);
    for (let g = 0; g < 3; g++) {
      const mine = reqs.filter((r) => r.group === g);
      expect(mine.filter((r) => r.kind === 'prefixed').length).toBe(g < 2 ? 2 : 0);
      // a problem without a wrong trace: K more bare samples, counted apart from its N normal ones
      expect(mine.filter((r) => r.kind === 'normal').length).toBe(4);
      expect(mine.filter((r) => r.kind === 'extra').length).toBe(g < 2 ? 0 : 2);
      for (const r of mine.filter((x) => x.kind === 'prefixed')) {
        const w = pool.get(problems[g].prompt)![0].text;
        const v = additionTask.verify(problems[g], w);
        expect(v.correct).toBe(false);
        // the default cut: right after the first wrong step, so the prefix holds the error
        expect(r.request.prefix).toEqual(cutPrefix(w, v.steps, 'first_error', 0.2));
        expect(decodeText(r.request.prefix)).toBe(w.slice(0, v.steps[v.firstWrongStep!].end + 1));
        expect(prefixHoldsError(v.steps, r.request.prefix.length)).toBe(true);
        expect(r.trainPrefix).toBe(false);
      }
    }
    // the masking control marks its prefixed requests to be trained on the prefix
    const unmasked = await denoise.start({
      config: { ...config, denoiseTrainPrefix: true }, task: additionTask, backend, model, decoder: new Decoder(model, 4), trainSet: problems, step: () => 0,
      weights: () => Promise.reject(new Error('the injected source loads no checkpoint')),
    });
    const marked = unmasked.plan(problems, new Rng(2));
    expect(marked.filter((r) => r.kind === 'prefixed').every((r) => r.trainPrefix === true)).toBe(true);
    expect(marked.filter((r) => r.kind !== 'prefixed').some((r) => r.trainPrefix)).toBe(false);
  });

  it('keeps prefix + continuation within the same budget as a normal completion', async () => {
    const model = new GPT(new CpuBackend(), MODEL_PRESETS.micro);
    model.initParams(5);
    const dec = new Decoder(model, 8);
    const context = encodePrompt('123+456=');
    const prefix = encode('3+6+0=09;2+');
    const maxCompletionLength = 20;
    const outs = await rollout(dec, [{ context, prefix: [] }, { context, prefix }], { maxCompletionLength, temperature: 1, topK: 0, seed: 1, step: 0 });
    expect(outs[0].completion.length).toBeLessThanOrEqual(maxCompletionLength);
    expect(prefix.length + outs[1].completion.length).toBeLessThanOrEqual(maxCompletionLength);
    // an untrained model rarely stops: both rows should have used their whole (different) budgets
    if (outs[0].truncated) expect(outs[0].completion.length).toBe(maxCompletionLength);
    if (outs[1].truncated) expect(outs[1].completion.length).toBe(maxCompletionLength - prefix.length);
  });
});
