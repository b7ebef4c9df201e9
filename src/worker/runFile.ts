// The run file: one JSON envelope {format: 'misstep-run', version, name, config, metrics, traces (capped),
// checkpoint (base64 of runState.ts's safetensors bytes)}. Imports are parsed as data only, checked with zod
// and a size limit, and every problem is reported in words; nothing is stored unless all of it is valid.
import { z } from 'zod';
import { ConfigError, parseRunConfig, type RunConfig } from '../run/config';
import type { MetricRow, TraceRow } from '../run/records';
import { decodeRunState } from '../run/runState';
import { TRACE_FLAGS } from '../run/traceFlags';
import type { Checkpoint } from './protocol';
import type { Series } from './runsDb';

export const RUN_FORMAT = 'misstep-run';
export const RUN_VERSION = 1;
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
export const MAX_FILE_TRACES = 2000;

export class RunFileError extends Error {
  override readonly name = 'RunFileError';
}

export interface RunFile {
  name: string;
  createdAt: number;
  config: RunConfig;
  series: Series;
  traces: TraceRow[];
  checkpoint: Checkpoint | null;
}

const METRIC_KEY = /^[A-Za-z0-9_@/.\-]{1,64}$/;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const keysOk = (v: unknown): boolean =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).every((k) => METRIC_KEY.test(k) && !FORBIDDEN_KEYS.has(k));
// Keys are checked on the raw object first: a "__proto__" key would vanish (and null the prototype) in parsing.
const metricRow = z
  .custom<Record<string, unknown>>(keysOk, { message: 'metric names may only use letters, digits and _@/.-' })
  .pipe(z.record(z.string(), z.union([z.number(), z.string().max(200), z.null()])))
  .superRefine((row, ctx) => {
    if (!Number.isInteger(row.step) || (row.step as number) < 0) ctx.addIssue({ code: 'custom', message: 'step must be a non-negative integer' });
    if (row.kind !== 'train' && row.kind !== 'eval') ctx.addIssue({ code: 'custom', message: 'kind must be train or eval' });
  });
const text = (max: number) => z.string().max(max);
const traceRow = z.object({
  step: z.number().int().min(0), group: z.number().int(), kind: z.enum(['normal', 'extra', 'prefixed', 'hinted']),
  prompt: text(256), hint: text(256), prefix: text(4096), completion: text(4096), finished: z.boolean(),
  answer: text(64).nullable(), gold: text(64), correct: z.boolean(), reward_clean: z.number(), reward_observed: z.number(),
  flipped: z.boolean(), advantage: z.number(), trained: z.boolean(), first_wrong_step: z.number().int().nullable(),
  retractions: z.number().int(), recovered_at: z.number().int().nullable(),
  steps: z.array(z.object({
    text: text(4096), ok: z.boolean(), retracted: z.boolean(), isRetraction: z.boolean(),
    start: z.number().int().min(0).max(1e6).optional(), end: z.number().int().min(0).max(1e6).optional(),
  })).max(4096),
  answer_start: z.number().int().min(0).max(1e6).nullable().optional(),
  logprobs: z.array(z.number()).max(4096),
  flags: z.array(z.enum(TRACE_FLAGS)).max(TRACE_FLAGS.length).optional(),
});
const envelope = z.object({
  format: z.literal(RUN_FORMAT),
  version: z.literal(RUN_VERSION),
  name: text(200),
  createdAt: z.number(),
  config: z.unknown(),
  metrics: z.array(metricRow).max(1_000_000),
  traces: z.array(traceRow).max(MAX_FILE_TRACES),
  checkpoint: z.object({ step: z.number().int().min(0), evalDone: z.boolean(), data: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/) }).nullable(),
});

export function bytesToBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function base64ToBytes(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** The file's text. Traces are capped at MAX_FILE_TRACES, keeping the newest. */
export function encodeRunFile(run: RunFile): string {
  const metrics = [...run.series.train, ...run.series.evals].sort((a, b) => a.step - b.step || (a.kind === 'train' ? -1 : 1));
  return JSON.stringify({
    format: RUN_FORMAT, version: RUN_VERSION, name: run.name, createdAt: run.createdAt, config: run.config, metrics,
    traces: run.traces.slice(-MAX_FILE_TRACES),
    checkpoint: run.checkpoint ? { step: run.checkpoint.step, evalDone: run.checkpoint.evalDone, data: bytesToBase64(run.checkpoint.bytes) } : null,
  });
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** Parse and check a run file; throws RunFileError saying what is wrong. */
export function parseRunFile(textIn: string, byteSize = textIn.length): RunFile {
  if (byteSize > MAX_IMPORT_BYTES) throw new RunFileError(`The file is ${mb(byteSize)}; the lab imports run files up to ${mb(MAX_IMPORT_BYTES)}.`);
  let raw: unknown;
  try {
    raw = JSON.parse(textIn);
  } catch {
    throw new RunFileError('This is not a Misstep run file: it is not JSON.');
  }
  const head = raw as { format?: unknown; version?: unknown } | null;
  if (typeof head !== 'object' || head === null || head.format !== RUN_FORMAT) {
    throw new RunFileError(`This is not a Misstep run file (expected "format": "${RUN_FORMAT}").`);
  }
  if (head.version !== RUN_VERSION) {
    throw new RunFileError(`This run file has version ${JSON.stringify(head.version)}; this lab reads version ${RUN_VERSION}.`);
  }
  const r = envelope.safeParse(raw);
  if (!r.success) {
    const first = r.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'file'}: ${i.message}`);
    throw new RunFileError(`The run file is damaged: ${first.join('; ')}.`);
  }
  const f = r.data;
  let config: RunConfig;
  try {
    config = parseRunConfig(f.config);
  } catch (e) {
    throw new RunFileError(`The run file's config is not valid: ${e instanceof ConfigError ? e.problems.join('; ') : String(e)}.`);
  }
  let checkpoint: Checkpoint | null = null;
  if (f.checkpoint) {
    try {
      const bytes = base64ToBytes(f.checkpoint.data);
      const { state } = decodeRunState(bytes);
      if (state.step !== f.checkpoint.step) throw new Error(`it is at step ${state.step}, the file says ${f.checkpoint.step}`);
      if (state.step > config.steps) throw new Error(`it is at step ${state.step}, past the run's config.steps = ${config.steps} (a run cannot have trained more steps than it was set to)`);
      checkpoint = { step: f.checkpoint.step, evalDone: f.checkpoint.evalDone, bytes };
    } catch (e) {
      throw new RunFileError(`The run file's checkpoint is damaged: ${e instanceof Error ? e.message : String(e)}.`);
    }
  }
  const metrics = f.metrics as MetricRow[];
  return {
    name: f.name, createdAt: f.createdAt, config,
    series: { train: metrics.filter((m) => m.kind === 'train'), evals: metrics.filter((m) => m.kind === 'eval') },
    traces: f.traces, checkpoint,
  };
}
