import { describe, expect, it } from 'vitest';
import type { MetricRow, TraceRow } from '../../src/run/records';
import { decodeBatch, encodeBatch } from '../../src/worker/wire';

describe('worker batches', () => {
  it('round-trip rows (null and missing kept apart) and traces, in transferable buffers', () => {
    const rows: MetricRow[] = [
      { step: 0, kind: 'eval', 'eval/pass@1': 0.25, 'eval/n': 4 },
      { step: 0, kind: 'train', 'reward/clean': 0.5, kl: null, tokens_per_s: 1234.5 },
      { step: 1, kind: 'train', 'reward/clean': 1 / 3, kl: null, tokens_per_s: 1e6 },
    ];
    const traces = [{ step: 0, prompt: '1+2=', logprobs: [-0.5, -1e-4] } as unknown as TraceRow];
    const { batch, transfer } = encodeBatch(rows, traces);
    expect(transfer.every((b) => b instanceof ArrayBuffer)).toBe(true);
    expect(transfer).toHaveLength(5);
    const back = decodeBatch(structuredClone(batch, { transfer }));
    expect(back.rows).toEqual(rows);
    expect(back.traces).toEqual(traces);
    expect(back.probes).toEqual([]);
  });

  it('an empty batch is fine', () => {
    const { batch } = encodeBatch([], []);
    expect(decodeBatch(batch)).toEqual({ rows: [], traces: [], probes: [] });
  });
});
