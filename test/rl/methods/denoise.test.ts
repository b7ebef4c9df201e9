import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../../src/backend/cpu';
import { Rng } from '../../../src/backend/rng';
import { MODEL_PRESETS } from '../../../src/model/config';
import { Decoder } from '../../../src/model/decode';
import { GPT } from '../../../src/model/gpt';
import { buildWrongPool, curriculumRho, denoise, noisyPrefix, pickWrongTrace, sampleRho } from '../../../src/rl/methods/denoise';
import { parseRunConfig } from '../../../src/run/config';
import { rollout } from '../../../src/rl/rollout';
import { additionTask, makeProblemSet } from '../../../src/tasks';
import { encode, encodePrompt } from '../../../src/tasks/tokenizer';

describe('DenoiseRL prefixes', () => {
  it('cuts the first max(1, floor(rho*|w|)) tokens', () => {
    const w = '7+5+0=13;4+8+1=13;3+2+1=06;>632'; // 31 characters
    expect(noisyPrefix(w, 0.2)).toEqual(encode(w.slice(0, 6)));
    expect(noisyPrefix(w, 0.5).length).toBe(15);
    expect(noisyPrefix(w, 0).length).toBe(1);
    expect(noisyPrefix(w, 1).length).toBe(31);
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
      for (const r of mine.filter((x) => x.kind === 'prefixed')) {
        const w = pool.get(problems[g].prompt)![0].text;
        expect(r.request.prefix).toEqual(noisyPrefix(w, 0.2));
        expect(additionTask.verify(problems[g], w).correct).toBe(false);
      }
    }
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
