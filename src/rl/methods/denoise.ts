// DenoiseRL: N normal samples and K that continue a noisy prefix cut from a weaker model's wrong trace,
// the prefix masked out of the loss. Here: the pool of wrong traces built once before RL, noisy prefixes cut
// from them, the dynamic-rho curriculum, the opt-in extras of the seed summary (labelled as such in the UI),
// and the method's hooks.
import { Rng } from '../../backend/rng';
import { Decoder } from '../../model/decode';
import { GPT } from '../../model/gpt';
import { CHARS, decode, encode, encodePrompt } from '../../tasks/tokenizer';
import type { Problem, StepVerdict, Task } from '../../tasks/task';
import type { About } from '../about';
import { rollout } from '../rollout';
import type { Method, MethodEnv } from './method';
import { bareRequests, type PlannedRequest, type WrongTrace } from './samples';

export const denoiseAbout = {
  name: 'denoise',
  label: 'DenoiseRL: recover from noisy prefixes',
  knobs: [
    { key: 'denoiseK', label: 'Prefixed samples K', help: 'Samples per prompt that continue a wrong prefix (paper: 4).' },
    { key: 'denoiseSource', label: 'Wrong-trace source', help: 'Where the wrong prefixes come from (a weaker model was best).' },
    { key: 'denoiseCut', label: 'Prefix cut', help: 'Where the prefix ends: after the first wrong step (first_error, so every prefix holds an error), after a rho share of the whole steps (steps), or after a rho share of the characters (tokens, the paper\'s cut; on short traces it mostly holds no error).' },
    { key: 'denoiseRho', label: 'Prefix share rho', help: 'Share of the wrong trace given as prefix, in whole steps or characters per the cut (0.2; longer ones cause over-thinking). first_error ignores it unless the trace has no wrong step.' },
    { key: 'denoiseRhoSampler', label: 'Rho sampler', help: 'A fixed rho, or drawn per sample.' },
    { key: 'denoiseCurriculum', label: 'Rho curriculum', help: 'Adapt rho to the recovery gap (after the paper).' },
    { key: 'denoiseTrainPrefix', label: 'Train on the prefix', help: 'Off (the paper): the forced prefix is masked out of the loss. On: its tokens are trained with the sample\'s advantage, to test the masking claim.' },
  ],
  metrics: ['denoise/rho'],
  charts: [
    {
      id: 'recovery-split', title: 'How recoveries happen', unit: true,
      help: 'Over prefixed samples whose prefix holds a wrong step: right answers reached by retracting it ("!") or silently; and retractions of right steps over all samples.',
      reading: 'Only prefixes that really hold a wrong step count. "by retraction" is what DenoiseRL is after: the model writes "!" and redoes the wrong step right. "silent" reaches the right answer without retracting: a second, compensating error or an answer that does not follow from the written columns, which is luck rather than recovery. "prefixes with an error" is the share of prefixes that hold one at all (a cut before the first wrong step trains nothing about recovery). "false retractions" are "!" after a step that was right: a model that learned to spam retractions shows them rising.',
      lines: [
        { metric: 'recovery/retraction_rate', label: 'by retraction', source: 'train' },
        { metric: 'recovery/silent_rate', label: 'silent', source: 'train' },
        { metric: 'recovery/prefix_error_frac', label: 'prefixes with an error', source: 'train', dashed: true },
        { metric: 'completions/false_retraction_ratio', label: 'false retractions', source: 'train', dashed: true },
      ],
    },
  ],
  learn: {
    title: 'DenoiseRL: recovering from a bad start',
    body: 'Part of each group does not start from scratch: it must continue a wrong trace written by a weaker model, cut right after its first wrong step (or, with the steps or tokens cut, after a share rho of it). The reward is for the whole answer, so the honest way to earn it is to notice the error and retract it ("!") before going on. The forced prefix is masked out of the loss: the model is never trained to write the mistake, only to recover from it. Watch "How recoveries happen": the recovery rate counts only prefixes that hold an error, split into recoveries by retraction and silent ones (right answer, error left standing). GRPO with N + K samples per prompt is the compute-matched baseline.',
    here: 'Here: the shipped weak policy was pretrained with self-corrections, so it writes "!" after 11% of injected wrong steps and ends right through the retraction in 1.8% of them (before, 0); but it also retracts right steps (after 5.9% of correct ones). In a short run the inspector shows both: 20 steps (seed 1, CPU) gave 322 retracting traces of 3,840 and 24 redos of a wrong step, 7 ending right; the "recovered" filter finds them from the first step. The claim did not reproduce in the evidence suite (50 steps, 3 seeds): RL unlearns the habit, since a "!" here more often loses a right answer than saves a wrong one; held-out recovery by retraction fell from 0.014 to 0 and false retractions from 7% to 1.4%, under GRPO and DenoiseRL alike. Masking the prefix did matter (+0.045 Pass@1).',
  },
} as const satisfies About;

export type DenoiseSource = 'initial' | 'weak' | 'random' | 'injected';
export type DenoiseCut = 'first_error' | 'steps' | 'tokens';
export type RhoSampler = 'fixed' | 'normal' | 'uniform';

export type { WrongTrace };

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

/**
 * The forced prefix cut from a wrong trace, given the verifier's steps of it. `tokens`: the first
 * max(1, floor(rho * |w|)) characters (may end mid-step). `steps`: the first round(rho * S) of its S complete
 * steps (at least 1), cut right after a ';'. `first_error`: cut right after its first wrong step; a trace
 * whose written steps are all right (only its answer is wrong) is cut as `steps`. A trace with no complete
 * step (random characters without a ';') is cut as `tokens`.
 */
export function cutPrefix(trace: string, steps: readonly StepVerdict[], cut: DenoiseCut, rho: number): number[] {
  const complete = steps.filter((s) => trace[s.end] === ';');
  if (cut === 'tokens' || complete.length === 0) return noisyPrefix(trace, rho);
  const firstWrong = cut === 'first_error' ? complete.find((s) => !s.ok) : undefined;
  const k = Math.min(complete.length, Math.max(1, Math.round(rho * complete.length)));
  const last = firstWrong ?? complete[k - 1];
  return encode(trace.slice(0, last.end + 1));
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

/** The config fields DenoiseRL reads. */
export interface DenoiseSettings {
  denoiseK: number;
  denoiseSource: DenoiseSource;
  denoiseCut: DenoiseCut;
  denoiseRho: number;
  denoiseRhoSampler: RhoSampler;
  denoiseTrainPrefix: boolean;
  denoiseCurriculum: boolean;
  denoisePoolSamples: number;
  denoisePoolProblems: number;
  denoiseEfficiencyBonus: number;
  denoiseDiversityBonus: number;
  denoiseValuableErrors: boolean;
  denoisePoolRefreshEvery: number;
}

/** Build (or refresh) the wrong-trace pool from the configured source. */
async function poolFor(env: MethodEnv<DenoiseSettings>): Promise<WrongPool> {
  const c = env.config;
  const step = env.step();
  const problems = env.trainSet.slice(0, c.denoisePoolProblems);
  let decoder: Decoder | null = null;
  let temp: GPT | null = null;
  if (c.denoiseSource === 'initial' || (c.denoiseSource === 'weak' && step > 0)) decoder = env.decoder; // refresh: the current policy
  else if (c.denoiseSource === 'weak') {
    const ck = await env.weights('weaker'); // a smaller, weaker model than the policy (the paper's best source)
    temp = new GPT(env.backend, ck.config);
    env.backend.write(temp.params, ck.params);
    decoder = new Decoder(temp, env.decoder.maxB);
  }
  const pool = await buildWrongPool(env.task, problems, {
    source: c.denoiseSource, samples: c.denoisePoolSamples, maxCompletionLength: c.maxCompletionLength, seed: c.seed,
  }, decoder, step);
  if (temp) { decoder!.destroy(); temp.destroy(); }
  return pool;
}

export const denoise: Method<DenoiseSettings> = {
  rowsPerPrompt: (c) => c.groupSize + c.denoiseK,
  expectedRowsPerPrompt: (c) => c.groupSize + c.denoiseK,
  checkpoints: (c) => (c.denoiseSource === 'weak' ? ['weaker'] : []),
  async start(env) {
    const c = env.config;
    let rho = c.denoiseRho;
    let pool = await poolFor(env);
    return {
      async beforeStep(step) {
        if (c.denoisePoolRefreshEvery > 0 && step > 0 && step % c.denoisePoolRefreshEvery === 0) pool = await poolFor(env);
      },
      plan(problems, rng) {
        return problems.flatMap((p, group) => {
          const reqs: PlannedRequest[] = bareRequests(p, group, c.groupSize);
          const traces = pool.get(p.prompt);
          for (let i = 0; i < c.denoiseK; i++) {
            // no wrong trace: one more bare sample, counted apart from the N normal ones (like GRPO-extra's)
            if (!traces || traces.length === 0) { reqs.push(...bareRequests(p, group, 1, 'extra')); continue; }
            const w = pickWrongTrace(traces, c.denoiseValuableErrors, rng);
            const prefix = cutPrefix(w.text, env.task.verify(p, w.text).steps, c.denoiseCut, sampleRho(c.denoiseRhoSampler, rho, rng));
            reqs.push({ group, kind: 'prefixed', request: { context: reqs[0].request.context, prefix }, wrongTrace: w, trainPrefix: c.denoiseTrainPrefix });
          }
          return reqs;
        });
      },
      shapeRewards(samples, numGroups) {
        if (c.denoiseEfficiencyBonus <= 0 && c.denoiseDiversityBonus <= 0) return;
        for (let g = 0; g < numGroups; g++) {
          const group = samples.filter((s) => s.group === g);
          const bonus = denoiseBonuses(group.map((s) => s.text), group.map((s) => s.observed > 0), group.map((s) => s.verdict.steps.length), c.denoiseEfficiencyBonus, c.denoiseDiversityBonus);
          group.forEach((s, i) => { s.observed += bonus[i]; });
        }
      },
      metrics: () => ({ 'denoise/rho': rho }), // as the step used it: the curriculum moves it after
      afterStep(samples, metrics) {
        for (const s of samples) if (s.wrongTrace && s.clean === 0) s.wrongTrace.failures++;
        if (c.denoiseCurriculum && metrics['recovery/gap'] !== null) rho = curriculumRho(rho, metrics['recovery/gap'] as number);
      },
      saveState: () => ({ rho, pool: [...pool.entries()].map(([k, v]) => [k, v.map((w) => ({ ...w }))]) }),
      loadState(s) {
        rho = s.rho;
        if (s.pool) pool = new Map(s.pool);
      },
      get poolSize() {
        return [...pool.values()].reduce((a, t) => a + t.length, 0);
      },
    };
  },
};
