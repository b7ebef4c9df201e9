// The step view's numbers, for one step of every preset, checked against the engine's own: the explanation
// moves no number of the step (metrics and traces as without it), advantages sum to zero per group under
// group scaling and equal (r - mean) / denom, token weights sum as the loss aggregation says, per-token shares
// sum to the loss computed by the aggregation's own formula, and ratios are 1 on-policy.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/backend/cpu';
import { nodeWeights } from '../../src/cli/nodeWeights';
import { parseRunConfig, type RunConfigInput } from '../../src/run/config';
import { PRESETS, getPreset } from '../../src/run/presets';
import type { StepExplanation } from '../../src/run/stepExplanation';
import { Trainer, type StepOutput } from '../../src/run/trainer';
import type { Backend } from '../../src/backend/backend';
import { newGpuBackend } from '../backend/webgpu/helpers';
import { GUARD_CHECKPOINTS, GUARD_SIZES } from './guard';

const TIMING = new Set(['step_time', 'tokens_per_s', 'time/rollout', 'time/reward', 'time/update']);
const untimed = (m: StepOutput['metrics']) => Object.fromEntries(Object.entries(m).filter(([k]) => !TIMING.has(k)));

/** `steps` steps; the first laid open when `explain`. */
async function run(backend: Backend, preset: string, over: RunConfigInput, explain: boolean, steps: number): Promise<StepOutput[]> {
  const config = parseRunConfig({ ...getPreset(preset).config, ...GUARD_SIZES, ...over, steps: 2 });
  const trainer = await Trainer.create(backend, config, nodeWeights(config.task, GUARD_CHECKPOINTS));
  const outs: StepOutput[] = [];
  try {
    for (let i = 0; i < steps; i++) {
      trainer.explainNext = explain && i === 0;
      outs.push(await trainer.trainStep());
    }
    return outs;
  } finally {
    trainer.destroy();
    backend.destroy();
  }
}

const oneStep = async (preset: string, over: RunConfigInput, explain: boolean) => (await run(new CpuBackend(), preset, over, explain, 1))[0];

const close = (a: number, b: number, tol = 1e-9) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));

/** The loss by the aggregation's own definition, from the per-token losses l_t (each LTE part on its own). */
function aggregated(e: StepExplanation): number {
  let total = 0;
  for (const part of [0, 1]) {
    const seqs = e.samples.filter((s) => s.trained && s.tokens.length > 0 && (s.kind === 'hinted' ? 1 : 0) === part)
      .map((s) => s.tokens.filter((t) => !t.forced).map((t) => t.loss));
    if (seqs.length === 0) continue;
    const all = seqs.flat();
    if (e.lossType === 'dapo') total += all.reduce((a, b) => a + b, 0) / all.length;
    else if (e.lossType === 'grpo') total += seqs.reduce((a, ls) => a + (ls.length ? ls.reduce((x, y) => x + y, 0) / ls.length : 0), 0) / seqs.length;
    else total += all.reduce((a, b) => a + b, 0) / (seqs.length * e.maxCompletionLength);
  }
  return total;
}

/** What the weights must sum to under the aggregation (each LTE part on its own). */
function expectedWeightSum(e: StepExplanation): number {
  let total = 0;
  for (const part of [0, 1]) {
    const seqs = e.samples.filter((s) => s.trained && (s.kind === 'hinted' ? 1 : 0) === part);
    const counts = seqs.map((s) => s.tokens.filter((t) => !t.forced).length);
    const tokens = counts.reduce((a, b) => a + b, 0);
    if (seqs.length === 0 || tokens === 0) continue;
    if (e.lossType === 'dapo') total += 1;
    else if (e.lossType === 'grpo') total += counts.filter((n) => n > 0).length / seqs.length;
    else total += tokens / (seqs.length * e.maxCompletionLength);
  }
  return total;
}

const CASES: [string, RunConfigInput][] = [
  ...PRESETS.map((p) => [p.name, {}] as [string, RunConfigInput]),
  ['grpo', { lossType: 'grpo' }],
  ['grpo', { lossType: 'dr_grpo' }],
  ['grpo', { numIterations: 2 }],
  ['grpo', { scaleRewards: 'batch', beta: 0.04 }],
];

describe('one step laid open, for each preset', () => {
  for (const [preset, over] of CASES) {
    it(`${preset} ${JSON.stringify(over)}: the explanation agrees with the engine and moves nothing`, async () => {
      const plain = await oneStep(preset, over, false);
      const out = await oneStep(preset, over, true);
      expect(plain.explanation).toBeUndefined();
      expect(untimed(out.metrics)).toEqual(untimed(plain.metrics));
      expect(out.traces).toEqual(plain.traces);
      const e = out.explanation!;
      expect(e).toBeDefined();
      expect(e.samples.length).toBeGreaterThan(0);

      // the engine's own numbers: grad norm, token count, each trace's reward and advantage
      expect(e.gradNorms[e.gradNorms.length - 1]).toBe(out.metrics.grad_norm); // the metrics log the last iteration's
      expect(e.gradNorm).toBe(e.gradNorms[0]);
      expect(e.trainedTokens).toBe(out.metrics.num_tokens);
      expect(e.gradNorms.length).toBe(e.numIterations);
      // trace rows are whole groups in order of first appearance: the same order over the explanation's samples
      const byGroup = [...new Set(e.samples.map((x) => x.group))].flatMap((g) => e.samples.filter((x) => x.group === g));
      out.traces.forEach((t, i) => {
        const s = byGroup[i];
        expect(s.prefix + s.completion).toBe(t.prefix + t.completion);
        expect(s!.observed).toBe(t.reward_observed);
        expect(s!.clean).toBe(t.reward_clean);
        if (t.trained) expect(s!.advantage).toBe(t.advantage);
      });

      // advantages: A_i = (r_i - mean_g) / denom, and they sum to zero per group under any scaling by a constant
      for (const g of e.groups) {
        const advs = g.members.map((i) => e.samples[i].advantage);
        if (advs.length === 0) continue;
        expect(Math.abs(advs.reduce((a, b) => a + b, 0))).toBeLessThan(1e-9 * Math.max(1, ...advs.map(Math.abs)) * advs.length);
        for (const i of g.members) expect(close(e.samples[i].advantage, (e.samples[i].observed - g.mean) / g.denom)).toBe(true);
        if (e.scaleRewards === 'group') expect(close(g.denom, g.std + 1e-4)).toBe(true);
      }

      // weights as the aggregation says; forced tokens weigh nothing
      for (const s of e.samples) for (const t of s.tokens) if (t.forced) expect(t.weight).toBe(0);
      expect(e.weightSum).toBeCloseTo(expectedWeightSum(e), 5); // f32 weights

      // shares: they sum to L, and L is the aggregation of the per-token losses
      const shares = e.samples.flatMap((s) => s.tokens.map((t) => t.share)).reduce((a, b) => a + b, 0);
      expect(close(shares, e.loss)).toBe(true);
      expect(e.loss).toBeCloseTo(aggregated(e), 5);

      // ratios: 1 exactly on-policy, and the sampler and the loss's forward agree (so it would be ~1 anyway)
      const tokens = e.samples.flatMap((s) => s.tokens.filter((t) => !t.forced));
      expect(tokens.length).toBeGreaterThan(0);
      for (const t of tokens) {
        if (t.mode === 'on_policy') expect(t.ratio).toBe(1);
        if (e.numIterations === 1 && t.mode !== 'shaped') expect(Math.abs(t.logp - t.oldLogp)).toBeLessThan(1e-3);
      }
      if (e.numIterations > 1) expect(tokens.every((t) => t.mode === 'clipped')).toBe(true);

      // the update moved the sampled answers' probabilities
      expect(tokens.some((t) => t.logpAfter !== t.logp)).toBe(true);
      for (const s of e.samples.filter((x) => x.tokens.length)) {
        const sum = s.tokens.filter((t) => t.weight > 0).reduce((a, t) => a + t.logpAfter, 0);
        expect(close(s.seqLogpAfter, sum)).toBe(true);
      }
    }, 120_000);
  }

  it('says why a reward is what it is: flips under noisy_flip, RPR patterns, the majority label under SRT', async () => {
    const rpr = (await oneStep('rpr', {}, true)).explanation!;
    expect(rpr.samples.every((s) => s.why.some((w) => w.startsWith('RPR')))).toBe(true);
    const srt = (await oneStep('srt', {}, true)).explanation!;
    expect(srt.samples.every((s) => s.why.some((w) => w.startsWith('majority label')))).toBe(true);
    const flip = (await oneStep('noisy_flip', { flipRate: 1 }, true)).explanation!;
    expect(flip.samples.every((s) => s.observed !== s.clean && s.why.some((w) => w.startsWith('flipped')))).toBe(true);
  }, 120_000);

  it('webgpu: the explanation moves no number of that step or the next, and on-policy ratios are 1', async () => {
    const plain = await run(await newGpuBackend(), 'denoise', { model: 'weaker' }, false, 2);
    const laid = await run(await newGpuBackend(), 'denoise', { model: 'weaker' }, true, 2);
    // every number but the buffer pool's size: the explanation's four small buffers go back to the WebGPU
    // pool, which keeps them (4 kB more held from the next step on); nothing computed moves
    const held = (m: StepOutput['metrics']) => ({ ...untimed(m), 'gpu/bytes_held': null });
    expect(untimed(laid[0].metrics)).toEqual(untimed(plain[0].metrics));
    expect((laid[1].metrics['gpu/bytes_held'] as number) - (plain[1].metrics['gpu/bytes_held'] as number)).toBeLessThan(64 * 1024);
    for (let i = 0; i < 2; i++) {
      expect(held(laid[i].metrics)).toEqual(held(plain[i].metrics));
      expect(laid[i].traces).toEqual(plain[i].traces);
    }
    const e = laid[0].explanation!;
    expect(laid[1].explanation).toBeUndefined();
    expect(e.gradNorm).toBe(laid[0].metrics.grad_norm);
    const tokens = e.samples.flatMap((s) => s.tokens.filter((t) => !t.forced));
    expect(tokens.length).toBe(laid[0].metrics.num_tokens);
    for (const t of tokens) {
      expect(t.ratio).toBe(1);
      expect(Math.abs(t.logp - t.oldLogp)).toBeLessThan(1e-3); // the WGSL sampler and the training forward agree
    }
    expect(e.samples.some((s) => s.tokens.some((t) => t.forced && t.weight === 0))).toBe(true); // DenoiseRL's prefixes
    expect(e.loss).toBeCloseTo(aggregated(e), 5);
  }, 300_000);
});
