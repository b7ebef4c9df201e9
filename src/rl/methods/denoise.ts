// DenoiseRL (methods.md section 4): a pool of wrong traces built once before RL, noisy prefixes cut from
// them, the dynamic-rho curriculum, and the opt-in extras of the seed summary (labelled as such in the UI).
import { Rng } from '../../backend/rng';
import type { Decoder } from '../../model/decode';
import { CHARS, decode, encode, encodePrompt } from '../../tasks/tokenizer';
import type { Problem, Task } from '../../tasks/task';
import { rollout } from '../rollout';

export type DenoiseSource = 'initial' | 'weak' | 'random' | 'injected';
export type RhoSampler = 'fixed' | 'normal' | 'uniform';

export interface WrongTrace {
  text: string; // a complete wrong trace (steps and final answer)
  failures: number; // how often a continuation from this trace's prefix failed (valuable-errors weighting)
}

/** problem prompt -> its wrong traces */
export type WrongPool = Map<string, WrongTrace[]>;

export interface PoolSettings {
  source: DenoiseSource;
  samples: number; // M samples per problem (model sources)
  maxCompletionLength: number;
  seed: number;
}

/**
 * Build the pool for a list of training problems. Model sources sample M completions per problem at
 * temperature 1 and keep the parseable wrong ones; 'injected' corrupts the gold trace with the task's error
 * injector; 'random' draws random trace characters of the gold trace's length (the toy form of the paper's
 * 512 random tokens). `decoder` is the model the source names (the caller picks initial policy or weak model).
 */
export async function buildWrongPool(
  task: Task, problems: readonly Problem[], s: PoolSettings, decoder: Decoder | null, poolStep = 0,
): Promise<WrongPool> {
  const pool: WrongPool = new Map();
  const rng = new Rng(s.seed, 0xd0015e + poolStep);
  if (s.source === 'injected') {
    for (const p of problems) pool.set(p.prompt, [{ text: task.injectError(p, rng).text, failures: 0 }]);
    return pool;
  }
  if (s.source === 'random') {
    const traceChars = CHARS.replace(/[|~$]/g, ''); // hint markers never appear inside a trace
    for (const p of problems) {
      let text = '';
      for (let i = 0; i < p.gold.length; i++) text += rng.pick([...traceChars]);
      pool.set(p.prompt, [{ text, failures: 0 }]);
    }
    return pool;
  }
  if (!decoder) throw new Error(`denoise source ${s.source} needs a model to sample wrong traces from`);
  const reqs = problems.flatMap((p) => Array.from({ length: s.samples }, () => ({ context: encodePrompt(p.prompt), prefix: [] })));
  const outs = await rollout(decoder, reqs, {
    maxCompletionLength: s.maxCompletionLength, temperature: 1, topK: 0, seed: s.seed, step: 0x7001 + poolStep,
  });
  problems.forEach((p, i) => {
    const wrong: WrongTrace[] = [];
    const seen = new Set<string>();
    for (let j = 0; j < s.samples; j++) {
      const text = decode(outs[i * s.samples + j].completion);
      const v = task.verify(p, text);
      if (v.answer !== null && !v.correct && !seen.has(text)) { seen.add(text); wrong.push({ text, failures: 0 }); }
    }
    if (wrong.length > 0) pool.set(p.prompt, wrong);
  });
  return pool;
}

/** rho for one prefixed sample: fixed, normal(0.5, 0.2) clipped to [0.2, 0.8], or uniform on [0.2, 0.8]. */
export function sampleRho(sampler: RhoSampler, rho: number, rng: Rng): number {
  if (sampler === 'fixed') return rho;
  if (sampler === 'normal') return Math.min(0.8, Math.max(0.2, 0.5 + 0.2 * rng.normal()));
  return 0.2 + 0.6 * rng.next();
}

/** The first p = max(1, floor(rho * |w|)) tokens of a wrong trace. */
export function noisyPrefix(trace: string, rho: number): number[] {
  const tokens = encode(trace);
  const p = Math.max(1, Math.floor(rho * tokens.length));
  return tokens.slice(0, Math.min(p, tokens.length));
}

/** Pick a wrong trace: uniformly, or (valuable errors, opt-in) in proportion to 1 + past failed recoveries. */
export function pickWrongTrace(traces: readonly WrongTrace[], valuable: boolean, rng: Rng): WrongTrace {
  if (!valuable) return rng.pick(traces);
  const total = traces.reduce((a, t) => a + 1 + t.failures, 0);
  let u = rng.next() * total;
  for (const t of traces) {
    u -= 1 + t.failures;
    if (u <= 0) return t;
  }
  return traces[traces.length - 1];
}

/** The dynamic-rho curriculum of the code: rho <- clip(rho - 0.05 * (gap - 0.1), 0.1, 0.5). */
export function curriculumRho(rho: number, gap: number): number {
  return Math.min(0.5, Math.max(0.1, rho - 0.05 * (gap - 0.1)));
}

/**
 * Opt-in reward bonuses (seed summary, not in the published code), added to correct completions only:
 * efficiency: bonus * (1 - steps / most steps in the group); diversity: bonus * distinct correct traces / G.
 */
export function denoiseBonuses(
  texts: readonly string[], correct: readonly boolean[], stepCounts: readonly number[], efficiency: number, diversity: number,
): number[] {
  const G = texts.length;
  const maxSteps = Math.max(1, ...stepCounts);
  const distinctCorrect = new Set(texts.filter((_, i) => correct[i])).size;
  return texts.map((_, i) => {
    if (!correct[i]) return 0;
    return efficiency * (1 - stepCounts[i] / maxSteps) + diversity * (distinctCorrect / G);
  });
}

/** Serialise the pool for checkpoints (it may have been refreshed from a later policy). */
export function poolToJson(pool: WrongPool): [string, WrongTrace[]][] {
  return [...pool.entries()];
}

export function poolFromJson(entries: unknown): WrongPool {
  if (!Array.isArray(entries)) throw new Error('denoise pool: expected an array of [prompt, traces] entries');
  return new Map(entries as [string, WrongTrace[]][]);
}

