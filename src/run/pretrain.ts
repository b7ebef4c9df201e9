// Supervised pretraining on gold traces, stopped early on purpose: the result is a *weak* policy that
// makes real mistakes on the RL difficulty, so the RL methods have errors to learn from (methods.md s.6).
// Cross-entropy is the GRPO step with advantage 1 and ON_POLICY tokens (see rl/update.ts).
import { TokenMode, type Backend } from '../backend/backend';
import { Rng } from '../backend/rng';
import { MODEL_PRESETS, type ModelPresetName } from '../model/config';
import { Decoder } from '../model/decode';
import { GPT } from '../model/gpt';
import { buildTrainBatch, type TrainSequence } from '../rl/sequences';
import { PolicyUpdater } from '../rl/update';
import { getTask } from '../tasks';
import { makeProblemSet } from '../tasks/split';
import { EOS_ID, VOCAB, encode, encodePrompt } from '../tasks/tokenizer';
import { evaluatePassAtK } from './evaluate';

export interface PretrainOptions {
  task: string;
  seed: number;
  model: ModelPresetName;
  maxSteps: number;
  batchSize: number;
  lr: number;
  trainDifficulties?: number[]; // problems are drawn uniformly from these (default: the task's levels up to evalDifficulty + 1)
  evalDifficulty: number; // the RL difficulty the weak window is measured on
  evalEvery: number;
  stopAtPassAt1: number; // stop at the first check whose sampled Pass@1 reaches this
  finalEvalProblems: number;
  finalEvalSamples: number;
  onProgress?: (p: { step: number; maxSteps: number; loss: number; passAt1?: number }) => void;
}

export const PRETRAIN_DEFAULTS: Omit<PretrainOptions, 'task'> = {
  seed: 1, model: 'tiny', maxSteps: 3000, batchSize: 64, lr: 2e-3,
  evalDifficulty: 3, evalEvery: 50, stopAtPassAt1: 0.3, finalEvalProblems: 128, finalEvalSamples: 8,
};

export interface WeakManifest {
  format: 'misstep-weak-checkpoint';
  task: string;
  model: ModelPresetName;
  config: GPTConfigLike;
  tokenizer: { vocab: readonly string[] };
  seed: number;
  steps: number;
  options: Omit<PretrainOptions, 'onProgress'>;
  eval: { difficulty: number; problems: number; samples: number; 'pass@1': number; 'pass@8': number };
  file: string;
}
type GPTConfigLike = (typeof MODEL_PRESETS)[ModelPresetName];

export async function pretrain(backend: Backend, opts: PretrainOptions): Promise<{ model: GPT; manifest: Omit<WeakManifest, 'file'> }> {
  const task = getTask(opts.task);
  const trainDifficulties = opts.trainDifficulties ?? task.difficulties.filter((d) => d <= opts.evalDifficulty + 1);
  const cfg = MODEL_PRESETS[opts.model];
  const model = new GPT(backend, cfg);
  model.initParams(opts.seed);
  const updater = new PolicyUpdater(model);
  const decoder = new Decoder(model, 128);
  const maxLen = task.maxGoldLength(Math.max(...trainDifficulties, opts.evalDifficulty)) + 1;
  const checkProblems = makeProblemSet(task, opts.seed + 1, opts.evalDifficulty, 'eval', 32);
  const evalOpts = { maxCompletionLength: maxLen, temperature: 1, topK: 0, seed: opts.seed };
  let step = 0;
  while (step < opts.maxSteps) {
    const rng = new Rng(opts.seed, 0x9e7 + step);
    const seqs: TrainSequence[] = [];
    for (let i = 0; i < opts.batchSize; i++) {
      const p = task.generate(rng, rng.pick(trainDifficulties), 'train');
      const completion = [...encode(p.gold), EOS_ID];
      seqs.push({ context: encodePrompt(p.prompt), prefix: [], completion, logps: completion.map(() => 0), advantage: 1, mode: TokenMode.ON_POLICY, part: 0 });
    }
    const { batch } = buildTrainBatch(seqs, 'dapo', maxLen, cfg.maxT);
    const res = await updater.step(batch, {
      lr: opts.lr, weightDecay: 0, maxGradNorm: 1, beta1: 0.9, beta2: 0.999,
      loss: { epsLow: 0.2, epsHigh: 0.2, beta: 0, gamma: 0.1 },
    });
    step++;
    const loss = meanNll(res.stats, batch.B * batch.T, batch.tokenData);
    if (!Number.isFinite(loss)) throw new Error(`pretrain: loss became ${loss} at step ${step}`);
    let passAt1: number | undefined;
    if (step % opts.evalEvery === 0) {
      const r = await evaluatePassAtK(decoder, task, checkProblems, { ...evalOpts, samples: 4, step });
      passAt1 = r.passAtK[1];
    }
    opts.onProgress?.({ step, maxSteps: opts.maxSteps, loss, passAt1 });
    if (passAt1 !== undefined && passAt1 >= opts.stopAtPassAt1) break;
  }
  const finalProblems = makeProblemSet(task, opts.seed + 2, opts.evalDifficulty, 'eval', opts.finalEvalProblems);
  const final = await evaluatePassAtK(decoder, task, finalProblems, { ...evalOpts, samples: opts.finalEvalSamples, step: 0 });
  decoder.destroy();
  updater.destroy();
  const { onProgress: _onProgress, ...options } = opts;
  return {
    model,
    manifest: {
      format: 'misstep-weak-checkpoint', task: opts.task, model: opts.model, config: cfg, tokenizer: { vocab: VOCAB },
      seed: opts.seed, steps: step, options: { ...options, trainDifficulties },
      eval: {
        difficulty: opts.evalDifficulty, problems: finalProblems.length, samples: opts.finalEvalSamples,
        'pass@1': round4(final.passAtK[1]), 'pass@8': round4(final.passAtK[opts.finalEvalSamples] ?? NaN),
      },
    },
  };
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** Mean negative log-likelihood over the weighted (completion) tokens of a batch. */
function meanNll(stats: Float32Array, N: number, tokenData: Float32Array): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < N; i++) {
    if (tokenData[i * 3 + 1] > 0) { sum -= stats[i * 4]; count++; }
  }
  return sum / Math.max(1, count);
}
