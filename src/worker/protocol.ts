// What the lab worker and the page say to each other. Both sides import these types; neither imports the
// other's code. Metric rows and traces travel in batches as transferable buffers (see wire.ts).
import type { RunConfig } from '../run/config';
import type { MetricRow, TraceRow } from '../run/records';
import type { StepExplanation } from '../run/stepExplanation';
import type { TraceRetention } from './retention';

export type { StepExplanation, TraceRetention };

/** The WebGPU adapter, as shown in the lab's header. */
export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
}

export type BackendChoice = 'auto' | 'webgpu' | 'cpu';

export interface BackendInfo {
  kind: 'webgpu' | 'cpu';
  adapter: AdapterSummary | null;
  /** A software adapter (SwiftShader, lavapipe, llvmpipe, or isFallbackAdapter): slow, small defaults. */
  software: boolean;
  /** Why the CPU backend runs instead of WebGPU (null when WebGPU runs, or CPU was asked for). */
  fallbackReason: string | null;
  /** Milliseconds spent compiling the WebGPU pipelines (null on the CPU backend or before they are ready). */
  compileMs: number | null;
}

export type LabStatus = 'idle' | 'loading' | 'running' | 'paused' | 'done' | 'error';

/** A batch of metric rows and traces, packed for transfer (see wire.ts). */
export interface WireBatch {
  keys: string[]; // metric names, shared by every row of the batch
  values: Float64Array; // rows x keys, NaN for null
  present: Uint8Array; // rows x keys, 1 where the row has the key
  kinds: Uint8Array; // per row: 0 train, 1 eval
  traces: Uint8Array; // UTF-8 JSON of TraceRow[]
  probes: Uint8Array; // UTF-8 JSON of TraceRow[]: fresh samples of the pinned problem
}

/** A resumable state: runState.ts's safetensors bytes and whether the eval at that step is already done. */
export interface Checkpoint {
  step: number;
  evalDone: boolean;
  bytes: Uint8Array;
}

/** A checkpoint with everything logged since the previous one: what the worker stores in one transaction. */
export interface StepCommit {
  tag: string;
  checkpoint: Checkpoint;
  status: 'running' | 'paused' | 'done';
  rows: MetricRow[];
  traces: TraceRow[];
}

/** Events about a run carry the tag its start() or step() was given (the page's run id). */
export type LabEvent =
  | { type: 'batch'; tag: string; batch: WireBatch; step: number; secPerStep: number | null }
  | { type: 'status'; tag: string; status: LabStatus; step: number; message: string | null }
  | { type: 'checkpoint'; tag: string; checkpoint: Checkpoint }
  | { type: 'explain'; tag: string; explanation: StepExplanation }
  | { type: 'backend'; info: BackendInfo }
  | { type: 'device-lost'; message: string };

/** The worker's API (comlink). Commands are serialised: each waits for the previous one. */
export interface LabWorkerApi {
  /**
   * Pick a backend and report it. `checkpointBase` is the absolute URL of the checkpoints folder; `writer`
   * is the page's id, which a run's record must name for the worker's commits to it to be stored.
   */
  init(choice: BackendChoice, checkpointBase: string, writer: string): Promise<BackendInfo>;
  subscribe(listener: (event: LabEvent) => void): void;
  /**
   * Train until paused or done. Continues the worker's trainer when it has one; otherwise creates it, from
   * `resume` when given (a reloaded page, a run opened from the list, a switch of backend).
   */
  start(config: RunConfig, resume: Checkpoint | null, tag: string): Promise<void>;
  /** Stop after the current step; a checkpoint event follows. */
  pause(): Promise<void>;
  /** One step (and its evaluation when one is due) while paused, or to begin a fresh run. */
  step(config: RunConfig, resume: Checkpoint | null, tag: string): Promise<void>;
  /** Forget the trainer; the next start begins at step 0. */
  reset(): Promise<void>;
  /** Fetch the checkpoints a config needs now, so the lab keeps working if the network goes away. Never throws. */
  prefetch(config: RunConfig): Promise<void>;
  /** Sample the pinned problem after every step (null: stop). */
  pin(problem: { prompt: string; gold: string } | null): Promise<void>;
  /** Lay every following step open (the step view is shown) or stop (it is closed): an 'explain' event
   * follows each step while on. Off, a step costs what it always did. */
  explain(on: boolean): Promise<void>;
  /** Which steps' traces the runs database keeps (see retention.ts). */
  setTraceRetention(retention: TraceRetention): Promise<void>;
  /** For tests and demos: destroy the GPU device as a driver reset would (false on the CPU backend). */
  loseDevice(): Promise<boolean>;
  /** Switch backends (after a device loss: 'cpu'); the run must be restarted from a checkpoint. */
  useBackend(choice: BackendChoice): Promise<BackendInfo>;
}

