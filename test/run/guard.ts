// The bit-for-bit guard's run: a short training run of one preset, reduced to what must never move by
// accident. Metrics rows (timings dropped), a hash of the trace rows, and hashes of the final run state
// (parameters, AdamW moments, step, rho, solved set, DenoiseRL pool). It starts from copies of the weak
// checkpoints kept under test/fixtures/checkpoints/, so re-training the shipped ones does not move it.
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Backend } from '../../src/backend/backend';
import { nodeWeights } from '../../src/cli/nodeWeights';
import { parseRunConfig, type RunConfigInput } from '../../src/run/config';
import { getPreset } from '../../src/run/presets';
import type { MetricRow, TraceRow } from '../../src/run/records';
import { TrainingLoop } from '../../src/run/loop';
import { Trainer } from '../../src/run/trainer';

export const GUARD_CHECKPOINTS = fileURLToPath(new URL('../fixtures/checkpoints/', import.meta.url));
export const GUARD_FIXTURE = fileURLToPath(new URL('../fixtures/guard.json', import.meta.url));

/** Small enough to run every preset in seconds; evalEvery 2 puts an evaluation inside the run too. */
export const GUARD_SIZES: RunConfigInput = {
  seed: 1, trainProblems: 8, promptsPerStep: 3, groupSize: 4, denoiseK: 2, denoisePoolProblems: 8, denoisePoolSamples: 2,
  evalProblems: 4, evalSamples: 4, evalPrefixProblems: 2, tracesPerStep: 8, evalEvery: 2,
};

export interface GuardRecord {
  rows: MetricRow[];
  traces: string; // sha256 of the trace rows' fields as of the guard's creation
  state: { params: string; adamM: string; adamV: string; rest: string };
}

const TIMING = new Set(['step_time', 'tokens_per_s', 'time/rollout', 'time/reward', 'time/update']);
const sha = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
const f32 = (a: Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

// The trace fields the guard was recorded with: fields added later (e.g. verifier spans) do not move it.
const TRACE_FIELDS = [
  'step', 'group', 'kind', 'prompt', 'hint', 'prefix', 'completion', 'finished', 'answer', 'gold', 'correct', 'reward_clean',
  'reward_observed', 'flipped', 'advantage', 'trained', 'first_wrong_step', 'retractions', 'recovered_at', 'steps', 'logprobs',
] as const;

// Steps as recorded: the verifier's offsets (start, end) were added to trace rows after the guard.
const asRecorded = (s: TraceRow['steps'][number]) => ({ text: s.text, ok: s.ok, retracted: s.retracted, isRetraction: s.isRetraction });

/** Run `preset` for `steps` steps through the one training loop (eval at 0, every evalEvery and at the end). */
export async function guardRun(backend: Backend, preset: string, steps: number, over: RunConfigInput = {}): Promise<GuardRecord> {
  const config = parseRunConfig({ ...getPreset(preset).config, ...GUARD_SIZES, ...over, steps });
  const trainer = await Trainer.create(backend, config, nodeWeights(config.task, GUARD_CHECKPOINTS));
  const rows: MetricRow[] = [];
  const traces: TraceRow[] = [];
  try {
    await new TrainingLoop(trainer, {
      trained: (out) => { rows.push(out.metrics); traces.push(...out.traces); },
      evaluated: (row) => { rows.push(row); },
    }).run();
    const s = await trainer.saveState();
    const rest = JSON.stringify({ step: s.step, rho: s.method.rho, solved: s.solved, pool: s.method.pool, t: s.adam.t });
    return {
      rows: rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !TIMING.has(k))) as MetricRow),
      traces: sha(JSON.stringify(traces.map((t) => TRACE_FIELDS.map((k) => (k === 'steps' ? t.steps.map(asRecorded) : t[k]))))),
      state: { params: sha(f32(s.params)), adamM: sha(f32(s.adam.m)), adamV: sha(f32(s.adam.v)), rest: sha(rest) },
    };
  } finally {
    trainer.destroy();
  }
}
