// The Trainer: one GRPO step of any method, evaluation, and exact save/resume. It runs unchanged in the
// browser worker, in Node tests and in the CLI; it sees only the Backend interface.
//
// One step: sample prompts -> build each prompt's group as the method says -> rollouts -> verify ->
// rewards -> (LTE: hinted round for none-pass groups) -> advantages -> update(s) -> metrics and traces.
// Every random draw is keyed by (seed, step), so a resumed run repeats an uninterrupted one exactly.
import type { Backend } from '../backend/backend';
import { Rng } from '../backend/rng';
import { MODEL_PRESETS } from '../model/config';
import { Decoder } from '../model/decode';
import { GPT } from '../model/gpt';
import type { Checkpoint } from '../model/checkpoint';
import { computeAdvantages } from '../rl/grpo';
import { buildWrongPool, curriculumRho, denoiseBonuses, type WrongPool } from '../rl/methods/denoise';
import { lteHints, lteReplace, planHinted, planRequests, toSamples, tokenModeOf, type StepSample } from '../rl/methods/samples';
import { computeRewards } from '../rl/rewards';
import { rollout } from '../rl/rollout';
import { buildTrainBatch } from '../rl/sequences';
import { PolicyUpdater, type UpdateResult } from '../rl/update';
import { getTask, makeProblemSet } from '../tasks';
import { encode, encodePrompt } from '../tasks/tokenizer';
import type { Problem, Task } from '../tasks/task';
import type { RunConfig } from './config';
import { evaluatePassAtK, evaluateRecovery, type NoisyPrefixCase } from './evaluate';
import type { MetricRow, TraceRow } from './records';
import { stepMetrics, traceRows } from './stepMetrics';

/** Where the trainer gets its starting weights: the shipped checkpoints, by name ('weak', 'weaker'). */
export type WeightsSource = (name: 'weak' | 'weaker') => Promise<Checkpoint>;

export interface TrainerState {
  step: number;
  rho: number;
  solved: number[]; // indices of training problems ever solved
  pool: [string, { text: string; failures: number }[]][] | null;
  params: Float32Array;
  adam: { m: Float32Array; v: Float32Array; t: number };
}

export interface StepOutput {
  metrics: MetricRow;
  traces: TraceRow[];
}

export class Trainer {
  step = 0;
  private rho: number;
  private readonly solved = new Set<number>();
  private pool: WrongPool | null = null;
  private readonly trainSet: Problem[];
  private readonly evalSet: Problem[];
  private readonly evalPrefixes: NoisyPrefixCase[];
  readonly task: Task;
  readonly decoder: Decoder;
  readonly updater: PolicyUpdater;
  private readonly maxPromptLen: number;

  private constructor(
    readonly backend: Backend, readonly config: RunConfig, readonly model: GPT, readonly reference: GPT | null,
    private readonly weights: WeightsSource,
  ) {
    const c = config;
    this.task = getTask(c.task);
    this.rho = c.denoiseRho;
    this.trainSet = makeProblemSet(this.task, c.seed, c.difficulty, 'train', c.trainProblems);
    this.evalSet = makeProblemSet(this.task, 0xe7a1, c.difficulty, 'eval', c.evalProblems); // fixed across seeds
    const injRng = new Rng(0xe7a2, 1);
    this.evalPrefixes = this.evalSet.slice(0, c.evalPrefixProblems).map((problem) => {
      // a held-out noisy prefix that really contains an error: the wrong trace up to its first corrupted step
      const inj = this.task.injectError(problem, injRng);
      const end = inj.text.indexOf(';', inj.firstCorruptChar);
      return { problem, prefix: encode(inj.text.slice(0, end < 0 ? inj.text.length : end + 1)) };
    });
    // LTE hints are trimmed to fit the context at run time (lteHints); the bare prompts must fit now
    this.maxPromptLen = Math.max(...[...this.trainSet, ...this.evalSet].map((p) => encodePrompt(p.prompt).length));
    if (this.maxPromptLen + c.maxCompletionLength > model.cfg.maxT) {
      throw new Error(
        `maxCompletionLength ${c.maxCompletionLength} + prompts of up to ${this.maxPromptLen} tokens exceed the model's context (maxT ${model.cfg.maxT}); lower maxCompletionLength or the difficulty`,
      );
    }
    const batchRows = c.promptsPerStep * (c.groupSize + (c.method === 'denoise' ? c.denoiseK : 0) + (c.method === 'grpo_extra' ? c.groupSize : 0));
    this.decoder = new Decoder(model, Math.min(256, Math.max(c.groupSize, batchRows)));
    this.updater = new PolicyUpdater(model, reference);
  }

  static async create(backend: Backend, config: RunConfig, weights: WeightsSource): Promise<Trainer> {
    const ck = config.model === 'weak' || config.model === 'weaker' ? await weights(config.model) : null;
    if (ck && ck.metadata.task && ck.metadata.task !== config.task) {
      throw new Error(`the weak checkpoint was trained on ${ck.metadata.task}, the run's task is ${config.task}`);
    }
    const cfg = ck ? ck.config : MODEL_PRESETS[config.model as Exclude<RunConfig['model'], 'weak' | 'weaker'>];
    const model = new GPT(backend, cfg);
    if (ck) backend.write(model.params, ck.params);
    else model.initParams(config.seed);
    let reference: GPT | null = null;
    if (config.beta > 0) {
      reference = new GPT(backend, cfg);
      reference.copyParamsFrom(model); // the frozen initial policy
    }
    const t = new Trainer(backend, config, model, reference, weights);
    if (config.method === 'denoise') await t.rebuildPool();
    return t;
  }

  /** Build (or refresh) DenoiseRL's wrong-trace pool from the configured source. */
  private async rebuildPool(): Promise<void> {
    const c = this.config;
    const problems = this.trainSet.slice(0, c.denoisePoolProblems);
    let decoder: Decoder | null = null;
    let temp: GPT | null = null;
    if (c.denoiseSource === 'initial' || (c.denoiseSource === 'weak' && this.step > 0)) decoder = this.decoder; // refresh: the current policy
    else if (c.denoiseSource === 'weak') {
      const ck = await this.weights('weaker'); // a smaller, weaker model than the policy (the paper's best source)
      temp = new GPT(this.backend, ck.config);
      this.backend.write(temp.params, ck.params);
      decoder = new Decoder(temp, this.decoder.maxB);
    }
    this.pool = await buildWrongPool(this.task, problems, {
      source: c.denoiseSource, samples: c.denoisePoolSamples, maxCompletionLength: c.maxCompletionLength, seed: c.seed,
    }, decoder, this.step);
    if (temp) { decoder!.destroy(); temp.destroy(); }
  }

  get poolSize(): number {
    return this.pool ? [...this.pool.values()].reduce((a, t) => a + t.length, 0) : 0;
  }

  /** One training step. Throws (and leaves the caller's last checkpoint as the good one) on NaN/Inf. */
  async trainStep(): Promise<StepOutput> {
    const c = this.config;
    const step = this.step;
    const t0 = performance.now();
    const counters0 = this.backend.counters();
    const rng = new Rng(c.seed, 0x57e9 + step);
    const problemIdx = Array.from({ length: c.promptsPerStep }, () => rng.int(0, this.trainSet.length - 1));
    const problems = problemIdx.map((i) => this.trainSet[i]);
    if (c.method === 'denoise' && c.denoisePoolRefreshEvery > 0 && step > 0 && step % c.denoisePoolRefreshEvery === 0) await this.rebuildPool();

    // rollouts
    const plan = { groupSize: c.groupSize, method: c.method, denoiseK: c.denoiseK, rho: this.rho, rhoSampler: c.denoiseRhoSampler, valuableErrors: c.denoiseValuableErrors };
    const planned = planRequests(problems, plan, this.pool, rng.fork(1));
    const sampling = { maxCompletionLength: c.maxCompletionLength, temperature: c.temperature, topK: c.topK, seed: c.seed, step };
    const outs = await rollout(this.decoder, planned.map((p) => p.request), sampling);
    const samples = toSamples(this.task, problems, planned, outs);
    let tRollout = performance.now() - t0;

    // rewards
    const t1 = performance.now();
    const rewardOf = (xs: StepSample[], stream: number) => {
      const r = computeRewards(
        xs.map((s) => ({ groupId: s.group, completion: s.text, answer: s.verdict.answer, correct: s.verdict.correct })), c, this.task, rng.fork(stream),
      );
      xs.forEach((s, i) => { s.clean = r.clean[i]; s.observed = r.observed[i]; s.flipped = r.flipped[i]; });
      return r;
    };
    const rewards = rewardOf(samples, 2);
    if (c.method === 'denoise' && (c.denoiseEfficiencyBonus > 0 || c.denoiseDiversityBonus > 0)) {
      for (let g = 0; g < problems.length; g++) {
        const group = samples.filter((s) => s.group === g);
        const bonus = denoiseBonuses(group.map((s) => s.text), group.map((s) => s.observed > 0), group.map((s) => s.verdict.steps.length), c.denoiseEfficiencyBonus, c.denoiseDiversityBonus);
        group.forEach((s, i) => { s.observed += bonus[i]; });
      }
    }
    if (rewards.keptGroups) {
      const kept = new Map(rewards.groupIds.map((g, i) => [g, rewards.keptGroups![i]]));
      for (const s of samples) s.trained = kept.get(s.group) ?? true;
    }
    let tReward = performance.now() - t1;

    // LTE: a hinted second round for none-pass groups
    let hinted: StepSample[] = [];
    let lte: { solvedGroups: number; hintedGroups: number } | null = null;
    if (c.method === 'lte') {
      const t2 = performance.now();
      const hints = lteHints(this.task, samples, problems.length, this.model.cfg.maxT - c.maxCompletionLength);
      if (hints.size > 0) {
        const { planned: hp, hintTexts } = planHinted(problems, hints, c.groupSize);
        const hOuts = await rollout(this.decoder, hp.map((p) => p.request), { ...sampling, rowOffset: 1 << 16 });
        hinted = toSamples(this.task, problems, hp, hOuts, hintTexts);
        rewardOf(hinted, 3);
      }
      tRollout += performance.now() - t2;
      lte = lteReplace(samples, hinted, rng.fork(4));
    }

    // advantages over each prompt's (mixed) group
    const t3 = performance.now();
    const trainedSamples = [...samples, ...hinted].filter((s) => s.trained);
    const adv = computeAdvantages(trainedSamples.map((s) => s.observed), trainedSamples.map((s) => s.group), c.scaleRewards);
    trainedSamples.forEach((s, i) => { s.advantage = adv[i]; });
    tReward += performance.now() - t3;

    // update
    const t4 = performance.now();
    let update: UpdateResult | null = null;
    let tokenMask = new Float32Array(0);
    if (trainedSamples.length > 0) {
      const seqs = trainedSamples.map((s) => ({
        context: s.kind === 'hinted' ? encodePrompt(s.problem.prompt) : s.request.context,
        prefix: s.request.prefix, completion: s.out.completion, logps: s.out.logps,
        advantage: s.advantage, mode: tokenModeOf(s, c.numIterations), part: s.kind === 'hinted' ? 1 : 0,
      }));
      const built = buildTrainBatch(seqs, c.lossType, c.maxCompletionLength, this.model.cfg.maxT);
      tokenMask = built.batch.tokenData.filter((_, i) => i % 3 === 1).map((w) => (w > 0 ? 1 : 0));
      for (let it = 0; it < c.numIterations; it++) {
        update = await this.updater.step(built.batch, {
          lr: c.lr, weightDecay: c.weightDecay, maxGradNorm: c.maxGradNorm, beta1: c.adamBeta1, beta2: c.adamBeta2,
          loss: { epsLow: c.epsilonLow, epsHigh: c.epsilonHigh, beta: c.beta, gamma: c.lteGamma },
        });
        if (!Number.isFinite(update.gradNorm)) {
          throw new Error(`step ${step}: the gradient norm is ${update.gradNorm} (NaN/Inf); training stopped, the last checkpoint is the last good state`);
        }
      }
      if (update!.stats.some((v) => !Number.isFinite(v))) {
        throw new Error(`step ${step}: NaN/Inf in the per-token loss statistics; training stopped, the last checkpoint is the last good state`);
      }
    }
    const tUpdate = performance.now() - t4;

    // bookkeeping: solved problems, DenoiseRL curriculum and valuable-error counts
    samples.forEach((s) => { if (s.clean > 0 && (s.kind === 'normal' || s.kind === 'extra')) this.solved.add(problemIdx[s.group]); });
    for (const s of samples) if (s.wrongTrace && s.clean === 0) s.wrongTrace.failures++;
    const metrics = stepMetrics({
      step, config: c, samples, hinted, rewards, lte, update, tokenMask, trainSize: this.trainSet.length, solved: this.solved.size,
      rho: c.method === 'denoise' ? this.rho : null,
      times: { rollout: tRollout, reward: tReward, update: tUpdate, total: performance.now() - t0 },
      counters: [counters0, this.backend.counters()],
    });
    if (c.method === 'denoise' && c.denoiseCurriculum && metrics['recovery/gap'] !== null) this.rho = curriculumRho(this.rho, metrics['recovery/gap'] as number);
    const traces = traceRows(step, [...samples, ...hinted], c.tracesPerStep);
    this.step += 1;
    return { metrics, traces };
  }

  /** Held-out Pass@k (sampled), greedy accuracy, and recovery from fixed noisy prefixes. Never flips rewards. */
  async evaluate(): Promise<MetricRow> {
    const c = this.config;
    const s = { samples: c.evalSamples, maxCompletionLength: c.maxCompletionLength, temperature: c.temperature, topK: c.topK, seed: c.seed, step: this.step };
    const pk = await evaluatePassAtK(this.decoder, this.task, this.evalSet, s);
    const greedy = await evaluatePassAtK(this.decoder, this.task, this.evalSet, { ...s, samples: 1, topK: 1 });
    const rec = await evaluateRecovery(this.decoder, this.task, this.evalPrefixes, { ...s, samples: Math.min(4, c.evalSamples) });
    const row: MetricRow = { step: this.step, kind: 'eval', 'eval/n': pk.n, 'eval/greedy_acc': greedy.passAtK[1] };
    for (const [k, v] of Object.entries(pk.passAtK)) row[`eval/pass@${k}`] = v;
    row['eval/recovery/acc_base'] = rec.accBase;
    row['eval/recovery/acc_noise'] = rec.accNoise;
    row['eval/recovery/gap'] = rec.gap;
    row['eval/recovery/recoverability'] = rec.recoverability;
    return row;
  }

  async saveState(): Promise<TrainerState> {
    return {
      step: this.step, rho: this.rho, solved: [...this.solved].sort((a, b) => a - b),
      pool: this.pool ? [...this.pool.entries()].map(([k, v]) => [k, v.map((w) => ({ ...w }))]) : null,
      params: (await this.backend.read(this.model.params)) as Float32Array,
      adam: await this.updater.saveState(),
    };
  }

  /** Continue from a saved state: the next step is state.step, with everything as it was. */
  loadState(s: TrainerState): void {
    if (s.params.length !== this.model.layout.total) throw new Error(`saved parameters have ${s.params.length} values, the model needs ${this.model.layout.total}`);
    this.step = s.step;
    this.rho = s.rho;
    this.solved.clear();
    for (const i of s.solved) this.solved.add(i);
    if (s.pool) this.pool = new Map(s.pool);
    this.backend.write(this.model.params, s.params);
    this.updater.loadState(s.adam);
  }

  destroy(): void {
    this.decoder.destroy();
    this.updater.destroy();
    this.reference?.destroy();
    this.model.destroy();
  }
}
