// Every saved run: open (and resume), rename, delete, export, and overlay up to four on the charts.
import { useState } from 'react';
import type { RunRecord } from '../../worker/runsDb';
import { isolate } from '../form';
import { deleteRun, exportRun, openRun, renameRun, toggleCompare } from '../runs/actions';
import { MAX_OVERLAYS, useLab } from '../store/labStore';
import { useLabController } from './LabContext';

export function RunsPanel() {
  const runs = useLab((s) => s.runs);
  const overlays = useLab((s) => s.overlays);
  const current = useLab((s) => s.runId);
  return (
    <div className="runs">
      <p className="muted">
        Runs are saved in this browser as they train (config, metrics, sampled traces, latest checkpoint). Open one to
        look at it or continue it; tick up to {MAX_OVERLAYS} to overlay them on the charts.
      </p>
      {runs.length === 0 ? <p className="empty">No runs yet: press Start, or Import a run file.</p> : (
        <table className="runs-table">
          <thead>
            <tr><th scope="col">Compare</th><th scope="col">Run</th><th scope="col">Method</th><th scope="col">Step</th><th scope="col">Saved</th><th scope="col"><span className="sr-only">Actions</span></th></tr>
          </thead>
          <tbody>
            {runs.map((r) => <RunRow key={r.id} run={r} compared={overlays.some((o) => o.id === r.id)} current={r.id === current} />)}
          </tbody>
        </table>
      )}
    </div>
  );
}

function RunRow({ run, compared, current }: { run: RunRecord; compared: boolean; current: boolean }) {
  const lab = useLabController();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(run.name);
  const save = async () => {
    setEditing(false);
    if (name.trim() && name !== run.name) await renameRun(lab, run.id, name);
  };
  return (
    <tr className={current ? 'current' : undefined}>
      <td><input type="checkbox" checked={compared} aria-label={`Compare ${run.name}`} onChange={() => void toggleCompare(lab, run.id)} /></td>
      <td>
        {editing ? (
          <input type="text" value={name} aria-label="Run name" autoFocus onChange={(e) => setName(e.target.value)} onBlur={save}
            onKeyDown={(e) => { if (e.key === 'Enter') void save(); if (e.key === 'Escape') { setName(run.name); setEditing(false); } }} />
        ) : (
          <span className="run-title"><bdi>{run.name}</bdi>{current && <span className="badge">shown</span>}</span>
        )}
      </td>
      <td>{run.config.method} / {run.config.reward}</td>
      <td data-testid="run-step">{run.step} / {run.config.steps}</td>
      <td>{new Date(run.updatedAt).toLocaleString()}</td>
      <td className="row-actions">
        <button type="button" className="small" onClick={() => void openRun(lab, run.id)} aria-label={`Open ${run.name}`}>Open</button>
        <button type="button" className="small" onClick={() => { setName(run.name); setEditing(true); }} aria-label={`Rename ${run.name}`}>Rename</button>
        <button type="button" className="small" onClick={() => void exportRun(lab, run.id)} aria-label={`Export ${run.name}`}>Export file</button>
        <button type="button" className="small danger" aria-label={`Delete ${run.name}`}
          onClick={() => { if (confirm(`Delete “${isolate(run.name)}”? This cannot be undone.`)) void deleteRun(lab, run.id); }}>Delete</button>
      </td>
    </tr>
  );
}
