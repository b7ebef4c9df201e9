// The evidence suites: each paper's central finding at toy scale (docs/methods.md describes each method).
// Budgets were chosen before looking at any outcome, from the measured step cost on a 2-core CPU, so that
// `--suite all` took about an hour with two workers (see docs/results.md, "Budget"); the compute-matched
// controls since added (GRPO with N + K samples, GRPO-extra at LTE's sample count, LTE with random-answer
// hints, DenoiseRL unmasked and with rho in steps) add 7 variants x 3 seeds to it. Settings shared by a
// suite's variants live in its `base`, so variants differ only in what the claim is about.
import type { RunConfigInput } from '../../run/config';
import type { Column, SuiteSpec } from './spec';

export const SEEDS = [1, 2, 3];

/**
 * All paper suites start from the shipped weak checkpoint on 3-digit addition (its Pass@1 is about 0.4).
 * The completion budget is the lab's default and the one its gates were measured with, 48 tokens: a trace
 * that retracts a step (`!` and the step again) needs about 40. At the 40 tokens used before the
 * checkpoints learned to retract, 156 of 1,024 held-out samples hit the cap and none of the 161 that wrote
 * a `!` could finish (63 do at 48); Pass@1 read 0.315 against 0.377 (seed 1, 128 problems x 8).
 */
const BASE: RunConfigInput = {
  task: 'addition', model: 'weak', difficulty: 3, promptsPerStep: 8, groupSize: 8, maxCompletionLength: 48,
  temperature: 1, evalProblems: 128, evalSamples: 8, evalPrefixProblems: 0, tracesPerStep: 0,
};

const evalCol = (label: string, metric: string, at: 'initial' | 'final' | 'delta'): Column => ({ label, metric, kind: 'eval', reduce: { at } });
const PASS1_0 = evalCol('Pass@1 before', 'eval/pass@1', 'initial');
const PASS1 = evalCol('Pass@1 after', 'eval/pass@1', 'final');
const DPASS1 = evalCol('Δ Pass@1', 'eval/pass@1', 'delta');
const PASS8_0 = evalCol('Pass@8 before', 'eval/pass@8', 'initial');
const PASS8 = evalCol('Pass@8 after', 'eval/pass@8', 'final');
const DPASS8 = evalCol('Δ Pass@8', 'eval/pass@8', 'delta');
const GREEDY = evalCol('greedy acc after', 'eval/greedy_acc', 'final');

/** The clean GRPO run: suite 1, and the gold-reward reference of the SRT suite (one set of runs, shared). */
const GRPO_RUN: RunConfigInput = { ...BASE, method: 'grpo', reward: 'verifiable', lr: 1e-4, steps: 150, evalEvery: 25 };

const grpo: SuiteSpec = {
  name: 'grpo',
  title: 'GRPO with clean rewards',
  claim: 'GRPO with a verifiable reward improves a weak policy: held-out Pass@1 rises (a NumPy prototype saw +0.13 to +0.26 within 100 steps at lr 3e-5..1e-4).',
  setup: 'GRPO, clean correctness reward, lr 1e-4 (the top of the range a NumPy prototype found safe), from the weak checkpoint.',
  base: GRPO_RUN,
  variants: [{ name: 'grpo', label: 'GRPO (clean)', config: {} }],
  seeds: SEEDS,
  columns: [PASS1_0, PASS1, DPASS1, PASS8_0, PASS8, DPASS8, evalCol('greedy acc before', 'eval/greedy_acc', 'initial'), GREEDY],
  charts: [
    { id: 'pass1', title: 'Held-out Pass@1 (sampled, T=1)', metric: 'eval/pass@1', kind: 'eval' },
    { id: 'pass8', title: 'Held-out Pass@8', metric: 'eval/pass@8', kind: 'eval' },
    { id: 'reward', title: 'Training reward (clean), 10-step average', metric: 'reward/clean', kind: 'train', smooth: 10 },
  ],
  comparisons: [
    { a: 'grpo', column: 2, claim: 'Pass@1 rises after GRPO' },
    { a: 'grpo', column: 5, claim: 'Pass@8 rises after GRPO' },
  ],
};

const noisy: SuiteSpec = {
  name: 'noisy',
  title: 'Noisy rewards and the reasoning-pattern reward (Lv et al. 2025)',
  claim: 'Flipping 40% of the rewards loses only a little against clean rewards (72% vs 75% on math); RPR alone, which never checks the answer, gets close to verified rewards; RPR calibrates a noisy reward model.',
  setup: 'GRPO from the weak checkpoint, one lr for every variant (5e-5: a NumPy prototype saw noisy rewards collapse at 1e-4). Flips are per prompt group (as in the paper\'s code). The reward models are simulated: right with probability 0.65 / 0.85 per completion.',
  base: { ...BASE, method: 'grpo', lr: 5e-5, steps: 70, evalEvery: 70 },
  variants: [
    { name: 'clean', label: 'clean (flip 0)', config: { reward: 'verifiable' } },
    { name: 'flip20', label: 'flip 0.2', config: { reward: 'flip', flipRate: 0.2, flipMode: 'group' } },
    { name: 'flip40', label: 'flip 0.4', config: { reward: 'flip', flipRate: 0.4, flipMode: 'group' } },
    { name: 'rm85', label: 'reward model 85%', config: { reward: 'reward_model', rmAccuracy: 0.85 } },
    { name: 'rm65', label: 'reward model 65%', config: { reward: 'reward_model', rmAccuracy: 0.65 } },
    { name: 'rpr', label: 'RPR only', config: { reward: 'rpr' } },
    { name: 'rm65_rpr', label: 'RM 65% + RPR calibration', config: { reward: 'rm_rpr', rmAccuracy: 0.65 } },
  ],
  seeds: SEEDS,
  columns: [PASS1_0, PASS1, DPASS1, PASS8, DPASS8, { label: 'observed reward (last 10 steps)', metric: 'reward/observed', kind: 'train', reduce: { at: 'lastWindow', window: 10 } }],
  charts: [
    { id: 'pass1', title: 'Held-out Pass@1', metric: 'eval/pass@1', kind: 'eval' },
    { id: 'clean-reward', title: 'Training accuracy (clean reward), 10-step average', metric: 'reward/clean', kind: 'train', smooth: 10 },
  ],
  comparisons: [
    { a: 'flip20', b: 'clean', column: 2, claim: '20% flips lose little' },
    { a: 'flip40', b: 'clean', column: 2, claim: '40% flips lose only a little (paper: -3 points of a +70 gain)' },
    { a: 'rpr', b: 'clean', column: 2, claim: 'RPR alone gets close to clean rewards' },
    { a: 'rm85', b: 'clean', column: 2, claim: 'an 85% reward model loses little' },
    { a: 'rm65_rpr', b: 'rm65', column: 2, claim: 'RPR calibration helps the 65% reward model' },
  ],
};

const SRT_TRAIN_WINDOW = 10;
const srt: SuiteSpec = {
  name: 'srt',
  title: 'Self-consistency rewards, SRT (Shafayat et al. 2025)',
  claim: 'Training on the majority answer first improves accuracy like gold labels, then can reward-hack: majority share climbs while pseudo-label and true accuracy collapse. An easy-first curriculum (the easiest third by majority share) delays or prevents it.',
  setup: 'GRPO with the self-consistency reward over a long run, lr 1e-4. "easy third": srtKeepFraction 0.33 keeps, in each batch, the third of the prompts with the highest majority share (the engine\'s only curriculum knob; the paper selects the easiest third of the dataset once, offline). A gold-reward run is the reference.',
  base: GRPO_RUN,
  variants: [
    { name: 'gold', label: 'gold reward (reference)', config: {}, sameAs: 'grpo/grpo' },
    { name: 'srt', label: 'SRT (all prompts)', config: { reward: 'self_consistency' } },
    { name: 'srt_easy', label: 'SRT, easy third per batch', config: { reward: 'self_consistency', srtKeepFraction: 0.33 } },
  ],
  seeds: SEEDS,
  columns: [
    PASS1_0, PASS1, DPASS1,
    { label: 'train accuracy, first 10 steps', metric: 'reward/clean', kind: 'train', reduce: { at: 'firstWindow', window: SRT_TRAIN_WINDOW } },
    { label: 'peak train accuracy (10-step avg)', metric: 'reward/clean', kind: 'train', reduce: { at: 'peak', window: SRT_TRAIN_WINDOW } },
    { label: 'rise (peak − first 10)', metric: 'reward/clean', kind: 'train', reduce: { at: 'rise', window: SRT_TRAIN_WINDOW } },
    { label: 'train accuracy, last 10 steps', metric: 'reward/clean', kind: 'train', reduce: { at: 'lastWindow', window: SRT_TRAIN_WINDOW } },
    { label: 'majority share, last 10', metric: 'srt/majority_share', kind: 'train', reduce: { at: 'lastWindow', window: SRT_TRAIN_WINDOW } },
    { label: 'pseudo-label acc, last 10', metric: 'srt/pseudo_label_acc', kind: 'train', reduce: { at: 'lastWindow', window: SRT_TRAIN_WINDOW } },
  ],
  charts: [
    { id: 'clean-acc', title: 'Training accuracy against gold (10-step average)', metric: 'reward/clean', kind: 'train', smooth: SRT_TRAIN_WINDOW },
    { id: 'pseudo-label-acc', title: 'Pseudo-label accuracy (majority == gold)', metric: 'srt/pseudo_label_acc', kind: 'train', smooth: SRT_TRAIN_WINDOW, variants: ['srt', 'srt_easy'] },
    { id: 'majority-share', title: 'Majority share of the group', metric: 'srt/majority_share', kind: 'train', smooth: SRT_TRAIN_WINDOW, variants: ['srt', 'srt_easy'] },
    { id: 'pass1', title: 'Held-out Pass@1', metric: 'eval/pass@1', kind: 'eval' },
  ],
  comparisons: [
    { a: 'srt', b: 'gold', column: 2, claim: 'SRT first tracks gold (compare the curves), ends below it' },
    { a: 'srt', column: 5, claim: 'SRT rises first (peak 10-step train accuracy above the first 10 steps)' },
    { a: 'srt', column: 2, claim: 'SRT improves held-out Pass@1 at all' },
    { a: 'srt_easy', b: 'srt', column: 2, claim: 'the easy-first curriculum helps' },
  ],
};

const lte: SuiteSpec = {
  name: 'lte',
  title: 'LTE: hints from the group\'s own wrong answers (arXiv 2510.26109)',
  claim: 'LTE beats GRPO on Pass@1 and more on Pass@k (+5.0 Pass@1, +10.0 Pass@k over GRPO), by solving problems GRPO stagnates on.',
  setup: 'Difficulty 4 (4-digit addition, the hardest the weak policy was pretrained on; difficulty 5 is out of its reach, Pass@1 = 0, and no hint can help there). At G = 8 only about 12% of the weak policy\'s groups are none-pass at d3 or d4 (measured over the first 10 steps), so this suite uses 16 prompts x G = 4 (the same 64 samples per step): more prompts whose whole group fails, which is the situation LTE is for. GRPO-extra adds G = 4 more unhinted samples to every prompt. lr 1e-4, maxCompletionLength 48 (a 4-digit trace is 43 tokens).',
  base: { ...BASE, difficulty: 4, promptsPerStep: 16, groupSize: 4, maxCompletionLength: 48, reward: 'verifiable', lr: 1e-4, steps: 60, evalEvery: 30 },
  variants: [
    { name: 'grpo', label: 'GRPO', config: { method: 'grpo' } },
    { name: 'grpo_extra', label: 'GRPO-extra (2G for every prompt)', config: { method: 'grpo_extra' } },
    { name: 'grpo_extra_matched', label: 'GRPO-extra, LTE\'s sample count', config: { method: 'grpo_extra', extraScope: 'none_pass' } },
    { name: 'lte', label: 'LTE', config: { method: 'lte' } },
    { name: 'lte_random', label: 'LTE, random-answer hints', config: { method: 'lte', lteHintSource: 'random' } },
  ],
  seeds: SEEDS,
  columns: [
    PASS1_0, PASS1, DPASS1, PASS8_0, PASS8, DPASS8,
    { label: 'solved fraction (end)', metric: 'stagnation/solved_frac', kind: 'train', reduce: { at: 'final' } },
    { label: 'none-pass share, first 10 steps', metric: 'stagnation/none_pass_frac', kind: 'train', reduce: { at: 'firstWindow', window: 10 } },
    { label: 'none-pass share, last 10 steps', metric: 'stagnation/none_pass_frac', kind: 'train', reduce: { at: 'lastWindow', window: 10 } },
    // the second round's yield: hinted groups (LTE) or resampled groups (GRPO-extra, LTE's count) with a right sample
    { label: 'hinted groups solved, first 10 steps', metric: 'lte/hinted_solve_rate', kind: 'train', reduce: { at: 'firstWindow', window: 10 } },
    { label: 'resampled groups solved, first 10 steps', metric: 'extra/resampled_solve_rate', kind: 'train', reduce: { at: 'firstWindow', window: 10 } },
  ],
  charts: [
    { id: 'solved', title: 'Share of training problems ever solved', metric: 'stagnation/solved_frac', kind: 'train' },
    { id: 'none-pass', title: 'None-pass groups per step (10-step average)', metric: 'stagnation/none_pass_frac', kind: 'train', smooth: 10 },
    { id: 'pass1', title: 'Held-out Pass@1', metric: 'eval/pass@1', kind: 'eval' },
    { id: 'pass8', title: 'Held-out Pass@8', metric: 'eval/pass@8', kind: 'eval' },
  ],
  comparisons: [
    { a: 'lte', b: 'grpo', column: 2, claim: 'LTE beats GRPO on Pass@1' },
    { a: 'lte', b: 'grpo', column: 5, claim: 'LTE beats GRPO on Pass@k, by more' },
    { a: 'lte', b: 'grpo_extra', column: 5, claim: 'LTE beats GRPO-extra (2G samples for every prompt) on Pass@k' },
    { a: 'lte', b: 'grpo_extra_matched', column: 2, claim: 'LTE beats GRPO-extra at the same sample count on Pass@1' },
    { a: 'lte', b: 'grpo_extra_matched', column: 5, claim: 'LTE beats GRPO-extra at the same sample count on Pass@k' },
    { a: 'lte', b: 'lte_random', column: 5, claim: 'the model\'s own wrong answers are what helps (random-answer hints do worse)' },
  ],
};

const denoise: SuiteSpec = {
  name: 'denoise',
  title: 'DenoiseRL: recovering from noisy prefixes (Xu et al. 2026)',
  claim: 'Recovery training beats GRPO; wrong prefixes from a smaller, weaker model work best (weak > frozen self > random tokens > GRPO); a large prefix ratio rho (0.5) hurts.',
  setup: 'N = 8 normal + K = 4 prefixed samples per prompt, prefix tokens masked out of the loss, lr 1e-4. Wrong-trace pool: 8 samples on each of the 512 training problems from the source. Sources: "weak" = the shipped smaller micro checkpoint (the paper\'s weak model), "initial" = the frozen pre-RL policy itself, "random" = random tokens, "injected" = the task\'s synthetic one-step errors. The prefix is cut right after the first wrong step (so it holds an error), except in the rho variants, which cut a share rho of the whole steps. Baselines: GRPO with G = 8, and GRPO with G = 12 (N + K samples, compute-matched). "unmasked" trains on the prefix tokens too (the paper\'s masking claim). Recovery is measured on 64 held-out problems with an injected wrong step as the prefix, 4 samples each, and counts only prefixes that hold an error.',
  base: {
    ...BASE, method: 'denoise', reward: 'verifiable', lr: 1e-4, steps: 50, evalEvery: 50, denoiseK: 4, denoiseRho: 0.2,
    // the pool covers the whole training set (512 problems): with fewer, most prompts would get no prefix
    denoisePoolProblems: 512, denoisePoolSamples: 8, evalPrefixProblems: 64,
  },
  variants: [
    { name: 'grpo', label: 'GRPO', config: { method: 'grpo' } },
    { name: 'grpo_nk', label: 'GRPO, N + K = 12 samples', config: { method: 'grpo', groupSize: 12 } },
    { name: 'weak', label: 'DenoiseRL, weak model', config: { denoiseSource: 'weak' } },
    { name: 'initial', label: 'DenoiseRL, frozen self', config: { denoiseSource: 'initial' } },
    { name: 'random', label: 'DenoiseRL, random tokens', config: { denoiseSource: 'random' } },
    { name: 'injected', label: 'DenoiseRL, injected errors', config: { denoiseSource: 'injected' } },
    { name: 'weak_unmasked', label: 'DenoiseRL, weak, prefix trained', config: { denoiseSource: 'weak', denoiseTrainPrefix: true } },
    { name: 'weak_rho02', label: 'DenoiseRL, weak, rho 0.2 of the steps', config: { denoiseSource: 'weak', denoiseCut: 'steps', denoiseRho: 0.2 } },
    { name: 'weak_rho05', label: 'DenoiseRL, weak, rho 0.5 of the steps', config: { denoiseSource: 'weak', denoiseCut: 'steps', denoiseRho: 0.5 } },
  ],
  seeds: SEEDS,
  columns: [
    PASS1_0, PASS1, DPASS1,
    evalCol('recovery rate before', 'eval/recovery/acc_noise', 'initial'),
    evalCol('recovery rate after', 'eval/recovery/acc_noise', 'final'),
    evalCol('recovery gap after', 'eval/recovery/gap', 'final'),
    { label: 'train recovery rate, last 10', metric: 'recovery/rate', kind: 'train', reduce: { at: 'lastWindow', window: 10 } },
    evalCol('recovery by retraction after', 'eval/recovery/retraction_rate', 'final'),
    { label: 'train recovery by retraction, last 10', metric: 'recovery/retraction_rate', kind: 'train', reduce: { at: 'lastWindow', window: 10 } },
    { label: 'train prefixes with an error', metric: 'recovery/prefix_error_frac', kind: 'train', reduce: { at: 'firstWindow', window: 10 } },
    { label: 'false retractions, last 10', metric: 'completions/false_retraction_ratio', kind: 'train', reduce: { at: 'lastWindow', window: 10 } },
  ],
  charts: [
    { id: 'recovery', title: 'Held-out recovery rate (accuracy after a noisy prefix)', metric: 'eval/recovery/acc_noise', kind: 'eval' },
    { id: 'pass1', title: 'Held-out Pass@1', metric: 'eval/pass@1', kind: 'eval' },
    { id: 'train-recovery', title: 'Training recovery rate, error prefixes only (10-step average)', metric: 'recovery/rate', kind: 'train', smooth: 10 },
    { id: 'recovery-retraction', title: 'Held-out recovery by retraction', metric: 'eval/recovery/retraction_rate', kind: 'eval' },
  ],
  comparisons: [
    { a: 'weak', b: 'grpo', column: 2, claim: 'recovery training beats GRPO on Pass@1' },
    { a: 'weak', b: 'grpo_nk', column: 2, claim: 'recovery training beats GRPO with the same N + K samples on Pass@1' },
    { a: 'weak', b: 'grpo_nk', column: 4, claim: 'recovery training raises the recovery rate over GRPO with the same samples' },
    { a: 'weak', b: 'grpo_nk', column: 7, claim: 'recovery training raises recovery by retraction' },
    { a: 'weak', b: 'initial', column: 2, claim: 'weak-model prefixes beat frozen-self prefixes' },
    { a: 'weak', b: 'random', column: 2, claim: 'weak-model prefixes beat random tokens' },
    { a: 'weak', b: 'weak_unmasked', column: 2, claim: 'masking the prefix matters (training on it hurts)' },
    { a: 'weak_rho05', b: 'weak_rho02', column: 2, claim: 'rho 0.5 hurts' },
  ],
};

/** One short run of each method/reward preset on the micro 'weaker' checkpoint: a CI check, not evidence. */
const smoke: SuiteSpec = {
  name: 'smoke',
  title: 'Smoke: every method runs and the report is written',
  claim: 'Not a claim: checks that every method produces finite metrics and that the result files are written.',
  setup: 'The micro "weaker" checkpoint, 4 steps of 4 prompts x 4 samples, tiny evals.',
  base: {
    task: 'addition', model: 'weaker', difficulty: 3, promptsPerStep: 4, groupSize: 4, maxCompletionLength: 36, lr: 1e-4,
    steps: 4, evalEvery: 2, evalProblems: 8, evalSamples: 4, evalPrefixProblems: 4, tracesPerStep: 0,
    denoiseK: 2, denoisePoolProblems: 512, denoisePoolSamples: 2,
  },
  variants: [
    { name: 'grpo', label: 'GRPO', config: { method: 'grpo' } },
    { name: 'flip', label: 'flip 0.4', config: { reward: 'flip', flipRate: 0.4 } },
    { name: 'rm_rpr', label: 'RM 65% + RPR', config: { reward: 'rm_rpr', rmAccuracy: 0.65 } },
    { name: 'srt', label: 'SRT', config: { reward: 'self_consistency', srtKeepFraction: 0.5 } },
    { name: 'grpo_extra', label: 'GRPO-extra', config: { method: 'grpo_extra' } },
    { name: 'lte', label: 'LTE', config: { method: 'lte' } },
    { name: 'denoise', label: 'DenoiseRL', config: { method: 'denoise', denoiseSource: 'weak' } },
  ],
  seeds: [1],
  columns: [PASS1_0, PASS1, { label: 'reward (last 2 steps)', metric: 'reward/clean', kind: 'train', reduce: { at: 'lastWindow', window: 2 } }],
  charts: [{ id: 'reward', title: 'Training reward', metric: 'reward/clean', kind: 'train' }],
  comparisons: [],
};

export const PAPER_SUITES: SuiteSpec[] = [grpo, noisy, srt, lte, denoise];
export const SUITES: SuiteSpec[] = [...PAPER_SUITES, smoke];

export function getSuite(name: string): SuiteSpec {
  const s = SUITES.find((x) => x.name === name);
  if (!s) throw new Error(`unknown suite ${JSON.stringify(name)}: expected one of ${SUITES.map((x) => x.name).join(', ')}, or all`);
  return s;
}
