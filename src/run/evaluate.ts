// Held-out evaluation: n samples per problem, Pass@k for k = 1, 2, 4, ..., n (unbiased estimator), and the
// recovery metrics of DenoiseRL on a fixed set of noisy prefixes. Evaluation never flips rewards: it uses
// the verifier's correctness only.
import type { Decoder } from '../model/decode';
import { decode, encodePrompt } from '../tasks/tokenizer';
import type { Problem, Task } from '../tasks/task';
import { passAtKCurve } from '../rl/metrics';
import { prefixHoldsError, recoveryKind } from '../rl/recovery';
import { rollout, type RolloutRequest } from '../rl/rollout';

export interface EvalSettings {
  samples: number; // n
  maxCompletionLength: number;
  temperature: number;
  topK: number;
  seed: number;
  step: number; // eval draws use their own stream (see EVAL_STREAM)
}

/** Eval draws never collide with training draws: they use step numbers from this offset up. */
export const EVAL_STREAM = 0x40000000;

export interface PassAtKResult {
  n: number;
  passAtK: Record<number, number>; // k -> mean pass@k over problems, k = 1, 2, 4, ..., n
  correctCounts: number[]; // per problem (the shipped manifests record them, so a test can re-measure them exactly)
}

export async function evaluatePassAtK(decoder: Decoder, task: Task, problems: readonly Problem[], s: EvalSettings): Promise<PassAtKResult> {
  const reqs: RolloutRequest[] = [];
  for (const p of problems) for (let i = 0; i < s.samples; i++) reqs.push({ context: encodePrompt(p.prompt), prefix: [] });
  const outs = await rollout(decoder, reqs, { ...s, step: EVAL_STREAM + s.step });
  const correctCounts = problems.map((p, i) => {
    let c = 0;
    for (let j = 0; j < s.samples; j++) if (task.verify(p, decode(outs[i * s.samples + j].completion)).correct) c++;
    return c;
  });
  const curve = passAtKCurve(correctCounts.map((c) => ({ n: s.samples, c })));
  return { n: s.samples, passAtK: Object.fromEntries(curve.map((p) => [p.k, p.passAtK])), correctCounts };
}

export interface NoisyPrefixCase {
  problem: Problem;
  prefix: number[]; // tokens of a wrong trace's first p tokens
}

export interface RecoveryResult {
  accBase: number; // accuracy without a prefix
  accNoise: number; // accuracy when continuing a noisy prefix: the recovery rate
  retractionRate: number; // ... reached by retracting a wrong step and redoing it right
  silentRate: number; // ... reached without such a retraction
  gap: number; // accBase - accNoise
  recoverability: number; // accNoise / accBase (null-safe: 0 when accBase is 0)
}

/**
 * DenoiseRL's recovery metrics on a fixed set of (problem, noisy prefix) cases, `samples` each way. Only cases
 * whose prefix holds a wrong step count (as in training, src/rl/recovery.ts).
 */
export async function evaluateRecovery(decoder: Decoder, task: Task, allCases: readonly NoisyPrefixCase[], s: EvalSettings): Promise<RecoveryResult> {
  const cases = allCases.filter((c) => prefixHoldsError(task.verify(c.problem, decode(c.prefix)).steps, c.prefix.length));
  if (cases.length === 0) return { accBase: 0, accNoise: 0, retractionRate: 0, silentRate: 0, gap: 0, recoverability: 0 };
  const reqs: RolloutRequest[] = [];
  for (const c of cases) {
    for (let i = 0; i < s.samples; i++) reqs.push({ context: encodePrompt(c.problem.prompt), prefix: [] });
    for (let i = 0; i < s.samples; i++) reqs.push({ context: encodePrompt(c.problem.prompt), prefix: c.prefix });
  }
  const outs = await rollout(decoder, reqs, { ...s, step: EVAL_STREAM + s.step, rowOffset: 1 << 20 });
  let base = 0;
  let noise = 0;
  let byRetraction = 0;
  cases.forEach((c, i) => {
    for (let j = 0; j < s.samples; j++) {
      const b = outs[i * 2 * s.samples + j];
      const n = outs[i * 2 * s.samples + s.samples + j];
      if (task.verify(c.problem, decode(b.completion)).correct) base++;
      const kind = recoveryKind(task.verify(c.problem, decode([...c.prefix, ...n.completion])), c.prefix.length);
      if (kind !== 'failed') noise++;
      if (kind === 'retraction') byRetraction++;
    }
  });
  const total = cases.length * s.samples;
  const accBase = base / total;
  const accNoise = noise / total;
  return {
    accBase, accNoise, retractionRate: byRetraction / total, silentRate: (noise - byRetraction) / total,
    gap: accBase - accNoise, recoverability: accBase > 0 ? accNoise / accBase : 0,
  };
}
