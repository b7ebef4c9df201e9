import { describe, expect, it } from 'vitest';
import type { MetricRow } from '../../src/run/records';
import {
  addNotice, canEdit, createLabStore, dismissNotice, initialState, MAX_OVERLAYS, PINNED_STEPS, rowsBefore, setPrefs, toggleOverlay, withBatch,
  type LabState, type OverlayRun,
} from '../../src/ui/store/labStore';
import { trace } from './fixtures';

const train = (step: number, extra: Partial<MetricRow> = {}): MetricRow => ({ step, kind: 'train', 'reward/clean': step / 10, ...extra });
const evalRow = (step: number): MetricRow => ({ step, kind: 'eval', 'eval/pass@1': 0.5 });

describe('lab store', () => {
  it('appends rows by kind and keeps the traces of the steps the retention keeps', () => {
    const s0 = initialState();
    const s = { ...s0, prefs: { ...s0.prefs, retention: { keepLast: 2, keepEvery: 3 } } };
    const a = { ...s, ...withBatch(s, [evalRow(0), train(0), train(1)], [trace(0, 0), trace(1, 0), trace(1, 1)], []) };
    expect(a.series.train.map((r) => r.step)).toEqual([0, 1]);
    expect(a.series.evals.map((r) => r.step)).toEqual([0]);
    expect(a.traces.map((t) => [t.step, t.group])).toEqual([[0, 0], [1, 0], [1, 1]]);
    const b = { ...a, ...withBatch(a, [train(2)], [], []) };
    expect(b.series.train).toHaveLength(3);
    expect(b.series.evals).toBe(a.series.evals); // untouched series keep their identity (charts skip a redraw)
    expect(b.traces).toBe(a.traces);
    // steps 2..5 arrive: the last 2 stay, and the multiples of 3 before them; a resent step replaces its rows
    let c: LabState = b;
    for (const step of [2, 3, 4, 5, 5]) c = { ...c, ...withBatch(c, [], [trace(step, 0), trace(step, 1)], []) };
    expect([...new Set(c.traces.map((t) => t.step))]).toEqual([0, 3, 4, 5]);
    expect(c.traces.filter((t) => t.step === 5)).toHaveLength(2);
  });

  it('keeps the pinned problem\'s samples of the last steps only', () => {
    let s: LabState = { ...initialState(), pinned: { prompt: '12+34=', gold: '46' } };
    for (let step = 1; step <= PINNED_STEPS + 5; step++) {
      s = { ...s, ...withBatch(s, [], [], [trace(step, -1), trace(step, -1), trace(step, -1, { prompt: '9+9=' })]) };
    }
    expect(new Set(s.pinnedHistory.map((t) => t.step)).size).toBe(PINNED_STEPS);
    expect(s.pinnedHistory.every((t) => t.prompt === '12+34=')).toBe(true);
    expect(s.pinnedHistory[0].step).toBe(6);
  });

  it('rewinds to a checkpoint like the CLI: train rows before it, its eval row only if done', () => {
    const series = { train: [0, 1, 2, 3, 4].map((i) => train(i)), evals: [evalRow(0), evalRow(2), evalRow(4)] };
    expect(rowsBefore(series, 2, true).train.map((r) => r.step)).toEqual([0, 1]);
    expect(rowsBefore(series, 2, true).evals.map((r) => r.step)).toEqual([0, 2]);
    expect(rowsBefore(series, 2, false).evals.map((r) => r.step)).toEqual([0]);
  });

  it('overlays at most four runs, and toggles', () => {
    const run = (id: string): OverlayRun => ({ id, name: id, series: { train: [], evals: [] } });
    let o: OverlayRun[] = [];
    for (let i = 0; i < MAX_OVERLAYS; i++) o = toggleOverlay(o, run(`r${i}`))!;
    expect(o).toHaveLength(MAX_OVERLAYS);
    expect(toggleOverlay(o, run('one-too-many'))).toBeNull();
    expect(toggleOverlay(o, run('r1'))!.map((x) => x.id)).toEqual(['r0', 'r2', 'r3']);
  });

  it('the experiment is editable only before a run has produced anything', () => {
    const s = initialState();
    expect(canEdit(s)).toBe(true);
    expect(canEdit({ ...s, status: 'running' })).toBe(false);
    expect(canEdit({ ...s, status: 'paused', step: 3 })).toBe(false);
    expect(canEdit({ ...s, series: { train: [], evals: [evalRow(0)] } })).toBe(false);
    expect(canEdit({ ...s, readOnly: true })).toBe(false); // another tab trains the shown run
  });

  it('notices are deduplicated and dismissable; prefs merge', () => {
    const store = createLabStore();
    addNotice(store, 'bad link');
    addNotice(store, 'bad link');
    addNotice(store, 'import failed', 'error');
    expect(store.getState().notices.map((n) => n.text)).toEqual(['bad link', 'import failed']);
    dismissNotice(store, store.getState().notices[0].id);
    expect(store.getState().notices.map((n) => n.tone)).toEqual(['error']);
    setPrefs(store, { smoothing: 0.9 });
    expect(store.getState().prefs).toMatchObject({ smoothing: 0.9, colorBy: 'logprob', tab: 'charts' });
  });
});
