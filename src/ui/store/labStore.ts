// The lab's one store: the run (status, config, identity), its metric series and traces, the runs overlaid
// for comparison, and the person's preferences. Components read it with useLab(selector); the controller
// (../lab.ts) is the only writer besides small UI preferences.
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { RunConfig } from '../../run/config';
import type { MetricRow, TraceRow } from '../../run/records';
import type { TraceFlag } from '../../run/traceFlags';
import type { BackendChoice, BackendInfo, LabStatus, StepExplanation } from '../../worker/protocol';
import { DEFAULT_RETENTION, retainTraces, traceBytes, type TraceRetention } from '../../worker/retention';
import { SCHEMA_DEFAULTS } from '../config';
import type { ProgressMark } from '../eta';
import type { Drafts } from '../form';
import type { RunRecord, Series } from '../../worker/runsDb';
import type { ChartSeries } from '../charts/data';
import type { StepRange } from '../charts/downsample';

export type { Series };

export interface OverlayRun {
  id: string;
  name: string;
  series: ChartSeries; // what the charts draw of it (../charts/catalog.ts: chartedSeries)
}

/** 'failed' (a wrong answer) or one of the engine's trace flags. */
export type TraceFilter = 'failed' | TraceFlag;
export type Tab = 'charts' | 'inspector' | 'step' | 'runs' | 'learn';

export interface Notice {
  id: number;
  tone: 'info' | 'warn' | 'error';
  text: string;
}

export interface Prefs {
  smoothing: number; // EMA weight in [0, 0.99]
  colorBy: 'logprob' | 'advantage';
  tab: Tab;
  filters: TraceFilter[];
  retention: TraceRetention; // which steps' traces are kept (memory and the runs database)
}

export interface LabState {
  backend: BackendInfo | null;
  backendChoice: BackendChoice;
  config: RunConfig; // what Start runs: always valid
  drafts: Drafts; // fields shown with a value the config does not hold (yet), each with the reason
  presetBase: string | null; // the preset the config came from (the label says "Custom (from ...)" after edits)
  runId: string | null;
  /** Another tab trains this run: this tab shows it and writes nothing (see lab.ts, Web Locks). */
  readOnly: boolean;
  runName: string;
  status: LabStatus;
  statusMessage: string | null;
  step: number;
  secPerStep: number | null;
  progress: ProgressMark[]; // wall clock of the recent steps, for the ETA
  checkpointStep: number | null;
  series: Series;
  traces: TraceRow[]; // the sampled groups of every kept step (see prefs.retention), oldest first
  explanation: StepExplanation | null; // the last step laid open (while the step view is shown)
  pinned: { prompt: string; gold: string } | null;
  pinnedHistory: TraceRow[]; // fresh samples of the pinned problem, oldest first
  overlays: OverlayRun[];
  /** The step range every chart shows (a brush on any chart sets it); null: all steps. */
  zoom: StepRange | null;
  /** Lines a legend click hid, by chart (charts/legend.ts hiddenKey). */
  hidden: string[];
  runs: RunRecord[]; // every stored run, newest first
  notices: Notice[];
  deviceLost: string | null;
  prefs: Prefs;
}

export const MAX_OVERLAYS = 4;
/** How many steps of pinned-problem samples the inspector keeps. */
export const PINNED_STEPS = 12;

export const initialState = (): LabState => ({
  backend: null,
  backendChoice: 'auto',
  config: SCHEMA_DEFAULTS,
  drafts: {},
  presetBase: null,
  runId: null,
  readOnly: false,
  runName: '',
  status: 'idle',
  statusMessage: null,
  step: 0,
  secPerStep: null,
  progress: [],
  checkpointStep: null,
  series: { train: [], evals: [] },
  traces: [],
  explanation: null,
  pinned: null,
  pinnedHistory: [],
  overlays: [],
  zoom: null,
  hidden: [],
  runs: [],
  notices: [],
  deviceLost: null,
  prefs: { smoothing: 0.6, colorBy: 'logprob', tab: 'charts', filters: [], retention: DEFAULT_RETENTION },
});

export const createLabStore = () => createStore<LabState>()(() => initialState());
export type LabStore = ReturnType<typeof createLabStore>;

export const labStore = createLabStore();

export function useLab<T>(selector: (s: LabState) => T): T {
  return useStore(labStore, selector);
}

// ---- pure updates (unit-tested) ----

/** Append a batch of rows and traces: rows by kind; traces join the kept steps (a step sent again replaces
 * its old rows) and the retention prunes the rest. */
export function withBatch(s: LabState, rows: readonly MetricRow[], traces: readonly TraceRow[], probes: readonly TraceRow[]): Partial<LabState> {
  const out: Partial<LabState> = {};
  if (rows.length > 0) {
    const train = rows.filter((r) => r.kind === 'train');
    const evals = rows.filter((r) => r.kind === 'eval');
    out.series = {
      train: train.length ? [...s.series.train, ...train] : s.series.train,
      evals: evals.length ? [...s.series.evals, ...evals] : s.series.evals,
    };
  }
  if (traces.length > 0) {
    // each row's stored size measured as it arrives (a memo): the Inspector's storage note then sums known sizes;
    // opening it serialised every kept trace at once (6 ms of a 20-50 ms tab switch at step 1500)
    for (const t of traces) traceBytes(t);
    const fresh = new Set(traces.map((t) => t.step));
    out.traces = retainTraces([...s.traces.filter((t) => !fresh.has(t.step)), ...traces], s.prefs.retention);
  }
  if (probes.length > 0 && s.pinned) {
    const mine = probes.filter((p) => p.prompt === s.pinned!.prompt);
    const all = [...s.pinnedHistory, ...mine];
    const steps = [...new Set(all.map((p) => p.step))].slice(-PINNED_STEPS);
    out.pinnedHistory = all.filter((p) => steps.includes(p.step));
  }
  return out;
}

/** Rows a run keeps when it resumes from a checkpoint at `step` (as src/cli/train.ts does). */
export function rowsBefore(series: Series, step: number, evalDone: boolean): Series {
  return {
    train: series.train.filter((r) => r.step < step),
    evals: series.evals.filter((r) => r.step < step || (r.step === step && evalDone)),
  };
}

/** Toggle a run in the comparison overlay; refuses a fifth. */
export function toggleOverlay(overlays: readonly OverlayRun[], run: OverlayRun): OverlayRun[] | null {
  if (overlays.some((o) => o.id === run.id)) return overlays.filter((o) => o.id !== run.id);
  if (overlays.length >= MAX_OVERLAYS) return null;
  return [...overlays, run];
}

let nextNotice = 1;
/** Show a notice (once); info notices go away by themselves after a while. */
export function addNotice(store: LabStore, text: string, tone: Notice['tone'] = 'warn', infoMs = 12_000): void {
  if (store.getState().notices.some((n) => n.text === text)) return;
  const id = nextNotice++;
  store.setState((s) => ({ notices: [...s.notices, { id, tone, text }] }));
  if (tone === 'info') setTimeout(() => dismissNotice(store, id), infoMs);
}

export function dismissNotice(store: LabStore, id: number): void {
  store.setState((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
}

export function setPrefs(store: LabStore, patch: Partial<Prefs>): void {
  store.setState((s) => ({ prefs: { ...s.prefs, ...patch } }));
}

/** Whether the experiment can still be edited: no run has produced anything yet. */
export const canEdit = (s: LabState): boolean =>
  !s.readOnly && (s.status === 'idle' || s.status === 'error') && s.step === 0 && s.series.train.length === 0 && s.series.evals.length === 0;
