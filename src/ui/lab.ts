// The lab controller: owns the worker (through comlink) and the runs database, turns worker events into
// store updates and stored rows, and carries out what the buttons ask. Components call it; they never
// talk to the worker or IndexedDB themselves.
import * as Comlink from 'comlink';
import { parseRunConfig, type RunConfig } from '../run/config';
import { PRESETS } from '../run/presets';
import type { TraceRow } from '../run/records';
import type { BackendChoice, Checkpoint, LabEvent, LabWorkerApi } from '../worker/protocol';
import { decodeBatch } from '../worker/wire';
import { deviceDefaults, matchPreset, presetConfig } from './config';
import { loadPrefs, savePrefs } from './prefs';
import { RunsDb, TRACE_EVERY, type StoredRun } from './runs/db';
import { addNotice, canEdit, rowsBefore, withBatch, type LabStore } from './store/labStore';
import { readUrl, writeUrl } from './url';

const CURRENT_RUN = 'misstep.currentRun';

export class Lab {
  readonly remote: Comlink.Remote<LabWorkerApi>;
  db: RunsDb | null = null;
  /** The current run's latest checkpoint (what Start resumes from when the worker has no trainer). */
  checkpoint: Checkpoint | null = null;

  constructor(readonly store: LabStore, worker: Worker) {
    this.remote = Comlink.wrap<LabWorkerApi>(worker);
    worker.addEventListener('error', (e) => addNotice(store, `The training worker failed: ${e.message}`, 'error'));
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
    const info = await this.remote.init(s.getState().backendChoice, new URL(`${import.meta.env.BASE_URL}checkpoints/`, location.href).href);
    const config = url.explicit ? url.config : parseRunConfig(deviceDefaults(info));
    s.setState({ backend: info, config });
    this.syncUrl();
    void this.remote.prefetch(config);
    await this.refreshRuns();
    const last = localStorage.getItem(CURRENT_RUN);
    const stored = last && this.db ? await this.db.load(last) : null;
    if (stored && (!url.explicit || sameConfig(stored.record.config, config))) this.show(stored);
  }

  syncUrl(): void {
    const { config, backendChoice } = this.store.getState();
    history.replaceState(history.state, '', `?${writeUrl(config, backendChoice)}${location.hash}`);
  }

  async refreshRuns(): Promise<void> {
    if (this.db) this.store.setState({ runs: await this.db.list() });
  }

  // ---- the experiment ----

  setConfig(patch: Partial<RunConfig>): void {
    const s = this.store.getState();
    if (!canEdit(s)) return;
    const config = parseRunConfig({ ...s.config, ...patch });
    this.store.setState({ config });
    this.syncUrl();
    void this.remote.prefetch(config);
  }

  applyPreset(name: string): void {
    const s = this.store.getState();
    if (!canEdit(s)) return;
    const config = presetConfig(name, s.backend, s.config);
    this.store.setState({ config });
    this.syncUrl();
    void this.remote.prefetch(config);
  }

  presetName(): string | null {
    const s = this.store.getState();
    return matchPreset(s.config, s.backend, PRESETS.map((p) => p.name));
  }

  // ---- controls ----

  private async ensureRun(): Promise<string> {
    const s = this.store.getState();
    if (s.runId && (this.checkpoint || s.series.train.length + s.series.evals.length === 0)) return s.runId;
    if (s.runId) this.clearRun(); // a run without a checkpoint (imported as a record only) cannot continue
    const id = crypto.randomUUID();
    const { config, backend } = this.store.getState();
    const preset = PRESETS.find((p) => p.name === this.presetName());
    const time = new Date().toTimeString().slice(0, 5);
    const name = `${preset ? preset.title : `${config.method}/${config.reward}`} · seed ${config.seed} · ${time}`;
    const now = Date.now();
    await this.db?.putRun({ id, name, createdAt: now, updatedAt: now, config, step: 0, status: 'idle', backend: backend?.kind ?? null, latestTraces: [] });
    localStorage.setItem(CURRENT_RUN, id);
    this.store.setState({ runId: id, runName: name });
    await this.refreshRuns();
    return id;
  }

  async start(): Promise<void> {
    const s = this.store.getState();
    if (s.status === 'running' || s.status === 'loading' || s.step >= s.config.steps) return;
    const id = await this.ensureRun();
    this.store.setState({ status: 'loading', statusMessage: 'Starting…' });
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
    if (s.status === 'running' || s.status === 'loading' || s.step >= s.config.steps) return;
    const id = await this.ensureRun();
    this.store.setState({ status: 'loading', statusMessage: 'One step…' });
    await this.remote.step(this.store.getState().config, this.checkpoint, id);
  }

  /** Forget the current run in the view (it stays stored) and start over with the same experiment. */
  async reset(): Promise<void> {
    await this.remote.reset();
    this.clearRun();
  }

  private clearRun(): void {
    this.checkpoint = null;
    localStorage.removeItem(CURRENT_RUN);
    this.store.setState({
      runId: null, runName: '', status: 'idle', statusMessage: null, step: 0, secPerStep: null, checkpointStep: null,
      series: { train: [], evals: [] }, traces: [], deviceLost: null,
    });
    void this.pin(null);
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
    if (this.store.getState().runId) await this.rewindToCheckpoint('Switched backend');
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
    this.store.setState({ series, traces, step: ck.step, status: error ? 'error' : 'paused', statusMessage });
    await this.db?.truncate(s.runId, series, ck.step, traces);
  }

  /** Show a stored run; Start continues it from its checkpoint. */
  show(run: StoredRun): void {
    const ck = run.checkpoint;
    const series = ck ? rowsBefore(run.series, ck.step, ck.evalDone) : run.series;
    const pool: TraceRow[] = run.record.latestTraces.length ? run.record.latestTraces : run.traces;
    const kept = ck ? pool.filter((t) => t.step < ck.step) : pool;
    const lastStep = Math.max(-1, ...kept.map((t) => t.step));
    const step = ck ? ck.step : Math.max(0, ...series.train.map((r) => r.step + 1));
    this.checkpoint = ck;
    localStorage.setItem(CURRENT_RUN, run.record.id);
    this.store.setState({
      runId: run.record.id, runName: run.record.name, config: run.record.config, series, traces: kept.filter((t) => t.step === lastStep),
      step, checkpointStep: ck?.step ?? null, secPerStep: null,
      status: step >= run.record.config.steps ? 'done' : ck ? 'paused' : 'idle',
      statusMessage: ck ? `Restored “${run.record.name}” at step ${ck.step}${step < run.record.config.steps ? ': press Start to continue' : ''}.` : null,
    });
    this.syncUrl();
    void this.pin(null);
    void this.remote.prefetch(run.record.config);
    if (ck && this.db) void this.db.truncate(run.record.id, series, ck.step, kept);
  }

  // ---- worker events ----

  private onEvent(ev: LabEvent): void {
    const s = this.store.getState();
    if (ev.type === 'backend') return this.store.setState({ backend: ev.info });
    if (ev.type === 'device-lost') return this.store.setState({ deviceLost: ev.message });
    if (ev.tag !== s.runId) return; // a late event of a run no longer shown
    const id = ev.tag;
    if (ev.type === 'status') {
      // after a device loss the engine's error is a symptom (a failed readback); say what happened instead
      const message = ev.status === 'error' && s.deviceLost ? 'The GPU device was lost.' : ev.message;
      this.store.setState({ status: ev.status, statusMessage: message, step: ev.step });
      if (ev.status === 'error' && !this.checkpoint && s.series.train.length + s.series.evals.length === 0) {
        // the run never began (a missing checkpoint file, a config the model cannot hold): keep no empty run
        localStorage.removeItem(CURRENT_RUN);
        this.store.setState({ runId: null, runName: '' });
        void this.db?.delete(id).then(() => this.refreshRuns());
        return;
      }
      if (ev.status === 'error' && this.checkpoint) void this.rewindToCheckpoint('Stopped', message);
      void this.db?.patchRun(id, { status: ev.status, step: ev.step }).then(() => this.refreshRuns());
    } else if (ev.type === 'checkpoint') {
      this.checkpoint = ev.checkpoint;
      this.store.setState({ checkpointStep: ev.checkpoint.step });
      void this.db?.putCheckpoint(id, ev.checkpoint);
    } else {
      const { rows, traces, probes } = decodeBatch(ev.batch);
      const update = withBatch(s, rows, traces, probes);
      this.store.setState({ ...update, step: ev.step, secPerStep: ev.secPerStep });
      if (!this.db) return;
      void this.db.appendRows(id, rows);
      const steps = new Set(traces.map((t) => t.step));
      for (const step of steps) if (step % TRACE_EVERY === 0) void this.db.putTraces(id, step, traces.filter((t) => t.step === step));
      if (rows.length || traces.length) void this.db.patchRun(id, { step: ev.step, ...(update.traces ? { latestTraces: update.traces } : {}) });
    }
  }
}

const sameConfig = (a: RunConfig, b: RunConfig) => (Object.keys(a) as (keyof RunConfig)[]).every((k) => a[k] === b[k]);
