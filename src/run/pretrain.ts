// Supervised pretraining on gold traces, stopped early on purpose: the result is a *weak* policy that
// makes real mistakes on the RL difficulty, so the RL methods have errors to learn from (methods.md s.6).
// Cross-entropy is the GRPO step with advantage 1 and ON_POLICY tokens (see rl/update.ts).
import { TokenMode, type Backend } from '../backend/backend';
import { Rng } from '../backend/rng';
import { MODEL_PRESETS, type GPTConfig, type ModelPresetName } from '../model/config';
import { Decoder } from '../model/decode';
import { GPT } from '../model/gpt';
import { buildTrainBatch, type TrainSequence } from '../rl/sequences';
import { PolicyUpdater, type TrainBatch } from '../rl/update';
import { getTask } from '../tasks';
import { GOLD_ONLY_MIX, checkCorpusMix, corpusExample, type CorpusExample, type CorpusMix } from '../tasks/corpus';
import { makeProblemSet } from '../tasks/split';
import { EOS_ID, VOCAB, encode, encodePrompt } from '../tasks/tokenizer';
import { evaluatePassAtK } from './evaluate';
import { measureGates, type GateReport } from './gates';

export interface PretrainOptions {
  task: string;
  seed: number;
  model: ModelPresetName;
  maxSteps: number; // the gold stage's limit
  mixedSteps: number; // steps on the mixed corpus after the gold stage
  mixedLr: number; // its learning rate: lower than lr, so the fresh optimizer's first steps do not wipe out the gold stage
  batchSize: number;
  lr: number;
  trainDifficulties?: number[]; // problems are drawn uniformly from these (default: the task's levels up to evalDifficulty + 1)
  evalDifficulty: number; // the RL difficulty the weak window is measured on
  evalEvery: number;
  stopAtPassAt1: number; // stop at the first check whose sampled Pass@1 reaches this
  finalEvalProblems: number;
  finalEvalSamples: number;
  corpus: CorpusMix; // the habits mixed into the gold traces (src/tasks/corpus.ts)
  goldCorpus?: CorpusMix; // the gold stage's corpus (default GOLD_ONLY_MIX: gold traces after a bare prompt)
  gates: boolean; // measure the gates of docs/methods.md on the final model and record them in the manifest
  onProgress?: (p: { step: number; maxSteps: number; loss: number; passAt1?: number }) => void;
  onCheck?: (step: number, model: GPT) => Promise<void>; // awaited at every check (snapshots while sizing a run)
}

/**
 * The gold stage's corpus for the rotary `weak` checkpoints: from the first step, an LTE hint in front of 30%
 * of the prompts (so the question sits at varied offsets) and a slip with '!' and the right step in 15% of
 * the traces, a slip continued in 5%. Learned while the model learns to compute, these habits cost it little;
 * added afterwards they did not take (docs/methods.md, "Positions" and "The pretraining world").
 */
export const GOLD_CORPUS_DEFAULTS: CorpusMix = {
  ...GOLD_ONLY_MIX, selfCorrectShare: 0.15, slipContinueShare: 0.05, hintShare: 0.3,
};

/** The mixed stage's corpus for the `weak` checkpoints: the gold stage's habits plus shortcuts and '$' hints. */
export const CORPUS_DEFAULTS: CorpusMix = {
  selfCorrectShare: 0.15, slipContinueShare: 0.05, shortcutShare: 0.3, shortcutAllShare: 0.5, hintShare: 0.3, hintConciseShare: 0.2,
};

/**
 * The corpus of the learned-position micro `weaker` checkpoints (made with a gold-only gold stage): no hints,
 * which a learned-position model could not read past (docs/methods.md).
 */
export const LEARNED_CORPUS: CorpusMix = {
  selfCorrectShare: 0.1, slipContinueShare: 0.1, shortcutShare: 0.3, shortcutAllShare: 0.5, hintShare: 0, hintConciseShare: 0.2,
};

export const PRETRAIN_DEFAULTS: Omit<PretrainOptions, 'task'> = {
  seed: 1, model: 'tiny', maxSteps: 3000, batchSize: 64, lr: 2e-3,
  evalDifficulty: 3, evalEvery: 50, stopAtPassAt1: 0.35, finalEvalProblems: 128, finalEvalSamples: 8,
  corpus: CORPUS_DEFAULTS, goldCorpus: GOLD_CORPUS_DEFAULTS, mixedSteps: 300, mixedLr: 5e-4, gates: true,
};

export interface WeakManifest {
  format: 'misstep-weak-checkpoint';
  task: string;
  model: ModelPresetName;
  config: GPTConfig; // the trained model's own (a gold-stage checkpoint's, with `init`), not the preset's
  tokenizer: { vocab: readonly string[] };
  seed: number;
  steps: number;
  stages?: { gold: number; mixed: number }; // steps of each pretraining stage
  options: Omit<PretrainOptions, 'onProgress'>;
  // correct: correct samples per problem, so a test can re-measure any problem on the shipped weights
  eval: { difficulty: number; problems: number; samples: number; 'pass@1': number; 'pass@8': number; correct?: number[] };
  gates?: GateReport;
  file: string;
}

/**
 * Two stages. Gold: gold traces only, stopped at the first check whose Pass@1 reaches stopAtPassAt1 (or
 * maxSteps): the model learns to compute. Mixed: `mixedSteps` more steps on the mixed corpus with a fresh
 * optimizer: the habits of a base model (docs/methods.md). `init` replaces the gold stage by its result (the
 * config and parameters of a gold-stage checkpoint and its step count), exactly as far as a fresh optimizer
 * goes; its config, not the preset's, decides the model (a learned-position gold stage stays learned).
 */
export async function pretrain(
  backend: Backend, opts: PretrainOptions, init?: { config: GPTConfig; params: Float32Array; steps: number },
): Promise<{ model: GPT; manifest: Omit<WeakManifest, 'file'> }> {
  const task = getTask(opts.task);
  checkCorpusMix(opts.corpus);
  if (opts.goldCorpus) checkCorpusMix(opts.goldCorpus);
  const trainDifficulties = opts.trainDifficulties ?? task.difficulties.filter((d) => d <= opts.evalDifficulty + 1);
  const cfg: GPTConfig = init?.config ?? MODEL_PRESETS[opts.model];
  const model = new GPT(backend, cfg);
  model.initParams(opts.seed);
  const decoder = new Decoder(model, 128);
  const maxLen = task.maxGoldLength(Math.max(...trainDifficulties, opts.evalDifficulty)) + 1;
  const checkProblems = makeProblemSet(task, opts.seed + 1, opts.evalDifficulty, 'eval', 32);
  const evalOpts = { maxCompletionLength: maxLen, temperature: 1, topK: 0, seed: opts.seed };
  const totalSteps = opts.maxSteps + opts.mixedSteps;
  // One stage: `steps` more steps on `mix` with a fresh optimizer, stopping early at stopAtPassAt1 if asked.
  let step = 0;
  const stage = async (mix: CorpusMix, steps: number, stopAtPassAt1: number, lr: number) => {
    const updater = new PolicyUpdater(model);
    for (const end = step + steps; step < end;) {
      const rng = new Rng(opts.seed, 0x9e7 + step);
      const examples: CorpusExample[] = [];
      for (let i = 0; i < opts.batchSize; i++) {
        const p = task.generate(rng, rng.pick(trainDifficulties), 'train');
        examples.push(corpusExample(task, p, rng, mix));
      }
      const batch = corpusBatch(examples, cfg.maxT);
      const res = await updater.step(batch, {
        lr, weightDecay: 0, maxGradNorm: 1, beta1: 0.9, beta2: 0.999,
        loss: { epsLow: 0.2, epsHigh: 0.2, beta: 0, gamma: 0.1 },
      });
      step++;
      const loss = meanNll(res.stats, batch.B * batch.T, batch.tokenData);
      if (!Number.isFinite(loss)) throw new Error(`pretrain: loss became ${loss} at step ${step}`);
      let passAt1: number | undefined;
      if (step % opts.evalEvery === 0) {
        const r = await evaluatePassAtK(decoder, task, checkProblems, { ...evalOpts, samples: 4, step });
        passAt1 = r.passAtK[1];
        await opts.onCheck?.(step, model);
      }
      opts.onProgress?.({ step, maxSteps: totalSteps, loss, passAt1 });
      if (passAt1 !== undefined && passAt1 >= stopAtPassAt1) break;
    }
    updater.destroy();
  };
  if (init) {
    backend.write(model.params, init.params);
    step = init.steps;
  } else {
    await stage(opts.goldCorpus ?? GOLD_ONLY_MIX, opts.maxSteps, opts.stopAtPassAt1, opts.lr);
  }
  const goldSteps = step;
  await stage(opts.corpus, opts.mixedSteps, Infinity, opts.mixedLr);
  const gates = opts.gates ? await measureGates(decoder, task, { difficulty: opts.evalDifficulty, seed: opts.seed }) : undefined;
  const final = await finalEval(decoder, { ...opts, trainDifficulties });
  decoder.destroy();
  const { onProgress: _onProgress, onCheck: _onCheck, ...options } = opts;
  return {
    model,
    manifest: {
      format: 'misstep-weak-checkpoint', task: opts.task, model: opts.model, config: cfg, tokenizer: { vocab: VOCAB },
      seed: opts.seed, steps: step, stages: { gold: goldSteps, mixed: step - goldSteps }, options: { ...options, trainDifficulties },
      eval: {
        difficulty: opts.evalDifficulty, problems: final.correctCounts.length, samples: opts.finalEvalSamples,
        'pass@1': round4(final.passAtK[1]), 'pass@8': round4(final.passAtK[opts.finalEvalSamples] ?? NaN),
        correct: final.correctCounts,
      },
      ...(gates ? { gates } : {}),
    },
  };
}

/** The final held-out evaluation of a pretraining run, reproducible from the manifest's options alone. */
export async function finalEval(
  decoder: Decoder, opts: Pick<PretrainOptions, 'task' | 'seed' | 'evalDifficulty' | 'finalEvalProblems' | 'finalEvalSamples'> & { trainDifficulties: number[] },
  problemCount = opts.finalEvalProblems,
) {
  const task = getTask(opts.task);
  const maxLen = task.maxGoldLength(Math.max(...opts.trainDifficulties, opts.evalDifficulty)) + 1;
  const problems = makeProblemSet(task, opts.seed + 2, opts.evalDifficulty, 'eval', opts.finalEvalProblems).slice(0, problemCount);
  return evaluatePassAtK(decoder, task, problems, { maxCompletionLength: maxLen, temperature: 1, topK: 0, seed: opts.seed, samples: opts.finalEvalSamples, step: 0 });
}

/**
 * The training batch of a list of corpus examples: BOS + prompt as context, the completion and EOS as targets,
 * untrained segments (slips) at loss weight 0, every trained token weighted 1 / (trained tokens in the batch).
 * An example too long for the context with its hint is used without the hint.
 */
export function corpusBatch(examples: readonly CorpusExample[], maxT: number): TrainBatch {
  const seqs: TrainSequence[] = [];
  const trainedMasks: boolean[][] = [];
  for (const ex of examples) {
    let context = encodePrompt(ex.prompt);
    const completion: number[] = [];
    const trained: boolean[] = [];
    for (const seg of ex.segments) for (const id of encode(seg.text)) { completion.push(id); trained.push(seg.trained); }
    completion.push(EOS_ID);
    trained.push(true);
    if (context.length + completion.length > maxT + 1) context = encodePrompt(ex.prompt.slice(ex.hint.length));
    seqs.push({ context, prefix: [], completion, logps: completion.map(() => 0), advantage: 1, mode: TokenMode.ON_POLICY, part: 0 });
    trainedMasks.push(trained);
  }
  const { batch } = buildTrainBatch(seqs, 'dapo', 1, maxT);
  const total = trainedMasks.reduce((a, m) => a + m.filter(Boolean).length, 0);
  seqs.forEach((s, b) => {
    trainedMasks[b].forEach((isTrained, j) => {
      batch.tokenData[(b * batch.T + s.context.length + j - 1) * 3 + 1] = isTrained ? 1 / total : 0;
    });
  });
  return batch;
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
