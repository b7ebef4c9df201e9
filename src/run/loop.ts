// The training loop, written once: evaluate at step 0, every evalEvery steps and at the last step; each
// evaluation is followed by its `evaluated` hook (where the drivers save a checkpoint). The CLI
// (src/cli/train.ts), the lab worker (src/worker/session.ts) and the experiment jobs drive this loop and
// differ only in what their hooks do with rows, traces and checkpoints.
import type { MetricRow } from './records';
import type { StepOutput, Trainer } from './trainer';

/** Whether an evaluation is due once `step` steps are done. */
export const isEvalStep = (config: { evalEvery: number; steps: number }, step: number): boolean =>
  step === 0 || step % config.evalEvery === 0 || step === config.steps;

export interface LoopHooks {
  /** A train step's metrics row and traces. */
  trained?(out: StepOutput): void | Promise<void>;
  /** An evaluation's row; `evalDone` is already true (a checkpoint written here records it as done). */
  evaluated?(row: MetricRow): void | Promise<void>;
  /** After each step, its evaluation (if due) included: whether there was one, and the wall time of both. */
  stepped?(evaluated: boolean, seconds: number): void | Promise<void>;
}

export class TrainingLoop {
  /** The evaluation due at trainer.step has been done (a resumed run knows from its checkpoint). */
  evalDone: boolean;

  constructor(readonly trainer: Trainer, private readonly hooks: LoopHooks, evalDone = false) {
    this.evalDone = evalDone;
  }

  get finished(): boolean {
    return this.trainer.step >= this.trainer.config.steps;
  }

  /** An evaluation is due at the current step and not yet done. */
  get evalDue(): boolean {
    return !this.evalDone && isEvalStep(this.trainer.config, this.trainer.step);
  }

  /** Run the evaluation due at the current step, if any; true when one ran. */
  async evaluateIfDue(): Promise<boolean> {
    if (!this.evalDue) return false;
    const row = await this.trainer.evaluate();
    this.evalDone = true;
    await this.hooks.evaluated?.(row);
    return true;
  }

  /** One train step, then its evaluation if due. */
  async step(): Promise<void> {
    const t0 = performance.now();
    const out = await this.trainer.trainStep();
    this.evalDone = false;
    await this.hooks.trained?.(out);
    const evaluated = await this.evaluateIfDue();
    await this.hooks.stepped?.(evaluated, (performance.now() - t0) / 1000);
  }

  /** The whole run from where the trainer stands, until the last step or until `keepGoing` says stop. */
  async run(keepGoing: () => boolean = () => true): Promise<void> {
    await this.evaluateIfDue();
    while (!this.finished && keepGoing()) await this.step();
  }
}
