// The Trainer: one GRPO step of any method, evaluation, and exact save/resume. It runs unchanged in the
// browser worker, in Node tests and in the CLI; it sees only the Backend interface.
//
// One step is a fixed pipeline; the method (src/rl/methods/, chosen by config.method) fills in its hooks:
// sample prompts -> beforeStep -> plan each prompt's group -> rollouts -> verify -> rewards -> shapeRewards
// -> followUp (a second round) -> advantages -> update(s) -> metrics -> afterStep -> traces.
// Every random draw is keyed by (seed, step), so a resumed run repeats an uninterrupted one exactly.
import { TOKEN_DATA, type Backend } from '../backend/backend';
import { Rng } from '../backend/rng';
import { MODEL_PRESETS, type GPTConfig, type PositionScheme } from '../model/config';
import { Decoder } from '../model/decode';
import { GPT } from '../model/gpt';
import { computeAdvantages } from '../rl/grpo';
import { METHODS, type MethodRun, type MethodState, type WeightsSource } from '../rl/methods';
import { ownSample, toSamples, trainSequence, type PlannedRequest, type StepSample } from '../rl/methods/samples';
import { computeRewards } from '../rl/rewards';
import { rollout } from '../rl/rollout';
import { buildTrainBatch } from '../rl/sequences';
import { PolicyUpdater, type UpdateResult } from '../rl/update';
import { getTask, makeProblemSet } from '../tasks';
import { encode, encodePrompt } from '../tasks/tokenizer';
import type { Problem, Task } from '../tasks/task';
import type { RunConfig } from './config';
import { evaluatePassAtK, evaluateRecovery, type NoisyPrefixCase } from './evaluate';
import { explainStep } from './explain';
import type { MetricRow, TraceRow } from './records';
import type { StepExplanation } from './stepExplanation';
import { stepMetrics, traceRows } from './stepMetrics';

/** Where the trainer gets its starting weights: the shipped checkpoints, by name ('weak', 'weaker'). */
export type { WeightsSource };

export interface TrainerState {
  step: number;
  solved: number[]; // indices of training problems ever solved
  method: MethodState; // what the method keeps between steps
  params: Float32Array;
  adam: { m: Float32Array; v: Float32Array; t: number };
  /** The model's config; absent in states saved before `positions` existed, whose models were all learned-position. */
  model?: GPTConfig;
}

/** The position scheme a saved state's parameters belong to. */
export const statePositions = (s: Pick<TrainerState, 'model'>): PositionScheme => s.model?.positions ?? 'learned';

export interface StepOutput {
  metrics: MetricRow;
  traces: TraceRow[];
  /** The step laid open (src/run/explain.ts), only when explainNext was set. */
  explanation?: StepExplanation;
}

export class Trainer {
  step = 0;
  /** Lay the next steps open for the step view: costs one extra forward after the update, moves no number. */
  explainNext = false;
  private readonly solved = new Set<number>();
  private method!: MethodRun;
  private readonly trainSet: Problem[];
  private readonly evalSet: Problem[];
  private readonly evalPrefixes: NoisyPrefixCase[];
  readonly task: Task;
  readonly decoder: Decoder;
  readonly updater: PolicyUpdater;
  private readonly maxPromptLen: number;

  private constructor(
    readonly backend: Backend, readonly config: RunConfig, readonly model: GPT, readonly reference: GPT | null,
  ) {
    const c = config;
    this.task = getTask(c.task);
    this.trainSet = makeProblemSet(this.task, c.seed, c.difficulty, 'train', c.trainProblems);
    this.evalSet = makeProblemSet(this.task, 0xe7a1, c.difficulty, 'eval', c.evalProblems); // fixed across seeds
    const injRng = new Rng(0xe7a2, 1);
    this.evalPrefixes = this.evalSet.slice(0, c.evalPrefixProblems).map((problem) => {
      // a held-out noisy prefix that really contains an error: the wrong trace up to its first corrupted step
      const inj = this.task.injectError(problem, injRng);
      const end = inj.text.indexOf(';', inj.firstCorruptChar);
      return { problem, prefix: encode(inj.text.slice(0, end < 0 ? inj.text.length : end + 1)) };
    });
    // a method's second-round contexts are trimmed to fit at run time; the bare prompts must fit now
    this.maxPromptLen = Math.max(...[...this.trainSet, ...this.evalSet].map((p) => encodePrompt(p.prompt).length));
    if (this.maxPromptLen + c.maxCompletionLength > model.cfg.maxT) {
      throw new Error(
        `maxCompletionLength ${c.maxCompletionLength} + prompts of up to ${this.maxPromptLen} tokens exceed the model's context (maxT ${model.cfg.maxT}); lower maxCompletionLength or the difficulty`,
      );
    }
    const batchRows = c.promptsPerStep * METHODS[c.method].rowsPerPrompt(c);
    this.decoder = new Decoder(model, Math.min(256, Math.max(c.groupSize, batchRows)));
    this.updater = new PolicyUpdater(model, reference);
  }

  /**
   * `resume`: the state this trainer will load. A checkpoint's own config decides the model; a preset model
   * (trained from scratch) takes the state's position scheme, so a run saved before the presets became
   * rotary-position models resumes as the learned-position model it was.
   */
  static async create(backend: Backend, config: RunConfig, weights: WeightsSource, resume?: Pick<TrainerState, 'model'>): Promise<Trainer> {
    const ck = config.model === 'weak' || config.model === 'weaker' ? await weights(config.model) : null;
    if (ck && ck.metadata.task && ck.metadata.task !== config.task) {
      throw new Error(`the weak checkpoint was trained on ${ck.metadata.task}, the run's task is ${config.task}`);
    }
    const preset: GPTConfig = MODEL_PRESETS[config.model as Exclude<RunConfig['model'], 'weak' | 'weaker'>];
    const cfg = ck ? ck.config : resume ? { ...preset, positions: statePositions(resume) } : preset;
    const model = new GPT(backend, cfg);
    if (ck) backend.write(model.params, ck.params);
    else model.initParams(config.seed);
    let reference: GPT | null = null;
    if (config.beta > 0) {
      reference = new GPT(backend, cfg);
      reference.copyParamsFrom(model); // the frozen initial policy
    }
    const t = new Trainer(backend, config, model, reference);
    t.method = await METHODS[config.method].start({
      config, task: t.task, backend, model, decoder: t.decoder, trainSet: t.trainSet, weights, step: () => t.step,
    });
    return t;
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
    await this.method.beforeStep?.(step);

    // rollouts
    const sampling = { maxCompletionLength: c.maxCompletionLength, temperature: c.temperature, topK: c.topK, seed: c.seed, step };
    const samplePlanned = async (planned: readonly PlannedRequest[], rowOffset = 0) =>
      toSamples(this.task, problems, planned, await rollout(this.decoder, planned.map((p) => p.request), rowOffset ? { ...sampling, rowOffset } : sampling));
    const samples = await samplePlanned(this.method.plan(problems, rng.fork(1)));
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
    this.method.shapeRewards?.(samples, problems.length);
    if (rewards.keptGroups) {
      const kept = new Map(rewards.groupIds.map((g, i) => [g, rewards.keptGroups![i]]));
      for (const s of samples) s.trained = kept.get(s.group) ?? true;
    }
    let tReward = performance.now() - t1;

    // the method's second round, if it has one
    let followUp: StepSample[] = [];
    if (this.method.followUp) {
      const t2 = performance.now();
      followUp = await this.method.followUp({
        problems, samples, rng, sampling,
        sample: async (planned, rowOffset, rewardStream) => {
          const xs = await samplePlanned(planned, rowOffset);
          rewardOf(xs, rewardStream);
          return xs;
        },
      });
      tRollout += performance.now() - t2;
    }

    // advantages over each prompt's (mixed) group
    const t3 = performance.now();
    const trainedSamples = [...samples, ...followUp].filter((s) => s.trained);
    const adv = computeAdvantages(trainedSamples.map((s) => s.observed), trainedSamples.map((s) => s.group), c.scaleRewards);
    trainedSamples.forEach((s, i) => { s.advantage = adv[i]; });
    tReward += performance.now() - t3;

    // update
    const t4 = performance.now();
    let update: UpdateResult | null = null;
    const updates: UpdateResult[] = [];
    let built: ReturnType<typeof buildTrainBatch> | null = null;
    let tokenMask = new Float32Array(0);
    const lossSettings = { epsLow: c.epsilonLow, epsHigh: c.epsilonHigh, beta: c.beta, gamma: this.method.shapingGamma ?? 0 };
    if (trainedSamples.length > 0) {
      const seqs = trainedSamples.map((s) => trainSequence(s, c.numIterations));
      built = buildTrainBatch(seqs, c.lossType, c.maxCompletionLength, this.model.cfg.maxT);
      tokenMask = built.batch.tokenData.filter((_, i) => i % TOKEN_DATA.columns === TOKEN_DATA.weight).map((w) => (w > 0 ? 1 : 0));
      for (let it = 0; it < c.numIterations; it++) {
        update = await this.updater.step(built.batch, {
          lr: c.lr, weightDecay: c.weightDecay, maxGradNorm: c.maxGradNorm, beta1: c.adamBeta1, beta2: c.adamBeta2,
          loss: lossSettings,
        });
        updates.push(update);
        if (!Number.isFinite(update.gradNorm)) {
          throw new Error(`step ${step}: the gradient norm is ${update.gradNorm} (NaN/Inf); training stopped, the last checkpoint is the last good state`);
        }
      }
      if (update!.stats.some((v) => !Number.isFinite(v))) {
        throw new Error(`step ${step}: NaN/Inf in the per-token loss statistics; training stopped, the last checkpoint is the last good state`);
      }
    }
    const tUpdate = performance.now() - t4;

    // bookkeeping: solved problems, metrics, then the method's own (which may read the metrics)
    samples.forEach((s) => { if (s.clean > 0 && ownSample(s)) this.solved.add(problemIdx[s.group]); });
    const metrics = stepMetrics({
      step, config: c, samples, followUp, owned: { ...rewards.metrics, ...this.method.metrics?.() }, update, tokenMask,
      trainSize: this.trainSet.length, solved: this.solved.size,
      times: { rollout: tRollout, reward: tReward, update: tUpdate, total: performance.now() - t0 },
      counters: [counters0, this.backend.counters()],
    });
    this.method.afterStep?.(samples, metrics);
    const traces = traceRows(step, [...samples, ...followUp], c.tracesPerStep);
    // after the metrics: the explanation's extra forward must not show in this step's counters
    const explanation = this.explainNext
      ? await explainStep({
        step, config: c, task: this.task, model: this.model, samples: [...samples, ...followUp], trained: trainedSamples,
        batch: built?.batch ?? null, updates, loss: lossSettings,
      })
      : undefined;
    this.step += 1;
    return explanation ? { metrics, traces, explanation } : { metrics, traces };
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
    row['eval/recovery/retraction_rate'] = rec.retractionRate;
    row['eval/recovery/silent_rate'] = rec.silentRate;
    row['eval/recovery/gap'] = rec.gap;
    row['eval/recovery/recoverability'] = rec.recoverability;
    return row;
  }

  async saveState(): Promise<TrainerState> {
    return {
      step: this.step, solved: [...this.solved].sort((a, b) => a - b), method: this.method.saveState(),
      params: (await this.backend.read(this.model.params)) as Float32Array,
      adam: await this.updater.saveState(), model: this.model.cfg,
    };
  }

  /** Continue from a saved state: the next step is state.step, with everything as it was. */
  loadState(s: TrainerState): void {
    const saved = statePositions(s);
    if (saved !== this.model.cfg.positions) {
      throw new Error(`the saved state belongs to a model with ${saved} positions, but the ${this.config.model} model is now a ${this.model.cfg.positions}-position one (its checkpoint was re-made since): this run cannot continue on it`);
    }
    if (s.params.length !== this.model.layout.total) throw new Error(`saved parameters have ${s.params.length} values, the model needs ${this.model.layout.total}`);
    this.step = s.step;
    this.method.loadState(s.method);
    this.solved.clear();
    for (const i of s.solved) this.solved.add(i);
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
