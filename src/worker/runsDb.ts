// Every run in IndexedDB: its record (config, name, step), its metric rows (appended in chunks), sampled
// traces, and its latest checkpoint. The page opens, lists, imports and deletes runs; the worker writes a
// training run, one transaction per checkpoint (commitStep), so the list's step, the rows and the checkpoint
// always agree. A run has one writer (the tab that holds its Web Lock, see src/ui/lab.ts); the record names
// it, and a commit from any other tab is refused. Imports are written in one transaction, so a failure stores nothing.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { RunConfig } from '../run/config';
import type { MetricRow, TraceRow } from '../run/records';
import type { Checkpoint, StepCommit } from './protocol';
import { DEFAULT_RETENTION, keepsStep, type TraceRetention } from './retention';

export interface Series {
  train: MetricRow[];
  evals: MetricRow[];
}

export interface RunRecord {
  id: string;
  name: string;
  createdAt: number;
  updatedAt: number;
  config: RunConfig;
  step: number;
  status: string;
  backend: string | null;
  latestTraces: TraceRow[];
  /** The tab allowed to write this run's training (its id; absent: any tab may claim it). */
  writer?: string;
  /** The preset the run's config came from, if any. */
  preset?: string | null;
}

export interface StoredRun {
  record: RunRecord;
  series: Series;
  traces: TraceRow[]; // sampled traces of every stored step, oldest first
  checkpoint: Checkpoint | null;
}

interface MisstepDB extends DBSchema {
  runs: { key: string; value: RunRecord };
  rows: { key: [string, number]; value: { runId: string; seq: number; rows: MetricRow[] } };
  traces: { key: [string, number]; value: { runId: string; step: number; rows: TraceRow[] } };
  checkpoints: { key: string; value: Checkpoint & { runId: string } };
}

/** Every tab hears on this channel when a run's step or status changed in the database. */
export const RUNS_CHANNEL = 'misstep.runs';
export interface RunsChannelMessage {
  id: string;
  step: number;
  status: string;
}

// Which steps' traces are stored: see retention.ts (each run's latest step is also kept in its record).
const DB_NAME = 'misstep';
const all = (id: string) => IDBKeyRange.bound([id, -Infinity], [id, Infinity]);
const from = (id: string, step: number) => IDBKeyRange.bound([id, step], [id, Infinity]);

export class RunsDb {
  private constructor(private readonly db: IDBPDatabase<MisstepDB>) {}

  static async open(name = DB_NAME): Promise<RunsDb> {
    const db = await openDB<MisstepDB>(name, 1, {
      upgrade(d) {
        d.createObjectStore('runs', { keyPath: 'id' });
        d.createObjectStore('rows', { keyPath: ['runId', 'seq'] });
        d.createObjectStore('traces', { keyPath: ['runId', 'step'] });
        d.createObjectStore('checkpoints', { keyPath: 'runId' });
      },
    });
    return new RunsDb(db);
  }

  async list(): Promise<RunRecord[]> {
    const runs = await this.db.getAll('runs');
    return runs.sort((a, b) => b.updatedAt - a.updatedAt);
  }

  get(id: string): Promise<RunRecord | undefined> {
    return this.db.get('runs', id);
  }

  async putRun(record: RunRecord): Promise<void> {
    await this.db.put('runs', record);
  }

  /** Change a record's fields; with `writer`, only while that tab is the run's writer. */
  async patchRun(id: string, patch: Partial<RunRecord>, writer?: string): Promise<void> {
    const tx = this.db.transaction('runs', 'readwrite');
    const rec = await tx.store.get(id);
    if (rec && (writer === undefined || rec.writer === writer)) await tx.store.put({ ...rec, ...patch, id, updatedAt: Date.now() });
    await tx.done;
  }

  /**
   * Store one checkpoint with the rows and traces since the previous one and the record's step and status,
   * in one transaction. Nothing is written when the run was deleted ('gone') or another tab is its writer
   * now ('taken').
   */
  async commitStep(writer: string, c: StepCommit, retention: TraceRetention = DEFAULT_RETENTION): Promise<'stored' | 'gone' | 'taken'> {
    const id = c.tag;
    const tx = this.db.transaction(['runs', 'rows', 'traces', 'checkpoints'], 'readwrite');
    const rec = await tx.objectStore('runs').get(id);
    if (!rec || rec.writer !== writer) {
      tx.abort();
      await tx.done.catch(() => undefined);
      return rec ? 'taken' : 'gone';
    }
    const ops: Promise<unknown>[] = [];
    if (c.rows.length) {
      const lastChunk = await tx.objectStore('rows').openKeyCursor(all(id), 'prev');
      const seq = lastChunk ? lastChunk.key[1] + 1 : 0;
      ops.push(tx.objectStore('rows').put({ runId: id, seq, rows: c.rows }));
    }
    const last = Math.max(-1, ...c.traces.map((t) => t.step));
    for (const step of new Set(c.traces.map((t) => t.step))) {
      if (keepsStep(step, last, retention)) ops.push(tx.objectStore('traces').put({ runId: id, step, rows: c.traces.filter((t) => t.step === step) }));
    }
    if (last >= 0) {
      // steps that have just fallen out of the recent window and are not one in keepEvery
      for (const key of await tx.objectStore('traces').getAllKeys(all(id))) {
        if (!keepsStep(key[1], last, retention)) ops.push(tx.objectStore('traces').delete(key));
      }
    }
    const latestTraces = last >= 0 ? c.traces.filter((t) => t.step === last) : rec.latestTraces;
    ops.push(tx.objectStore('checkpoints').put({ runId: id, ...c.checkpoint }));
    ops.push(tx.objectStore('runs').put({ ...rec, step: c.checkpoint.step, status: c.status, latestTraces, updatedAt: Date.now() }));
    await Promise.all(ops);
    await tx.done;
    return 'stored';
  }

  async load(id: string): Promise<StoredRun | null> {
    const record = await this.db.get('runs', id);
    if (!record) return null;
    const chunks = await this.db.getAll('rows', all(id));
    const rows = chunks.flatMap((c) => c.rows);
    const traceChunks = await this.db.getAll('traces', all(id));
    const ck = await this.db.get('checkpoints', id);
    return {
      record,
      series: { train: rows.filter((r) => r.kind === 'train'), evals: rows.filter((r) => r.kind === 'eval') },
      traces: traceChunks.flatMap((c) => c.rows),
      checkpoint: ck ? { step: ck.step, evalDone: ck.evalDone, bytes: ck.bytes } : null,
    };
  }

  /** Keep only what a run resumed from its checkpoint at `step` would have (see rowsBefore); only its writer may. */
  async truncate(id: string, writer: string, series: Series, step: number, latestTraces: TraceRow[]): Promise<void> {
    const tx = this.db.transaction(['rows', 'traces', 'runs'], 'readwrite');
    if ((await tx.objectStore('runs').get(id))?.writer !== writer) {
      tx.abort();
      return tx.done.catch(() => undefined);
    }
    await tx.objectStore('rows').delete(all(id));
    await tx.objectStore('rows').put({ runId: id, seq: 0, rows: [...series.train, ...series.evals].sort((a, b) => a.step - b.step) });
    await tx.objectStore('traces').delete(from(id, step));
    const rec = await tx.objectStore('runs').get(id);
    if (rec) await tx.objectStore('runs').put({ ...rec, step, latestTraces, updatedAt: Date.now() });
    await tx.done;
  }

  async delete(id: string): Promise<void> {
    const tx = this.db.transaction(['runs', 'rows', 'traces', 'checkpoints'], 'readwrite');
    await Promise.all([
      tx.objectStore('runs').delete(id), tx.objectStore('rows').delete(all(id)),
      tx.objectStore('traces').delete(all(id)), tx.objectStore('checkpoints').delete(id),
    ]);
    await tx.done;
  }

  /** Store a whole run (an import) in one transaction. */
  async add(run: StoredRun): Promise<void> {
    const id = run.record.id;
    const tx = this.db.transaction(['runs', 'rows', 'traces', 'checkpoints'], 'readwrite');
    if (await tx.objectStore('runs').get(id)) throw new Error(`a run with id ${id} already exists`);
    const ops: Promise<unknown>[] = [
      tx.objectStore('runs').put(run.record),
      tx.objectStore('rows').put({ runId: id, seq: 0, rows: [...run.series.train, ...run.series.evals].sort((a, b) => a.step - b.step) }),
    ];
    const bySteps = new Map<number, TraceRow[]>();
    for (const t of run.traces) bySteps.set(t.step, [...(bySteps.get(t.step) ?? []), t]);
    for (const [step, rows] of bySteps) ops.push(tx.objectStore('traces').put({ runId: id, step, rows }));
    if (run.checkpoint) ops.push(tx.objectStore('checkpoints').put({ runId: id, ...run.checkpoint }));
    await Promise.all(ops);
    await tx.done;
  }
}
