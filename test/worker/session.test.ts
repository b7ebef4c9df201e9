// The lab worker's training loop on the CPU backend with a micro model from random weights (no checkpoint
// files needed): evaluation and checkpoint schedule, pause, manual steps, exact resume, pinning, errors.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/backend/cpu';
import { parseRunConfig } from '../../src/run/config';
import type { MetricRow } from '../../src/run/records';
import type { Checkpoint, LabEvent, LabStatus, StepCommit } from '../../src/worker/protocol';
import { LabSession, type SessionHooks } from '../../src/worker/session';
import { decodeBatch } from '../../src/worker/wire';

const config = parseRunConfig({
  model: 'micro', promptsPerStep: 2, groupSize: 2, evalProblems: 4, evalSamples: 2, evalPrefixProblems: 2,
  tracesPerStep: 4, steps: 4, evalEvery: 2, seed: 5, lr: 1e-3,
});
const noWeights = () => async () => { throw new Error('no checkpoint files in this test'); };

function harness(extra: Partial<SessionHooks> = {}) {
  const events: LabEvent[] = [];
  const waiters: { status: LabStatus; resolve(): void }[] = [];
  const session = new LabSession(new CpuBackend(), {
    weights: noWeights, flushMs: 0, ...extra,
    emit(e) {
      events.push(e);
      if (e.type === 'status') for (const w of waiters.filter((x) => x.status === e.status)) w.resolve();
    },
  });
  const until = (status: LabStatus) => new Promise<void>((resolve) => waiters.push({ status, resolve }));
  const rows = () => events.flatMap((e) => (e.type === 'batch' ? decodeBatch(e.batch).rows : []));
  const traces = () => events.flatMap((e) => (e.type === 'batch' ? decodeBatch(e.batch).traces : []));
  const probes = () => events.flatMap((e) => (e.type === 'batch' ? decodeBatch(e.batch).probes : []));
  const checkpoints = () => events.flatMap((e) => (e.type === 'checkpoint' ? [e.checkpoint] : []));
  const statuses = () => events.flatMap((e) => (e.type === 'status' ? [e.status] : []));
  return { session, events, until, rows, traces, probes, checkpoints, statuses };
}

const TIMING = /time|tokens_per_s|gpu\//;
const stable = (rows: MetricRow[]) => rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !TIMING.test(k))));

describe('LabSession', () => {
  it('trains to the end: evals at 0, every evalEvery and the last step; a checkpoint after each', async () => {
    const h = harness();
    const done = h.until('done');
    await h.session.start(config, null, 'run-a');
    await done;
    const rows = h.rows();
    expect(rows.filter((r) => r.kind === 'train').map((r) => r.step)).toEqual([0, 1, 2, 3]);
    expect(rows.filter((r) => r.kind === 'eval').map((r) => r.step)).toEqual([0, 2, 4]);
    expect(h.checkpoints().map((c) => [c.step, c.evalDone])).toEqual([[0, true], [2, true], [4, true], [4, true]]);
    expect(h.statuses()).toEqual(['loading', 'loading', 'running', 'done']);
    expect(h.events.every((e) => !('tag' in e) || e.tag === 'run-a')).toBe(true);
    expect(h.traces().length).toBeGreaterThan(0);
    const lastBatch = h.events.filter((e) => e.type === 'batch').pop()!;
    expect(lastBatch.type === 'batch' && lastBatch.step).toBe(4);
  });

  it('a run paused and resumed from its checkpoint in a new worker repeats an uninterrupted one exactly', async () => {
    const a = harness();
    const doneA = a.until('done');
    await a.session.start(config, null, 'a');
    await doneA;

    const b = harness();
    await b.session.step(config, null, 'b'); // eval at 0, then step 0
    await b.session.step(config, null, 'b'); // step 1, eval at 2
    await b.session.step(config, null, 'b'); // step 2 (no eval due at 3)
    const ck: Checkpoint = b.checkpoints().pop()!;
    expect([ck.step, ck.evalDone]).toEqual([3, false]);

    const c = harness();
    const doneC = c.until('done');
    await c.session.start(config, ck, 'b');
    await doneC;
    expect(c.statuses()[0]).toBe('loading');
    const resumed = [...b.rows(), ...c.rows()];
    const byKey = (rs: MetricRow[]) => stable(rs).sort((x, y) => (x.step as number) - (y.step as number) || String(x.kind).localeCompare(String(y.kind)));
    expect(byKey(resumed)).toEqual(byKey(a.rows()));
  });

  it('pause stops after the current step and saves a checkpoint there', async () => {
    const h = harness();
    const long = { ...config, steps: 1000, evalEvery: 1000 };
    const running = h.until('running');
    await h.session.start(long, null, 'p');
    await running;
    while (h.rows().filter((r) => r.kind === 'train').length < 2) await new Promise((r) => setTimeout(r, 5));
    await h.session.pause();
    const trained = h.rows().filter((r) => r.kind === 'train').length;
    expect(h.statuses().pop()).toBe('paused');
    expect(h.checkpoints().pop()!.step).toBe(trained);
    expect(h.session.currentStep).toBe(trained);
    await h.session.reset();
    expect(h.session.currentStep).toBe(0);
    expect(h.statuses().pop()).toBe('idle');
  });

  it('samples the pinned problem after each step', async () => {
    const h = harness();
    await h.session.pin({ prompt: '347+285=', gold: '632' });
    await h.session.step(config, null, 'pin');
    const probes = h.probes();
    expect(probes).toHaveLength(2);
    expect(probes.every((p) => p.prompt === '347+285=' && p.step === 1 && p.group === -1)).toBe(true);
    await h.session.pin(null);
    await h.session.step(config, null, 'pin');
    expect(h.probes()).toHaveLength(2);
  });

  it('reports a failure to start as an error status and stays usable', async () => {
    const h = harness();
    await h.session.start({ ...config, model: 'weak' }, null, 'x');
    expect(h.statuses().pop()).toBe('error');
    const err = h.events.filter((e) => e.type === 'status').pop()!;
    expect(err.type === 'status' && err.message).toContain('no checkpoint files');
    const done = h.until('done');
    await h.session.start({ ...config, steps: 1 }, null, 'y');
    await done;
    expect(h.statuses().pop()).toBe('done');
  });

  it('with saveEveryMs 0 commits every step: each checkpoint with exactly the rows and traces it covers', async () => {
    const commits: StepCommit[] = [];
    const h = harness({ saveEveryMs: 0, commit: async (c) => { commits.push(c); } });
    const done = h.until('done');
    await h.session.start(config, null, 'c');
    await done;
    // a checkpoint after every step (a reload loses at most the step in flight), before the page hears of it
    expect(commits.map((c) => c.checkpoint.step)).toEqual([0, 1, 2, 3, 4, 4]);
    expect(commits.map((c) => c.status)).toEqual(['paused', 'running', 'running', 'running', 'done', 'done']);
    expect(h.checkpoints().map((c) => c.step)).toEqual(commits.map((c) => c.checkpoint.step));
    for (const c of commits) {
      const prev = commits[commits.indexOf(c) - 1]?.checkpoint.step ?? 0;
      // what a commit holds is what its checkpoint covers: train steps [prev, step), evals up to step
      expect(c.rows.every((r) => (r.kind === 'train' ? r.step >= prev && r.step < c.checkpoint.step : r.step <= c.checkpoint.step))).toBe(true);
      expect(c.traces.every((t) => t.step >= prev && t.step < c.checkpoint.step)).toBe(true);
    }
    // together the commits hold every row exactly once, as the page saw them
    expect(stable(commits.flatMap((c) => c.rows))).toEqual(stable(h.rows()));
    expect(commits.flatMap((c) => c.traces).length).toBe(h.traces().length);
  });

  it('a refused commit (another tab took the run over) stops training with its message', async () => {
    let n = 0;
    const h = harness({ saveEveryMs: 0, commit: async () => { if (++n === 3) throw new Error('Another tab took this run over'); } });
    const stopped = h.until('error');
    await h.session.start({ ...config, steps: 50 }, null, 'lost');
    await stopped;
    const err = h.events.filter((e) => e.type === 'status').pop()!;
    expect(err.type === 'status' && err.message).toBe('Another tab took this run over');
    expect(h.checkpoints().map((c) => c.step)).toEqual([0, 1]); // the refused checkpoint never reaches the page
    expect(h.session.currentStep).toBe(0); // the trainer is dropped: nothing more is written
  });

  it('lays steps open only while asked: an explain event per step, none after, and the same numbers', async () => {
    const plain = harness();
    const h = harness();
    await h.session.explain(true); // before the trainer exists: it applies to the one created next
    await plain.session.step(config, null, 'a');
    await h.session.step(config, null, 'a');
    await h.session.explain(false);
    await plain.session.step(config, null, 'a');
    await h.session.step(config, null, 'a');
    const explained = h.events.flatMap((e) => (e.type === 'explain' ? [e.explanation] : []));
    expect(explained.map((e) => e.step)).toEqual([0]);
    expect(explained[0].samples.length).toBe(config.promptsPerStep * config.groupSize);
    expect(stable(h.rows())).toEqual(stable(plain.rows()));
  });
});
