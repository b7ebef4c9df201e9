// The lab controller: owns the worker (through comlink) and the runs database, turns worker events into
// store updates, and carries out what the buttons ask. Components call it; they never talk to the worker or
// IndexedDB themselves.
//
// One run has one writer. The tab that shows a run holds the Web Lock "misstep.run.<id>" and writes its id
// into the run's record; the worker stores each step only while the record names this tab (runsDb.ts). A
// second tab that opens the same run gets no lock: it shows the run read-only and offers to take it over
// (stealing the lock, naming itself in the record); the first tab then stops and turns read-only.
import * as Comlink from 'comlink';
import { flushSync } from 'react-dom';
import { parseRunConfig, type RunConfig } from '../run/config';
import type { TraceRow } from '../run/records';
import type { BackendChoice, Checkpoint, LabEvent, LabWorkerApi, TraceRetention } from '../worker/protocol';
import { checkRetention, retainTraces } from '../worker/retention';
import { RUNS_CHANNEL, RunsDb, type RunsChannelMessage, type StoredRun } from '../worker/runsDb';
import { decodeBatch } from '../worker/wire';
import { deviceDefaults } from './config';
import { addMark } from './eta';
import { editField, matchPreset, presetConfig, presetLabel, runName, startBlockers } from './form';
import type { FieldKey } from './fields';
import { countSteps, measured } from './perf';
import { loadPrefs, savePrefs } from './prefs';
import { addNotice, canEdit, rowsBefore, withBatch, type LabStore } from './store/labStore';
import { MAX_QUERY_CHARS, readUrl, writeUrl } from './url';

/** The run this browser showed last (a fresh tab opens it). */
const LAST_RUN = 'misstep.currentRun';
/** The run this tab shows (a reload opens it again, and continues it if it was training). */
const TAB_RUN = 'misstep.tabRun';

const storage = (s: () => Storage) => {
  try {
    return s();
  } catch {
    return null; // storage disabled: runs are still saved, the page just does not reopen them by itself
  }
};

export class Lab {
  readonly remote: Comlink.Remote<LabWorkerApi>;
  db: RunsDb | null = null;
  /** The current run's latest checkpoint (what Start resumes from when the worker has no trainer). */
  checkpoint: Checkpoint | null = null;
  /** This page's id: the writer named in the records of the runs it trains. */
  readonly tabId = crypto.randomUUID();
  private held: { id: string; release(): void } | null = null;
  private readonly channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(RUNS_CHANNEL) : null;

  constructor(readonly store: LabStore, worker: Worker) {
    this.remote = Comlink.wrap<LabWorkerApi>(worker);
    worker.addEventListener('error', (e) => addNotice(store, `The training worker failed: ${e.message}`, 'error'));
    this.channel?.addEventListener('message', (e: MessageEvent<RunsChannelMessage>) => this.onRunStored(e.data));
  }

  async boot(search: string): Promise<void> {
    const s = this.store;
    s.setState({ prefs: { ...s.getState().prefs, ...loadPrefs() } });
    s.subscribe((now, before) => { if (now.prefs !== before.prefs) savePrefs(now.prefs); });
    const url = readUrl(search);
    for (const n of url.notices) addNotice(s, n, 'warn');
    s.setState({ backendChoice: url.backend ?? 'auto' });
    try {
      this.db = await RunsDb.open();
    } catch (e) {
      addNotice(s, `Runs cannot be saved in this browser (IndexedDB: ${e instanceof Error ? e.message : String(e)}).`, 'warn');
    }
    await this.remote.subscribe(Comlink.proxy((ev: LabEvent) => this.onEvent(ev)));
    const info = await this.remote.init(s.getState().backendChoice, new URL(`${import.meta.env.BASE_URL}checkpoints/`, location.href).href, this.tabId);
    await this.remote.setTraceRetention(s.getState().prefs.retention);
    const config = url.explicit ? url.config : parseRunConfig(deviceDefaults(info));
    s.setState({ backend: info, config, presetBase: url.preset ?? matchPreset(config, info) });
    this.syncUrl();
    void this.remote.prefetch(config);
    await this.refreshRuns();
    if (!this.db) return;
    // A reload reopens this tab's own run (and continues it if it was training). A link is the link's
    // experiment: only a bare address reopens the run this browser showed last.
    const mine = storage(() => sessionStorage)?.getItem(TAB_RUN);
    const stored = mine ? await this.db.load(mine) : null;
    if (stored && (!url.explicit || sameConfig(stored.record.config, config))) return this.open(stored, stored.record.status === 'running', 'wait');
    const last = url.explicit ? null : storage(() => localStorage)?.getItem(LAST_RUN);
    const lastRun = last ? await this.db.load(last) : null;
    if (lastRun) await this.open(lastRun, false);
  }

  syncUrl(): void {
    const { config, backendChoice } = this.store.getState();
    const query = writeUrl(config, backendChoice);
    if (query.length > MAX_QUERY_CHARS) {
      addNotice(this.store, `This experiment's link would be ${query.length} characters long; the lab writes links up to ${MAX_QUERY_CHARS}, so the address bar keeps the previous one.`, 'warn');
      return;
    }
    history.replaceState(history.state, '', `?${query}${location.hash}`);
  }

  async refreshRuns(): Promise<void> {
    if (this.db) this.store.setState({ runs: await this.db.list() });
  }

  // ---- the experiment ----

  /** A person edited a field (the text of a number box, or a select's or checkbox's value). */
  editField(key: FieldKey, raw: unknown): void {
    const s = this.store.getState();
    if (!canEdit(s)) return;
    const next = editField(s.config, s.drafts, key, raw);
    this.store.setState(next);
    if (next.config !== s.config) {
      this.syncUrl();
      void this.remote.prefetch(next.config);
    }
  }

  applyPreset(name: string): void {
    const s = this.store.getState();
    if (!canEdit(s)) return;
    const config = presetConfig(name, s.backend);
    this.store.setState({ config, drafts: {}, presetBase: name });
    this.syncUrl();
    void this.remote.prefetch(config);
  }

  /** Why Start cannot run now (empty: it can). */
  blockers(): string[] {
    return startBlockers(this.store.getState());
  }

  // ---- one writer per run (Web Locks) ----

  /**
   * Hold the run's lock and name this tab as its writer. 'try': only if free; 'wait': give a tab that is
   * going away (this tab's previous page, on a reload) a moment to let go; 'steal': take it from another tab.
   */
  private async claim(id: string, how: 'try' | 'wait' | 'steal' = 'try'): Promise<boolean> {
    if (this.held?.id === id) return true;
    this.release();
    const locks = (navigator as Navigator & { locks?: LockManager }).locks;
    if (!locks) return true; // no Web Locks (an old browser): one tab at a time is up to the person
    const got = await new Promise<boolean>((resolve) => {
      let release!: () => void;
      const hold = new Promise<void>((r) => { release = r; });
      const options: LockOptions = how === 'steal' ? { steal: true } : how === 'wait' ? { signal: AbortSignal.timeout(2000) } : { ifAvailable: true };
      locks.request(`misstep.run.${id}`, options, async (lock) => {
        if (!lock) return resolve(false);
        this.held = { id, release };
        resolve(true);
        await hold;
      }).catch(() => {
        resolve(false); // waited in vain (a no-op once resolved)
        // or stolen by another tab (AbortError): it trains the run now
        if (this.held?.id !== id) return;
        this.held = null;
        void this.lost(id);
      });
    });
    if (got) await this.db?.patchRun(id, { writer: this.tabId });
    return got;
  }

  private release(): void {
    this.held?.release();
    this.held = null;
  }

  /** Another tab took the shown run over: stop, and show it read-only. */
  private async lost(id: string): Promise<void> {
    if (this.store.getState().runId !== id) return;
    this.store.setState({ readOnly: true });
    await this.remote.pause();
    await this.remote.reset();
    this.store.setState({ status: 'paused', statusMessage: 'Another tab took this run over; this tab shows it read-only.', readOnly: true });
  }

  /** Train the shown run here: take it from the tab that has it, and continue from what that tab stored. */
  async takeOver(): Promise<void> {
    const id = this.store.getState().runId;
    if (!id || !this.db) return;
    await this.claim(id, 'steal');
    const run = await this.db.load(id);
    if (run) await this.open(run, false);
  }

  /** A run's step or status changed in the database (a worker of this or another tab stored a step). */
  private onRunStored(m: RunsChannelMessage): void {
    const s = this.store.getState();
    if (!s.runs.some((r) => r.id === m.id)) return void this.refreshRuns();
    measured('runs', () => flushSync(() => {
      this.store.setState({ runs: s.runs.map((r) => (r.id === m.id ? { ...r, step: m.step, status: m.status, updatedAt: Date.now() } : r)) });
    }));
    if (s.readOnly && s.runId === m.id) this.store.setState({ step: m.step, statusMessage: `Training in another tab: step ${m.step} stored. Take over to train it here.` });
  }

  // ---- controls ----

  private async ensureRun(): Promise<string> {
    const s = this.store.getState();
    if (s.runId && (this.checkpoint || s.series.train.length + s.series.evals.length === 0)) return s.runId;
    if (s.runId) this.clearRun(); // a run without a checkpoint (imported as a record only) cannot continue
    const id = crypto.randomUUID();
    const { config, backend, presetBase } = this.store.getState();
    await this.claim(id);
    const label = presetLabel(config, presetBase, backend).label;
    const existing = this.db ? (await this.db.list()).map((r) => r.name) : [];
    const name = runName(label, config.seed, existing);
    const now = Date.now();
    await this.db?.putRun({
      id, name, createdAt: now, updatedAt: now, config, step: 0, status: 'idle', backend: backend?.kind ?? null, latestTraces: [],
      writer: this.tabId, preset: presetBase,
    });
    this.remember(id);
    this.store.setState({ runId: id, runName: name });
    await this.refreshRuns();
    return id;
  }

  private remember(id: string): void {
    storage(() => sessionStorage)?.setItem(TAB_RUN, id);
    storage(() => localStorage)?.setItem(LAST_RUN, id);
  }

  async start(): Promise<void> {
    const s = this.store.getState();
    if (s.status === 'running' || s.status === 'loading' || this.blockers().length > 0) return;
    const id = await this.ensureRun();
    this.store.setState({ status: 'loading', statusMessage: 'Starting…', progress: [] });
    await this.remote.start(this.store.getState().config, this.checkpoint, id);
  }

  async pause(): Promise<void> {
    if (this.store.getState().status === 'running') await this.remote.pause();
  }

  async toggle(): Promise<void> {
    const st = this.store.getState().status;
    if (st === 'running') await this.pause();
    else if (st === 'idle' || st === 'paused') await this.start();
  }

  async step(): Promise<void> {
    const s = this.store.getState();
    if (s.status === 'running' || s.status === 'loading' || this.blockers().length > 0) return;
    const id = await this.ensureRun();
    this.store.setState({ status: 'loading', statusMessage: 'One step…', progress: [] });
    await this.remote.step(this.store.getState().config, this.checkpoint, id);
  }

  /** Forget the current run in the view (it stays stored) and start over with the same experiment. */
  async reset(): Promise<void> {
    await this.remote.reset();
    this.clearRun();
  }

  private clearRun(): void {
    this.checkpoint = null;
    this.release();
    storage(() => sessionStorage)?.removeItem(TAB_RUN);
    storage(() => localStorage)?.removeItem(LAST_RUN);
    this.store.setState({
      runId: null, runName: '', status: 'idle', statusMessage: null, step: 0, secPerStep: null, progress: [], checkpointStep: null,
      series: { train: [], evals: [] }, traces: [], explanation: null, deviceLost: null, readOnly: false, zoom: null,
    });
    void this.pin(null);
  }

  /** The step view is shown (lay each following step open) or closed (steps cost what they always did). */
  async explain(on: boolean): Promise<void> {
    await this.remote.explain(on);
  }

  /** Keep every step's traces for the last keepLast steps and one in keepEvery before (memory and storage). */
  async setRetention(r: TraceRetention): Promise<void> {
    const retention = checkRetention(r);
    this.store.setState((s) => ({ prefs: { ...s.prefs, retention }, traces: retainTraces(s.traces, retention) }));
    await this.remote.setTraceRetention(retention);
  }

  async pin(problem: { prompt: string; gold: string } | null): Promise<void> {
    this.store.setState({ pinned: problem, pinnedHistory: [] });
    await this.remote.pin(problem);
  }

  /** Switch backends; a run in progress continues from its checkpoint on the next Start. */
  async useBackend(choice: BackendChoice): Promise<void> {
    const s = this.store.getState();
    if (s.status === 'running' || s.status === 'loading') await this.remote.pause();
    const info = await this.remote.useBackend(choice);
    this.store.setState({ backend: info, backendChoice: choice, deviceLost: null });
    this.syncUrl();
    if (this.store.getState().runId && !this.store.getState().readOnly) await this.rewindToCheckpoint('Switched backend');
  }

  /** After a device loss: the CPU backend, from the last checkpoint. */
  async resumeOnCpu(): Promise<void> {
    await this.useBackend('cpu');
    await this.start();
  }

  /** Drop what came after the checkpoint (rows, traces) so a resumed run repeats an uninterrupted one. */
  private async rewindToCheckpoint(why: string, error: string | null = null): Promise<void> {
    const s = this.store.getState();
    const ck = this.checkpoint;
    if (!s.runId || !ck) return this.clearRun();
    const series = rowsBefore(s.series, ck.step, ck.evalDone);
    const traces = s.traces.filter((t) => t.step < ck.step);
    const statusMessage = `${error ? `${error} ` : ''}${why}: Start continues from step ${ck.step}.`;
    this.store.setState({ series, traces, step: ck.step, status: error ? 'error' : 'paused', statusMessage, progress: [] });
    const last = Math.max(-1, ...traces.map((t) => t.step));
    await this.db?.truncate(s.runId, this.tabId, series, ck.step, traces.filter((t) => t.step === last));
  }

  /**
   * Show a stored run; Start continues it from its checkpoint. Read-only while another tab trains it.
   * `resume`: continue training at once (a reload in the middle of a run).
   */
  async open(run: StoredRun, resume: boolean, claim: 'try' | 'wait' = 'try'): Promise<void> {
    const id = run.record.id;
    const writable = await this.claim(id, claim);
    const ck = run.checkpoint;
    const series = ck ? rowsBefore(run.series, ck.step, ck.evalDone) : run.series;
    // the stored steps, and the latest step from the record when the retention did not store it
    const latest = new Set(run.record.latestTraces.map((t) => t.step));
    const pool: TraceRow[] = [...run.traces.filter((t) => !latest.has(t.step)), ...run.record.latestTraces].sort((a, b) => a.step - b.step);
    const kept = ck ? pool.filter((t) => t.step < ck.step) : pool;
    const lastStep = Math.max(-1, ...kept.map((t) => t.step));
    const step = ck ? ck.step : Math.max(0, ...series.train.map((r) => r.step + 1));
    const config = run.record.config;
    const finished = step >= config.steps;
    this.checkpoint = ck;
    this.remember(id);
    const message = !writable
      ? `“${run.record.name}” is being trained in another tab; this tab shows it read-only (step ${step}).`
      : ck ? `Restored “${run.record.name}” at step ${ck.step}${finished ? '' : resume ? ': continuing' : ': press Start to continue'}.` : null;
    this.store.setState({
      runId: id, runName: run.record.name, config, drafts: {}, presetBase: run.record.preset ?? matchPreset(config, this.store.getState().backend),
      series, traces: retainTraces(kept, this.store.getState().prefs.retention), explanation: null, step, checkpointStep: ck?.step ?? null, secPerStep: null, progress: [],
      status: finished ? 'done' : ck ? 'paused' : 'idle', statusMessage: message, readOnly: !writable,
    });
    this.syncUrl();
    void this.pin(null);
    void this.remote.prefetch(config);
    if (!writable) return;
    if (ck && this.db) await this.db.truncate(id, this.tabId, series, ck.step, kept.filter((t) => t.step === lastStep));
    if (resume && ck && !finished) await this.start();
  }

  // ---- worker events ----

  private onEvent(ev: LabEvent): void {
    const s = this.store.getState();
    if (ev.type === 'backend') return this.store.setState({ backend: ev.info });
    if (ev.type === 'device-lost') return this.store.setState({ deviceLost: ev.message });
    if (ev.tag !== s.runId) return; // a late event of a run no longer shown
    const id = ev.tag;
    if (ev.type === 'status') {
      if (s.readOnly) return; // stopped because another tab took the run over: lost() says so
      // after a device loss the engine's error is a symptom (a failed readback); say what happened instead
      const message = ev.status === 'error' && s.deviceLost ? 'The GPU device was lost.' : ev.message;
      this.store.setState({ status: ev.status, statusMessage: message, step: ev.step });
      if (ev.status !== 'error') return; // the worker stores every other status with its checkpoint
      if (!this.checkpoint && s.series.train.length + s.series.evals.length === 0) {
        // the run never began (a missing checkpoint file, a config the model cannot hold): keep no empty run
        storage(() => sessionStorage)?.removeItem(TAB_RUN);
        storage(() => localStorage)?.removeItem(LAST_RUN);
        this.release();
        this.store.setState({ runId: null, runName: '' });
        void this.db?.delete(id).then(() => this.refreshRuns());
        return;
      }
      if (this.checkpoint) void this.rewindToCheckpoint('Stopped', message);
      void this.db?.patchRun(id, { status: 'error' }, this.tabId).then(() => this.refreshRuns());
    } else if (ev.type === 'explain') {
      this.store.setState({ explanation: ev.explanation });
    } else if (ev.type === 'checkpoint') {
      this.checkpoint = ev.checkpoint; // already stored by the worker, with the rows it covers
      this.store.setState({ checkpointStep: ev.checkpoint.step });
    } else {
      // timed with the render it causes (flushSync), so the figure is the whole cost of a batch to the page
      countSteps(ev.step - s.step);
      measured('batch', () => flushSync(() => {
        const { rows, traces, probes } = decodeBatch(ev.batch);
        const update = withBatch(s, rows, traces, probes);
        this.store.setState({ ...update, step: ev.step, secPerStep: ev.secPerStep, progress: addMark(s.progress, { t: performance.now(), step: ev.step }) });
      }), s.prefs.tab); // the tab open: what the render drew
    }
  }
}

const sameConfig = (a: RunConfig, b: RunConfig) => (Object.keys(a) as (keyof RunConfig)[]).every((k) => a[k] === b[k]);
