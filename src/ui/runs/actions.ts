// What the Runs tab and the Export / Import / Copy link buttons do: open, rename, delete, compare, export,
// import, and copy the experiment's link.
import { chartedSeries } from '../charts/catalog';
import { downloadBlob, fileSlug } from '../charts/exportChart';
import { isolate } from '../form';
import type { Lab } from '../lab';
import { addNotice, toggleOverlay } from '../store/labStore';
import { encodeRunFile, MAX_IMPORT_BYTES, parseRunFile, RunFileError } from '../../worker/runFile';

export async function openRun(lab: Lab, id: string): Promise<void> {
  const run = await lab.db?.load(id);
  if (!run) return addNotice(lab.store, 'That run is no longer stored.', 'warn');
  const s = lab.store.getState();
  if (s.status === 'running') await lab.remote.pause();
  await lab.remote.reset(); // the worker forgets the current trainer; Start resumes the opened run's checkpoint
  await lab.open(run, false);
  lab.store.setState((st) => ({ prefs: { ...st.prefs, tab: 'charts' } }));
}

export async function renameRun(lab: Lab, id: string, name: string): Promise<void> {
  const clean = name.trim().slice(0, 200);
  if (!clean || !lab.db) return;
  await lab.db.patchRun(id, { name: clean });
  if (lab.store.getState().runId === id) lab.store.setState({ runName: clean });
  lab.store.setState((s) => ({ overlays: s.overlays.map((o) => (o.id === id ? { ...o, name: clean } : o)) }));
  await lab.refreshRuns();
}

export async function deleteRun(lab: Lab, id: string): Promise<void> {
  if (!lab.db) return;
  if (lab.store.getState().runId === id) await lab.reset();
  await lab.db.delete(id);
  lab.store.setState((s) => ({ overlays: s.overlays.filter((o) => o.id !== id) }));
  await lab.refreshRuns();
}

export async function toggleCompare(lab: Lab, id: string): Promise<void> {
  const run = await lab.db?.load(id);
  if (!run) return;
  const next = toggleOverlay(lab.store.getState().overlays, { id, name: run.record.name, series: chartedSeries(run.series) });
  if (next === null) return addNotice(lab.store, 'At most four runs can be overlaid; remove one first.', 'info');
  lab.store.setState({ overlays: next });
}

/** Download a run as one .misstep.json file (the current run when no id is given). */
export async function exportRun(lab: Lab, id = lab.store.getState().runId): Promise<void> {
  if (!id || !lab.db) return addNotice(lab.store, 'There is no run to export yet: press Start first.', 'info');
  const run = await lab.db.load(id);
  if (!run) return;
  const text = encodeRunFile({
    name: run.record.name, createdAt: run.record.createdAt, config: run.record.config, series: run.series,
    traces: run.traces.length ? run.traces : run.record.latestTraces, checkpoint: run.checkpoint,
  });
  downloadBlob(new Blob([text], { type: 'application/json' }), `${fileSlug(run.record.name)}.misstep.json`);
}

/** Import a run file as a new run; a broken or foreign file is reported and stores nothing. */
export async function importRun(lab: Lab, file: File): Promise<boolean> {
  try {
    if (!lab.db) throw new RunFileError('Runs cannot be stored in this browser (IndexedDB is unavailable).');
    if (file.size > MAX_IMPORT_BYTES) parseRunFile('', file.size); // throws the size error before reading
    const run = parseRunFile(await file.text(), file.size);
    const id = crypto.randomUUID();
    const now = Date.now();
    const last = run.traces.length ? run.traces[run.traces.length - 1].step : -1;
    await lab.db.add({
      record: {
        id, name: `${run.name} (imported)`, createdAt: run.createdAt, updatedAt: now, config: run.config,
        step: run.checkpoint?.step ?? 0, status: 'paused', backend: null, latestTraces: run.traces.filter((t) => t.step === last),
      },
      series: run.series, traces: run.traces, checkpoint: run.checkpoint,
    });
    await lab.refreshRuns();
    addNotice(lab.store, `Imported “${isolate(run.name)}” (${run.series.train.length} steps). Open it from Runs.`, 'info');
    return true;
  } catch (e) {
    const msg = e instanceof RunFileError ? e.message : `The import failed: ${e instanceof Error ? e.message : String(e)}`;
    addNotice(lab.store, msg, 'error');
    return false;
  }
}

/** Copy the page's link (the whole experiment and its seed: url.ts), so someone else can run the same. */
export async function copyLink(lab: Lab): Promise<boolean> {
  const link = location.href;
  try {
    await navigator.clipboard.writeText(link);
    addNotice(lab.store, 'Link copied: it opens this experiment (every setting and the seed).', 'info', 4000);
    return true;
  } catch (e) {
    addNotice(lab.store, `The browser did not let the page copy (${e instanceof Error ? e.message : String(e)}); the link is the address bar's: ${link}`, 'warn');
    return false;
  }
}
