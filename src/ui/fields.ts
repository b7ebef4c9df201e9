// The experiment panel's fields: a label and a one-line explanation for each knob people turn most, and
// the kind of input every config field needs (read from the schema, so new fields appear by themselves).
import { z } from 'zod';
import { RunConfigSchema, type RunConfig } from '../run/config';

export type FieldKey = keyof RunConfig;

export interface FieldDef {
  key: FieldKey;
  label: string;
  help: string;
}

export const VALUE_LABELS: Record<string, string> = {
  grpo: 'GRPO', grpo_extra: 'GRPO-extra (compute-matched)', lte: 'LTE: hints from own mistakes', denoise: 'DenoiseRL: recover from noisy prefixes',
  verifiable: 'Verifiable (clean)', flip: 'Flipped at random (noisy)', reward_model: 'Simulated reward model', rpr: 'Reasoning-pattern reward only',
  rpr_when_wrong: 'Correct, else reasoning pattern', rm_rpr: 'Reward model calibrated by RPR', self_consistency: 'Self-consistency (SRT)',
  weak: 'weak: pretrained tiny (105K)', weaker: 'weaker: pretrained micro (28K)', micro: 'micro, random init', tiny: 'tiny, random init',
  small: 'small, random init', base: 'base, random init', addition: 'Addition (column by column)', chain: 'Chain of operations',
};

const f = (key: FieldKey, label: string, help: string): FieldDef => ({ key, label, help });

export const MAIN_FIELDS: FieldDef[] = [
  f('task', 'Task', 'The synthetic problems: written step by step, each step checked.'),
  f('difficulty', 'Difficulty', 'More digits or operations: longer traces, more chances to slip.'),
  f('method', 'Method', 'How each prompt\'s group of samples is built and trained.'),
  f('reward', 'Reward', 'What the trainer is told about each sample (it may be noisy or never check the answer).'),
  f('model', 'Model size', 'The policy: a pretrained weak checkpoint, or a random init of a given size.'),
  f('groupSize', 'Group size G', 'Samples per prompt; advantages compare samples within a group.'),
  f('promptsPerStep', 'Batch (prompts)', 'Prompts per step; a step trains on prompts x G samples.'),
  f('lr', 'Learning rate', 'AdamW step size; noisy rewards need a smaller one (1e-3 collapses).'),
  f('beta', 'KL weight beta', 'Pull toward the initial policy (k3 estimator); 0 turns it off, as TRL does now.'),
  f('epsilonLow', 'Clip low', 'PPO clip below at 1 - eps; only matters with more than one update per batch.'),
  f('epsilonHigh', 'Clip high', 'PPO clip above at 1 + eps (DAPO uses 0.28).'),
  f('seed', 'Seed', 'Every random draw is keyed by (seed, step): same seed, same run.'),
  f('steps', 'Steps', 'Training steps in all.'),
  f('evalEvery', 'Evaluate every', 'Held-out Pass@k and recovery every this many steps.'),
];

/** Method and reward knobs, shown only when they apply. */
export function knobsFor(c: RunConfig): FieldDef[] {
  const out: FieldDef[] = [];
  if (c.reward === 'flip') {
    out.push(f('flipRate', 'Flip rate', 'Chance that a reward is flipped (right becomes wrong and back).'));
    out.push(f('flipMode', 'Flip per', 'One coin per prompt group (as the paper) or per completion.'));
  }
  if (c.reward === 'reward_model' || c.reward === 'rm_rpr') out.push(f('rmAccuracy', 'RM accuracy', 'How often the simulated reward model gives the true label.'));
  if (c.reward === 'self_consistency') {
    out.push(f('srtSoft', 'Soft votes', 'Reward = vote share of the answer instead of 0/1 agreement.'));
    out.push(f('srtThreshold', 'Consistency threshold', 'Skip prompts whose majority share is below this.'));
    out.push(f('srtKeepFraction', 'Keep fraction', 'Train only on this share of prompts, most consistent first.'));
  }
  if (c.method === 'lte') out.push(f('lteGamma', 'Shaping gamma', 'Hinted samples weigh r / (r + gamma); smaller is closer to on-policy.'));
  if (c.method === 'denoise') {
    out.push(f('denoiseK', 'Prefixed samples K', 'Samples per prompt that continue a wrong prefix (paper: 4).'));
    out.push(f('denoiseSource', 'Wrong-trace source', 'Where the wrong prefixes come from (a weaker model was best).'));
    out.push(f('denoiseRho', 'Prefix share rho', 'Share of the wrong trace given as prefix (0.2; longer ones cause over-thinking).'));
    out.push(f('denoiseRhoSampler', 'Rho sampler', 'A fixed rho, or drawn per sample.'));
    out.push(f('denoiseCurriculum', 'Rho curriculum', 'Adapt rho to the recovery gap (after the paper).'));
  }
  return out;
}

export type FieldKind = { kind: 'enum'; options: string[] } | { kind: 'number'; integer: boolean; min: number; max: number } | { kind: 'bool' };

export function fieldKind(key: FieldKey): FieldKind {
  const field = (RunConfigSchema.shape as Record<string, z.ZodTypeAny>)[key];
  const inner = (field as unknown as { def: { innerType?: z.ZodTypeAny } }).def.innerType ?? field;
  if (inner instanceof z.ZodEnum) return { kind: 'enum', options: inner.options as string[] };
  if (inner instanceof z.ZodBoolean) return { kind: 'bool' };
  const n = inner as z.ZodNumber;
  return { kind: 'number', integer: n.format === 'safeint', min: n.minValue ?? -Infinity, max: n.maxValue ?? Infinity };
}
