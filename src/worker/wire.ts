// Packing metric rows and traces into transferable buffers, and back. A batch's rows share one key list;
// numbers go into a Float64Array (NaN for null, a presence mask for keys a row lacks), traces into UTF-8 JSON, so the worker hands the page a few
// ArrayBuffers instead of structured-cloning thousands of small objects.
import type { MetricRow, TraceRow } from '../run/records';
import type { WireBatch } from './protocol';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeBatch(rows: readonly MetricRow[], traces: readonly TraceRow[], probes: readonly TraceRow[] = []): { batch: WireBatch; transfer: ArrayBuffer[] } {
  const keySet = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) if (k !== 'kind') keySet.add(k);
  const keys = [...keySet];
  const values = new Float64Array(rows.length * keys.length);
  const present = new Uint8Array(rows.length * keys.length);
  const kinds = new Uint8Array(rows.length);
  rows.forEach((r, i) => {
    kinds[i] = r.kind === 'eval' ? 1 : 0;
    keys.forEach((k, j) => {
      const v = r[k];
      values[i * keys.length + j] = typeof v === 'number' ? v : NaN;
      present[i * keys.length + j] = k in r ? 1 : 0;
    });
  });
  const tr = encoder.encode(JSON.stringify(traces));
  const pr = encoder.encode(JSON.stringify(probes));
  const batch: WireBatch = { keys, values, present, kinds, traces: tr, probes: pr };
  return { batch, transfer: [values.buffer, present.buffer, kinds.buffer, tr.buffer, pr.buffer] as ArrayBuffer[] };
}

export function decodeBatch(b: WireBatch): { rows: MetricRow[]; traces: TraceRow[]; probes: TraceRow[] } {
  const n = b.kinds.length;
  const K = b.keys.length;
  const rows: MetricRow[] = [];
  for (let i = 0; i < n; i++) {
    const row: MetricRow = { step: 0, kind: b.kinds[i] === 1 ? 'eval' : 'train' };
    for (let j = 0; j < K; j++) {
      if (!b.present[i * K + j]) continue;
      const v = b.values[i * K + j];
      row[b.keys[j]] = Number.isNaN(v) ? null : v;
    }
    rows.push(row);
  }
  return { rows, traces: JSON.parse(decoder.decode(b.traces)) as TraceRow[], probes: JSON.parse(decoder.decode(b.probes)) as TraceRow[] };
}
