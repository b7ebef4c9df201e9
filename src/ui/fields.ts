// The experiment panel's fields: a label and a one-line explanation for each knob people turn most, and
// the kind of input every config field needs (read from the schema, so new fields appear by themselves).
import { z } from 'zod';
import { METHOD_ABOUT } from '../rl/methods/about';
import { REWARD_ABOUT } from '../rl/rewards/about';
import { RunConfigSchema, type RunConfig } from '../run/config';

export type FieldKey = keyof RunConfig;

export interface FieldDef {
  key: FieldKey;
  label: string;
  help: string;
}

export const VALUE_LABELS: Record<string, string> = {
  ...Object.fromEntries([...METHOD_ABOUT, ...REWARD_ABOUT].map((a) => [a.name, a.label])),
  weak: 'weak: pretrained tiny (102K)', weaker: 'weaker: pretrained micro (28K)', micro: 'micro, random init', tiny: 'tiny, random init',
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

/** Method and reward knobs, shown only when they apply: the reward's, then the method's (from their About). */
export function knobsFor(c: RunConfig): FieldDef[] {
  const about = [REWARD_ABOUT.find((r) => r.name === c.reward), METHOD_ABOUT.find((m) => m.name === c.method)];
  return about.flatMap((a) => (a ? a.knobs.map((k) => f(k.key as FieldKey, k.label, k.help)) : []));
}

/** Whether the chosen method has knobs of its own (the panel then titles the knobs "Method knobs"). */
export function methodHasKnobs(c: RunConfig): boolean {
  return (METHOD_ABOUT.find((m) => m.name === c.method)?.knobs.length ?? 0) > 0;
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
