// Messages between the bench page and its worker, and what the page publishes for playwright.
import type { BenchPart, LongTasks, SoakFigures } from '../report';

export type BrowserPart = BenchPart & { main_thread_longtasks: LongTasks | null; training_loop: SoakFigures | null };
export type BrowserBenchReport = BrowserPart | { error: string };

export type WorkerMessage =
  | { kind: 'log'; text: string }
  | { kind: 'training'; running: boolean; steps: number } // the worker's training loop starts / ends
  | { kind: 'done'; part: BenchPart; loop: SoakFigures }
  | { kind: 'error'; error: string };

declare global {
  interface Window {
    __benchReport?: BrowserBenchReport;
    __benchLog?: string[];
  }
}
