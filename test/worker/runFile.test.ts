import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../../src/run/config';
import { encodeRunState } from '../../src/run/runState';
import { bytesToBase64, encodeRunFile, MAX_FILE_TRACES, MAX_IMPORT_BYTES, parseRunFile, RunFileError, type RunFile } from '../../src/worker/runFile';
import { trace } from '../ui/fixtures';

const config = parseRunConfig({ method: 'denoise', model: 'micro', steps: 5, seed: 3 });
const state = (step: number) => {
  const params = Float32Array.from({ length: 64 }, (_, i) => Math.sin(i));
  return { step, solved: [1, 5], method: { rho: 0.2, pool: null }, params, adam: { m: params.map((x) => x / 10), v: params.map((x) => x * x), t: step } };
};
const run = (): RunFile => ({
  name: 'my run', createdAt: 1700000000000, config,
  series: { train: [{ step: 0, kind: 'train', 'reward/clean': 0.25, kl: null }], evals: [{ step: 0, kind: 'eval', 'eval/pass@1': 0.5 }] },
  traces: [trace(0, 0), trace(0, 1, { flags: ['wrong_reason', 'retracted'] })], // the engine's flags survive a round trip
  checkpoint: { step: 1, evalDone: false, bytes: encodeRunState(state(1), config) },
});
const edit = (f: (o: Record<string, any>) => void): string => {
  const o = JSON.parse(encodeRunFile(run()));
  f(o);
  return JSON.stringify(o);
};
const fails = (text: string, message: RegExp, size?: number) => {
  expect(() => parseRunFile(text, size)).toThrow(RunFileError);
  expect(() => parseRunFile(text, size)).toThrow(message);
};

describe('run file export / import', () => {
  it('round-trips a run, checkpoint bytes included', () => {
    const back = parseRunFile(encodeRunFile(run()));
    const want = run();
    expect(back.config).toEqual(want.config);
    expect(back.series).toEqual(want.series);
    expect(back.traces).toEqual(want.traces);
    expect(back.checkpoint!.step).toBe(1);
    expect([...back.checkpoint!.bytes]).toEqual([...want.checkpoint!.bytes]);
  });

  it('caps traces at the newest MAX_FILE_TRACES', () => {
    const many = { ...run(), traces: Array.from({ length: MAX_FILE_TRACES + 10 }, (_, i) => trace(i, 0)) };
    const back = parseRunFile(encodeRunFile(many));
    expect(back.traces).toHaveLength(MAX_FILE_TRACES);
    expect(back.traces[0].step).toBe(10);
  });

  it('base64 handles large buffers in chunks', () => {
    const bytes = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 31) & 255);
    expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
  });

  it('refuses a file over the size limit before parsing', () => {
    fails('{}', /up to 20\.0 MB/, MAX_IMPORT_BYTES + 1);
  });

  it('says clearly what is wrong with foreign or broken files', () => {
    fails('not json at all', /not JSON/);
    fails('[1,2,3]', /not a Misstep run file/);
    fails(JSON.stringify({ format: 'something-else', version: 1 }), /not a Misstep run file/);
    fails(edit((o) => { o.version = 99; }), /version 99/);
    fails(edit((o) => { o.metrics = 'lots'; }), /damaged: metrics/);
    fails(edit((o) => { o.metrics[0].step = -1; }), /damaged: .*step must be a non-negative integer/);
    fails(edit((o) => { o.metrics[0].kind = 'other'; }), /kind must be train or eval/);
    fails(edit((o) => { o.traces[0].completion = 5; }), /damaged: traces\.0\.completion/);
    fails(edit((o) => { o.config.groupSize = 1000; }), /config is not valid: groupSize/);
    fails(edit((o) => { o.config.evil = true; }), /config is not valid: unknown field/);
    fails(edit((o) => { o.checkpoint.data = 'AAAA'; }), /checkpoint is damaged/);
    fails(edit((o) => { o.checkpoint.data = '<script>'; }), /damaged: checkpoint\.data/);
    fails(edit((o) => { o.checkpoint.step = 7; }), /checkpoint is damaged: it is at step 1, the file says 7/);
  });

  it('treats metric names as data: no prototype tricks get through', () => {
    fails(encodeRunFile(run()).replace('"reward/clean"', '"__proto__"'), /metric names/);
    fails(encodeRunFile(run()).replace('"reward/clean"', '"constructor"'), /metric names/);
    fails(encodeRunFile(run()).replace('"reward/clean"', '"a b"'), /metric names/);
    const back = parseRunFile(encodeRunFile(run()));
    expect(Object.getPrototypeOf(back.series.train[0])).toBe(Object.prototype);
  });

  it('a checkpoint holding NaN is refused', () => {
    const bad = state(1);
    bad.params[3] = NaN;
    const text = edit((o) => { o.checkpoint.data = bytesToBase64(encodeRunState(bad, config)); });
    fails(text, /checkpoint is damaged: .*NaN/);
  });
});
