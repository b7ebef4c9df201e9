// The seat of an RL method: what the trainer's fixed pipeline asks of it. A method is one file in this
// folder exporting its About (plain data: label, knobs, metrics, Learn text) and a Method (the hooks); the
// catalog (./about.ts) and the registry (./index.ts) list it. The trainer never names a method: it calls
// these hooks in order (see Trainer.trainStep):
//   prepare -> [per step] beforeStep -> plan -> rollout, verify, rewards -> shapeRewards -> followUp
//   -> advantages, update -> afterStep -> metrics
import type { Rng } from '../../backend/rng';
import type { Decoder } from '../../model/decode';
import type { GPT } from '../../model/gpt';
import type { Checkpoint } from '../../model/checkpoint';
import type { Backend } from '../../backend/backend';
import type { Problem, Task } from '../../tasks/task';
import type { RolloutSettings } from '../rollout';
import type { PlannedRequest, StepSample } from './samples';

/** The config fields every method's pipeline reads (RunConfig has them all). */
export interface PipelineSettings {
  seed: number;
  groupSize: number; // G
  maxCompletionLength: number;
  temperature: number;
  topK: number;
  numIterations: number;
}

/** The shipped checkpoints a run may load, by name. */
export type CheckpointName = 'weak' | 'weaker';
export type WeightsSource = (name: CheckpointName) => Promise<Checkpoint>;

/** What a method sees of the run it is part of. */
export interface MethodEnv<S> {
  config: PipelineSettings & S;
  task: Task;
  backend: Backend;
  model: GPT; // the policy
  decoder: Decoder; // the policy's sampler
  trainSet: readonly Problem[];
  weights: WeightsSource;
  step(): number; // the step about to run (or just run)
}

/** A second sampling round of a step (LTE's hinted round), with the trainer's rollout and reward. */
export interface FollowUpRound {
  problems: readonly Problem[];
  samples: StepSample[]; // the first round, rewards set
  rng: Rng; // the step's host-side stream
  sampling: RolloutSettings;
  /** Sample, verify and reward planned requests (rewards drawn from the step stream `rewardStream`). */
  sample(planned: readonly PlannedRequest[], rowOffset: number, rewardStream: number): Promise<StepSample[]>;
}

/** What a method persists in the run state (the file format keeps these two fields). */
export interface MethodState {
  rho: number;
  pool: [string, { text: string; failures: number }[]][] | null;
}

/** One method's part in one run: created by Method.start, it may hold state (DenoiseRL's pool and rho). */
export interface MethodRun {
  /** Before a step's rollouts (DenoiseRL: refresh the pool). */
  beforeStep?(step: number): Promise<void>;
  /** The first round of requests of each prompt's group. */
  plan(problems: readonly Problem[], rng: Rng): PlannedRequest[];
  /** After rewards, before advantages: adjust observed rewards in place (DenoiseRL's opt-in bonuses). */
  shapeRewards?(samples: StepSample[], numGroups: number): void;
  /** A second round after rewards (LTE); returns its samples, `trained` set on both rounds. */
  followUp?(round: FollowUpRound): Promise<StepSample[]>;
  /** The method's own train-row metrics of the step just run (names from its About.metrics). */
  metrics?(): Record<string, number | null>;
  /** After the step's metrics (DenoiseRL: pool failure counts, the rho curriculum). */
  afterStep?(samples: readonly StepSample[], metrics: Readonly<Record<string, number | string | null>>): void;
  /** The run-state fields this method owns. */
  saveState(): MethodState;
  loadState(s: MethodState): void;
  /** Wrong traces held (DenoiseRL), 0 otherwise. */
  readonly poolSize: number;
  /** gamma of the shaped ratio r / (r + gamma), for samples trained with trainAs.shaped (LTE's knob). */
  readonly shapingGamma?: number;
}

export interface Method<S = object> {
  /** Rollout rows of a prompt's first round (the sampler's batch is sized from it). */
  rowsPerPrompt(c: PipelineSettings & S): number;
  /** Rows per prompt on average, second rounds included: the experiment scheduler's cost estimate. */
  expectedRowsPerPrompt(c: PipelineSettings & S): number;
  /** Shipped checkpoints it loads besides the policy's own (the worker prefetches them). */
  checkpoints(c: PipelineSettings & S): CheckpointName[];
  /** Create the method's part of a run (DenoiseRL: build the wrong-trace pool). */
  start(env: MethodEnv<S>): Promise<MethodRun>;
}

/**
 * The run state of a method that keeps none. The run-state format stores DenoiseRL's rho for every run (the
 * config's starting value when no curriculum moved it), so stateless methods store that value too.
 */
export const statelessRun = (config: { denoiseRho: number }) => ({
  saveState: (): MethodState => ({ rho: config.denoiseRho, pool: null }),
  loadState: () => undefined,
  poolSize: 0,
});
