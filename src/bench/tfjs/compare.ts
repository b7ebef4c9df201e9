// Misstep against TensorFlow.js in the same process, on the same device, same shapes: a whole GPT training
// step (forward, GRPO loss, backward, clip, Adam; one readback) and generation (B rows, n sampled tokens,
// one readback). Runs are interleaved (Misstep, TF.js, Misstep, ...) so both see the same machine load.
import type * as tfc from '@tensorflow/tfjs-core';
import type { Backend } from '../../backend/backend';
import { BOS_ID, PAD_ID, TokenMode } from '../../backend/backend';
import { Rng } from '../../backend/rng';
import type { GPTConfig } from '../../model/config';
import { Decoder } from '../../model/decode';
import { GPT } from '../../model/gpt';
import { PolicyUpdater, type TrainBatch, type UpdateSettings } from '../../rl/update';
import { median, yieldToLoop } from '../timing';
import { tfGenerate, type TfGenerateMode } from './generate';
import { TfGpt, type TF, type TfBatch } from './model';

export interface Versus {
  misstep_ms: number;
  tfjs_ms: number;
  ratio: number; // tfjs / misstep: above 1, Misstep is faster
}

export interface CompareShapes {
  B: number;
  T: number;
  genB: number;
  genTokens: number;
}

const versus = (m: number[], t: number[]): Versus => {
  const misstep = median(m);
  const tfjs = median(t);
  return { misstep_ms: misstep, tfjs_ms: tfjs, ratio: tfjs / misstep };
};

/** Time `a` and `b` alternately: `warmup` unmeasured rounds, then `reps` measured ones. */
async function interleave(a: () => Promise<unknown>, b: () => Promise<unknown>, warmup: number, reps: number): Promise<Versus> {
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < warmup + reps; i++) {
    let t0 = performance.now();
    await a();
    const da = performance.now() - t0;
    await yieldToLoop();
    t0 = performance.now();
    await b();
    const db = performance.now() - t0;
    await yieldToLoop();
    if (i >= warmup) { ta.push(da); tb.push(db); }
  }
  return versus(ta, tb);
}

/** A random training batch: every position trained, CLIPPED mode, advantages ~ N(0,1). */
export function randomTrainBatch(cfg: GPTConfig, B: number, T: number, seed: number): TrainBatch {
  const rng = new Rng(seed, 0xba7c);
  const N = B * T;
  const tokens = new Uint32Array(N);
  const targets = new Uint32Array(N);
  const tokenData = new Float32Array(N * 3);
  const oldLogp = new Float32Array(N);
  for (let b = 0; b < B; b++) {
    const adv = rng.normal();
    for (let t = 0; t < T; t++) {
      const i = b * T + t;
      tokens[i] = t === 0 ? BOS_ID : rng.int(3, cfg.vocabSize - 1);
      tokenData.set([adv, 1 / N, TokenMode.CLIPPED], i * 3);
      oldLogp[i] = -Math.log(cfg.vocabSize) + 0.1 * rng.normal();
    }
    for (let t = 0; t < T; t++) targets[b * T + t] = t + 1 < T ? tokens[b * T + t + 1] : PAD_ID;
  }
  return { B, T, tokens, targets, tokenData, oldLogp };
}

export const UPDATE_SETTINGS: UpdateSettings = {
  lr: 1e-4, weightDecay: 0, maxGradNorm: 1, beta1: 0.9, beta2: 0.999,
  loss: { epsLow: 0.2, epsHigh: 0.2, beta: 0, gamma: 0.1 },
};

function tfBatch(tf: TF, b: TrainBatch): TfBatch {
  const N = b.B * b.T;
  const col = (j: number) => Float32Array.from({ length: N }, (_, i) => b.tokenData[i * 3 + j]);
  return {
    tokens: tf.tensor2d(Int32Array.from(b.tokens), [b.B, b.T], 'int32'),
    targets: tf.tensor1d(Int32Array.from(b.targets), 'int32'),
    advantage: tf.tensor1d(col(0)),
    weight: tf.tensor1d(col(1)),
    oldLogp: tf.tensor1d(b.oldLogp),
  };
}

/** One GRPO training step of the same GPT in Misstep (on `k`) and in TF.js (on its current backend). */
export async function compareTrainStep(tf: TF, k: Backend, cfg: GPTConfig, s: CompareShapes, warmup: number, reps: number): Promise<Versus> {
  const batch = randomTrainBatch(cfg, s.B, s.T, 5);
  const model = new GPT(k, cfg);
  model.initParams(1);
  const updater = new PolicyUpdater(model);
  const tm = new TfGpt(tf, cfg, 1);
  const tb = tfBatch(tf, batch);
  try {
    return await interleave(() => updater.step(batch, UPDATE_SETTINGS), () => tm.trainStep(tb, s.B, s.T), warmup, reps);
  } finally {
    updater.destroy();
    model.destroy();
    tm.dispose();
    for (const t of Object.values(tb) as tfc.Tensor[]) t.dispose();
  }
}

export interface GenerateVersus extends Versus {
  tfjs_mode: TfGenerateMode; // the faster of the two TF.js variants, used for the ratio
  tfjs_cache_ms: number;
  tfjs_recompute_ms: number | null; // null: not measured (quick mode; it is always the slower one)
}

/** genB rows from BOS, genTokens sampled positions: Misstep's KV-cache decoder against both TF.js loops. */
export async function compareGenerate(
  tf: TF, k: Backend, cfg: GPTConfig, s: CompareShapes, warmup: number, reps: number, withRecompute: boolean,
): Promise<GenerateVersus> {
  const model = new GPT(k, cfg);
  model.initParams(1);
  const decoder = new Decoder(model, s.genB);
  const Tseq = s.genTokens + 1;
  const tokens = new Uint32Array(s.genB * Tseq).fill(PAD_ID);
  for (let b = 0; b < s.genB; b++) tokens[b * Tseq] = BOS_ID;
  const promptLen = new Uint32Array(s.genB).fill(1);
  const tm = new TfGpt(tf, cfg, 1);
  let step = 0;
  const misstep = () => decoder.generate({ tokens, promptLen, B: s.genB, Tseq }, { temperature: 1, topK: 0, seed: 3, step: step++, rowOffset: 0 });
  try {
    const cache = await interleave(misstep, () => tfGenerate(tm, s.genB, s.genTokens, 'cache', 3), warmup, reps);
    // recomputing the prefix is much slower: one measured run after one warm-up is enough to rank it
    const recompute = withRecompute ? await interleave(misstep, () => tfGenerate(tm, s.genB, s.genTokens, 'recompute', 3), 1, 1) : null;
    const best = recompute === null || cache.tfjs_ms <= recompute.tfjs_ms ? cache : recompute;
    return {
      misstep_ms: cache.misstep_ms, tfjs_ms: best.tfjs_ms, ratio: best.tfjs_ms / cache.misstep_ms,
      tfjs_mode: best === cache ? 'cache' : 'recompute', tfjs_cache_ms: cache.tfjs_ms, tfjs_recompute_ms: recompute?.tfjs_ms ?? null,
    };
  } finally {
    decoder.destroy();
    model.destroy();
    tm.dispose();
  }
}
