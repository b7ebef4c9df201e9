// The lab worker's session: it drives the one training loop (src/run/loop.ts) a step at a time, free of
// comlink and of the worker global so Node tests can drive it with the CPU backend. A checkpoint after every
// evaluation, on pause, at the end, and at least every saveEveryMs. Metric rows and traces are queued and
// flushed to the page at most every flushMs. Each checkpoint is first handed to hooks.commit together with
// every row and trace since the previous one, so whoever stores the run writes the checkpoint and the rows it
// covers together (the lab: one IndexedDB transaction per step).
import type { Backend } from '../backend/backend';
import type { RunConfig } from '../run/config';
import type { MetricRow, TraceRow } from '../run/records';
import { TrainingLoop } from '../run/loop';
import { decodeRunState, encodeRunState } from '../run/runState';
import { Trainer, type WeightsSource } from '../run/trainer';
import { probePinned, type PinnedProblem } from './probe';
import type { Checkpoint, LabEvent, LabStatus, StepCommit } from './protocol';
import { encodeBatch } from './wire';

export interface SessionHooks {
  emit(event: LabEvent, transfer?: Transferable[]): void;
  weights(task: string): WeightsSource;
  /**
   * Store a checkpoint and the rows and traces logged since the previous one, before the page hears of it.
   * A rejection stops training with its message (the lab: another tab took the run over).
   */
  commit?(commit: StepCommit): Promise<void>;
  flushMs?: number;
  saveEveryMs?: number;
}

const yieldToEvents = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export class LabSession {
  private trainer: Trainer | null = null;
  private trainLoop: TrainingLoop | null = null; // drives this.trainer
  private running = false;
  private loop: Promise<void> | null = null;
  private rows: MetricRow[] = [];
  private traces: TraceRow[] = [];
  private probes: TraceRow[] = [];
  private uncommitted: { rows: MetricRow[]; traces: TraceRow[] } = { rows: [], traces: [] };
  private lastFlush = 0;
  private lastSave = 0;
  private secPerStep: number | null = null;
  private pinned: PinnedProblem | null = null;
  private explaining = false;
  private tag = '';
  private queue: Promise<unknown> = Promise.resolve();
  private readonly flushMs: number;
  private readonly saveEveryMs: number;

  constructor(private backend: Backend, private readonly hooks: SessionHooks) {
    this.flushMs = hooks.flushMs ?? 250;
    this.saveEveryMs = hooks.saveEveryMs ?? 15_000;
  }

  get currentStep(): number {
    return this.trainer?.step ?? 0;
  }

  /** Run commands one at a time, in the order they arrive. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  start(config: RunConfig, resume: Checkpoint | null, tag: string): Promise<void> {
    return this.serial(async () => {
      if (this.running) return;
      if (!(await this.ensureTrainer(config, resume, tag))) return;
      this.running = true;
      this.loop = this.run();
    });
  }

  pause(): Promise<void> {
    return this.serial(async () => {
      this.running = false;
      await this.loop;
    });
  }

  step(config: RunConfig, resume: Checkpoint | null, tag: string): Promise<void> {
    return this.serial(async () => {
      if (this.running) return;
      if (!(await this.ensureTrainer(config, resume, tag))) return;
      const t = this.trainer!;
      try {
        if (!this.trainLoop!.finished) await this.trainLoop!.step();
        this.flush();
        await this.checkpoint(t);
        this.status(t.step >= t.config.steps ? 'done' : 'paused');
      } catch (e) {
        this.fail(e);
        this.dropTrainer(); // its state may be broken (NaN, a lost device): the next start resumes a checkpoint
      }
    });
  }

  reset(): Promise<void> {
    return this.serial(async () => {
      this.running = false;
      await this.loop;
      this.dropTrainer();
      this.status('idle', null, 0);
    });
  }

  /** Lay the following steps open (an 'explain' event after each) or stop. */
  explain(on: boolean): Promise<void> {
    this.explaining = on;
    if (this.trainer) this.trainer.explainNext = on;
    return Promise.resolve();
  }

  pin(problem: PinnedProblem | null): Promise<void> {
    this.pinned = problem;
    return Promise.resolve();
  }

  /** Swap the backend (after a device loss); the trainer on the old one is dropped. */
  setBackend(backend: Backend): Promise<void> {
    return this.serial(async () => {
      this.running = false;
      await this.loop;
      this.dropTrainer();
      this.backend = backend;
    });
  }

  private dropTrainer(): void {
    try {
      this.trainer?.destroy();
    } catch {
      // a lost device cannot free its buffers: nothing to do
    }
    this.trainer = null;
    this.trainLoop = null;
    this.rows = [];
    this.traces = [];
    this.probes = [];
    this.uncommitted = { rows: [], traces: [] };
    this.secPerStep = null;
  }

  /** Queue rows and traces for the page and for the next commit. */
  private record(rows: MetricRow[], traces: TraceRow[]): void {
    this.rows.push(...rows);
    this.traces.push(...traces);
    this.uncommitted.rows.push(...rows);
    this.uncommitted.traces.push(...traces);
  }

  /** Create the trainer if there is none; false (and an error status) when that fails. */
  private async ensureTrainer(config: RunConfig, resume: Checkpoint | null, tag: string): Promise<boolean> {
    if (this.trainer) return true;
    this.tag = tag;
    this.status('loading', resume ? `Loading the checkpoint of step ${resume.step}` : 'Loading the model', resume?.step ?? 0);
    try {
      const state = resume ? decodeRunState(resume.bytes).state : null;
      const t = await Trainer.create(this.backend, config, this.hooks.weights(config.task), state ?? undefined);
      t.explainNext = this.explaining;
      this.trainer = t;
      if (state) t.loadState(state);
      this.trainLoop = this.loopFor(t, resume?.evalDone ?? false);
      if (this.trainLoop.evalDue) {
        this.status('loading', `Evaluating at step ${t.step}`, t.step);
        await this.trainLoop.evaluateIfDue();
      }
      return true;
    } catch (e) {
      this.fail(e);
      this.dropTrainer();
      return false;
    }
  }

  /** The loop's hooks: queue rows and traces, sample the pinned problem, checkpoint after evaluations and
   * at least every saveEveryMs, flush at most every flushMs. */
  private loopFor(t: Trainer, evalDone: boolean): TrainingLoop {
    return new TrainingLoop(t, {
      trained: async ({ metrics, traces, explanation }) => {
        this.record([metrics], traces);
        if (explanation) this.hooks.emit({ type: 'explain', tag: this.tag, explanation });
        if (this.pinned) this.probes.push(...(await probePinned(t, this.pinned)));
      },
      evaluated: async (row) => {
        this.record([row], []);
        this.flush();
        await this.checkpoint(t);
      },
      stepped: async (evaluated, dt) => {
        if (!evaluated && performance.now() - this.lastSave > this.saveEveryMs) {
          this.flush();
          await this.checkpoint(t);
        }
        this.secPerStep = this.secPerStep === null ? dt : 0.8 * this.secPerStep + 0.2 * dt;
        if (performance.now() - this.lastFlush >= this.flushMs) this.flush();
      },
    }, evalDone);
  }

  private async run(): Promise<void> {
    const t = this.trainer!;
    const loop = this.trainLoop!;
    this.status('running');
    try {
      while (this.running && !loop.finished) {
        await loop.step();
        await yieldToEvents(); // let pause() and pin() in
      }
      this.running = false;
      this.flush();
      await this.checkpoint(t);
      this.status(t.step >= t.config.steps ? 'done' : 'paused');
    } catch (e) {
      this.running = false;
      this.fail(e);
      this.dropTrainer(); // its state may be broken (NaN, a lost device): the next start resumes a checkpoint
    }
  }

  /** Send what is queued (always, even empty: it carries the step count). */
  flush(): void {
    const { batch, transfer } = encodeBatch(this.rows, this.traces, this.probes);
    this.rows = [];
    this.traces = [];
    this.probes = [];
    this.lastFlush = performance.now();
    this.hooks.emit({ type: 'batch', tag: this.tag, batch, step: this.currentStep, secPerStep: this.secPerStep }, transfer);
  }

  private async checkpoint(t: Trainer): Promise<void> {
    const bytes = encodeRunState(await t.saveState(), t.config);
    this.lastSave = performance.now();
    const checkpoint: Checkpoint = { step: t.step, evalDone: this.trainLoop?.evalDone ?? false, bytes };
    const status = t.step >= t.config.steps ? 'done' : this.running ? 'running' : 'paused';
    await this.hooks.commit?.({ tag: this.tag, checkpoint, status, ...this.uncommitted });
    this.uncommitted = { rows: [], traces: [] };
    this.hooks.emit({ type: 'checkpoint', tag: this.tag, checkpoint }, [bytes.buffer as ArrayBuffer]);
  }

  private status(status: LabStatus, message: string | null = null, step = this.currentStep): void {
    this.hooks.emit({ type: 'status', tag: this.tag, status, step, message });
  }

  private fail(e: unknown): void {
    this.flush();
    this.status('error', e instanceof Error ? e.message : String(e));
  }
}
