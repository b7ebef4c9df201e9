// The shape of an experiment suite: which runs it makes (variants x seeds) and how its report reads them.
// Kept apart from the suite definitions so the runner, the report and the tests share one vocabulary.
import type { RunConfigInput } from '../../run/config';

export interface Variant {
  name: string; // directory name under runs/experiments/<suite>/
  label: string; // shown in tables and legends
  config: RunConfigInput; // on top of the suite's base config
  /**
   * '<suite>/<variant>': this variant is exactly that run of another suite (same config, checked by a test),
   * read from and written to the same directory, so it is computed once when both suites run.
   */
  sameAs?: string;
}

/**
 * Where a table cell's number comes from, per seed (then mean and spread over seeds):
 * - initial / final: the first / last eval row;
 * - delta: final minus initial eval;
 * - firstWindow / lastWindow: mean over the first / last `window` rows (train metrics are noisy per step);
 * - peak: the highest value of a metric over the run (train metrics: the best full `window`-step average);
 * - rise: peak minus the mean of the first `window` rows (did it go up before anything else happened?).
 */
export type Reduce =
  | { at: 'initial' | 'final' | 'delta' }
  | { at: 'firstWindow' | 'lastWindow'; window: number }
  | { at: 'peak' | 'rise'; window: number };

export interface Column {
  label: string;
  metric: string;
  kind: 'train' | 'eval';
  reduce: Reduce;
  digits?: number;
}

export interface ChartSpec {
  id: string; // file docs/results/<suite>-<id>.svg
  title: string;
  metric: string;
  kind: 'train' | 'eval';
  smooth?: number; // moving-average window over train steps
  variants?: string[]; // default: all
  yLabel?: string;
}

/** A paired (by seed) difference the claim is about, e.g. LTE minus GRPO on final Pass@8. */
export interface Comparison {
  a: string; // variant names
  b?: string; // absent: a's own value against 0 (for a before -> after delta)
  column: number; // index into the suite's columns
  claim: string; // what the paper says about this difference
}

export interface SuiteSpec {
  name: string;
  title: string;
  claim: string; // the paper's central claim, in one sentence
  setup: string; // what this suite runs and why these settings
  base: RunConfigInput;
  variants: Variant[];
  seeds: number[];
  columns: Column[];
  charts: ChartSpec[];
  comparisons: Comparison[];
}
