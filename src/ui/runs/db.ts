// Every run in IndexedDB: its record (config, name, step), its metric rows (appended in chunks), sampled
// traces, and its latest checkpoint. Imports are written in one transaction, so a failure stores nothing.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { RunConfig } from '../../run/config';
import type { MetricRow, TraceRow } from '../../run/records';
import type { Checkpoint } from '../../worker/protocol';

/** A run's metric rows, split by kind. */
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

/** Traces of every TRACE_EVERY-th step are kept (plus each run's latest step, in its record). */
export const TRACE_EVERY = 5;
const DB_NAME = 'misstep';
const all = (id: string) => IDBKeyRange.bound([id, -Infinity], [id, Infinity]);
const from = (id: string, step: number) => IDBKeyRange.bound([id, step], [id, Infinity]);

export class RunsDb {
  private readonly seq = new Map<string, number>();

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

  async patchRun(id: string, patch: Partial<RunRecord>): Promise<void> {
    const tx = this.db.transaction('runs', 'readwrite');
    const rec = await tx.store.get(id);
    if (rec) await tx.store.put({ ...rec, ...patch, id, updatedAt: Date.now() });
    await tx.done;
  }

  private async nextSeq(id: string): Promise<number> {
    let s = this.seq.get(id);
    if (s === undefined) {
      const keys = await this.db.getAllKeys('rows', all(id));
      s = keys.length ? Math.max(...keys.map((k) => k[1])) + 1 : 0;
    }
    this.seq.set(id, s + 1);
    return s;
  }

  async appendRows(id: string, rows: MetricRow[]): Promise<void> {
    if (rows.length === 0) return;
    const seq = await this.nextSeq(id);
    await this.db.put('rows', { runId: id, seq, rows });
  }

  async putTraces(id: string, step: number, rows: TraceRow[]): Promise<void> {
    await this.db.put('traces', { runId: id, step, rows });
  }

  async putCheckpoint(id: string, ck: Checkpoint): Promise<void> {
    await this.db.put('checkpoints', { runId: id, ...ck });
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

  /** Keep only what a run resumed from its checkpoint at `step` would have (see rowsBefore). */
  async truncate(id: string, series: Series, step: number, latestTraces: TraceRow[]): Promise<void> {
    const tx = this.db.transaction(['rows', 'traces', 'runs'], 'readwrite');
    await tx.objectStore('rows').delete(all(id));
    await tx.objectStore('rows').put({ runId: id, seq: 0, rows: [...series.train, ...series.evals].sort((a, b) => a.step - b.step) });
    await tx.objectStore('traces').delete(from(id, step));
    const rec = await tx.objectStore('runs').get(id);
    if (rec) await tx.objectStore('runs').put({ ...rec, step, latestTraces, updatedAt: Date.now() });
    await tx.done;
    this.seq.set(id, 1);
  }

  async delete(id: string): Promise<void> {
    const tx = this.db.transaction(['runs', 'rows', 'traces', 'checkpoints'], 'readwrite');
    await Promise.all([
      tx.objectStore('runs').delete(id), tx.objectStore('rows').delete(all(id)),
      tx.objectStore('traces').delete(all(id)), tx.objectStore('checkpoints').delete(id),
    ]);
    await tx.done;
    this.seq.delete(id);
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
