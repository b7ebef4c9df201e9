// Messages between the experiment runner and its worker threads.
import type { DoneRecord, Job } from './jobs';

export type ToWorker = { type: 'run'; job: Job } | { type: 'stop' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'step'; id: string; step: number }
  | { type: 'done'; id: string; done: DoneRecord }
  | { type: 'error'; id: string; message: string };
