// A run is described by one flat, validated config object. Flat so that every field round-trips through
// the CLI (`--set key=value`) and the lab's URL the same way. Names follow TRL's GRPOConfig where one exists.
import { z } from 'zod';
import { METHOD_NAMES } from '../rl/methods/about';
import { REWARD_NAMES } from '../rl/rewards/about';
import { TASK_NAMES } from '../tasks/about';

const num = (min: number, max: number) => z.number().min(min).max(max);
const int = (min: number, max: number) => z.number().int().min(min).max(max);

/**
 * Rules between fields, each named with both fields. They live in the schema, so the CLI, the lab's form,
 * its URL reader and its run-file importer all refuse the same combinations with the same words.
 */
interface CrossFieldRule {
  fields: readonly [string, string];
  applies(c: CrossFieldConfig): boolean;
  holds(c: CrossFieldConfig): boolean;
  message(c: CrossFieldConfig): string;
}
type CrossFieldConfig = { method: string; groupSize: number; denoiseK: number; denoisePoolProblems: number; trainProblems: number };

export const CROSS_FIELD_RULES: readonly CrossFieldRule[] = [
  {
    fields: ['denoiseK', 'groupSize'],
    applies: (c) => c.method === 'denoise',
    holds: (c) => c.denoiseK <= c.groupSize,
    message: (c) => `denoiseK = ${c.denoiseK} is more than groupSize = ${c.groupSize}: DenoiseRL's K prefixed samples may not outnumber its N normal samples`,
  },
  {
    fields: ['denoisePoolProblems', 'trainProblems'],
    applies: (c) => c.method === 'denoise',
    holds: (c) => c.denoisePoolProblems <= c.trainProblems,
    message: (c) => `denoisePoolProblems = ${c.denoisePoolProblems} is more than trainProblems = ${c.trainProblems}: the wrong-trace pool is built from the training problems`,
  },
];

export const RunConfigSchema = z
  .object({
    seed: int(0, 2 ** 32 - 1).default(1),
    task: z.enum(TASK_NAMES).default('addition'), // the catalog src/tasks/about.ts
    difficulty: int(1, 6).default(3),
    // weak / weaker: the shipped checkpoints (tiny / micro size); the others start from random weights
    model: z.enum(['weak', 'weaker', 'micro', 'tiny', 'small', 'base']).default('weak'),
    method: z.enum(METHOD_NAMES).default('grpo'), // the catalog src/rl/methods/about.ts
    reward: z.enum(REWARD_NAMES).default('verifiable'), // the catalog src/rl/rewards/about.ts

    // GRPO
    trainProblems: int(1, 100000).default(512), // the fixed training set prompts are drawn from
    promptsPerStep: int(1, 1024).default(16),
    groupSize: int(2, 64).default(8), // G
    temperature: num(0.05, 4).default(1),
    topK: int(0, 1024).default(0),
    maxCompletionLength: int(4, 4096).default(48),
    lr: num(0, 1).default(5e-5),
    weightDecay: num(0, 1).default(0),
    maxGradNorm: num(0, 1e6).default(1),
    adamBeta1: num(0, 0.9999).default(0.9),
    adamBeta2: num(0, 0.99999).default(0.999),
    scaleRewards: z.enum(['group', 'batch', 'none']).default('group'),
    lossType: z.enum(['dapo', 'grpo', 'dr_grpo']).default('dapo'),
    epsilonLow: num(0, 1).default(0.2),
    epsilonHigh: num(0, 10).default(0.2),
    beta: num(0, 10).default(0), // k3 KL weight to the frozen initial policy
    numIterations: int(1, 16).default(1), // mu: updates per batch of rollouts

    // noisy rewards
    flipRate: num(0, 1).default(0),
    flipMode: z.enum(['group', 'completion']).default('group'),
    rmAccuracy: num(0, 1).default(0.85),

    // SRT
    srtSoft: z.boolean().default(false),
    srtThreshold: num(0, 1).default(0), // skip prompts whose majority share is below this
    srtKeepFraction: num(0, 1).default(1), // keep only this fraction of prompts, highest majority share first

    // LTE
    lteGamma: num(0, 100).default(0.1),
    // own: the group's wrong answers; random: as many random wrong answers of the same digit counts (control)
    lteHintSource: z.enum(['own', 'random']).default('own'),

    // GRPO-extra: G extra samples for every prompt (all), or only for none-pass prompts (none_pass: LTE's
    // sample count, the same rows LTE's hinted round draws, without the hint)
    extraScope: z.enum(['all', 'none_pass']).default('all'),

    // DenoiseRL
    denoiseK: int(0, 64).default(4), // prefixed samples per problem; groupSize is N, the normal samples
    denoiseSource: z.enum(['initial', 'weak', 'random', 'injected']).default('weak'),
    // where the prefix ends: after the first wrong step, after rho of the whole steps, or of the characters
    denoiseCut: z.enum(['first_error', 'steps', 'tokens']).default('first_error'),
    denoiseRho: num(0, 1).default(0.2),
    denoiseRhoSampler: z.enum(['fixed', 'normal', 'uniform']).default('fixed'),
    denoiseCurriculum: z.boolean().default(false),
    denoiseTrainPrefix: z.boolean().default(false), // true: the prefix is trained on too (the masking control)
    denoisePoolSamples: int(1, 64).default(8), // M samples per training problem when building the pool
    denoisePoolProblems: int(1, 100000).default(512), // the first this many training problems get wrong traces
    // opt-in extras from the seed summary, not in the published code
    denoiseEfficiencyBonus: num(0, 1).default(0),
    denoiseDiversityBonus: num(0, 1).default(0),
    denoiseValuableErrors: z.boolean().default(false),
    denoisePoolRefreshEvery: int(0, 100000).default(0),

    // evaluation and logging
    evalEvery: int(1, 100000).default(10),
    evalProblems: int(1, 10000).default(64),
    evalSamples: int(1, 256).default(8), // n of pass@k
    evalPrefixProblems: int(0, 10000).default(32),
    tracesPerStep: int(0, 256).default(256), // whole groups up to this many samples: by default every group of a step
    steps: int(0, 1_000_000).default(100),
  })
  .strict()
  .superRefine((c, ctx) => {
    for (const rule of CROSS_FIELD_RULES) {
      if (rule.applies(c) && !rule.holds(c)) ctx.addIssue({ code: 'custom', path: [rule.fields[0]], params: { fields: rule.fields }, message: rule.message(c) });
    }
  });

export type RunConfig = z.infer<typeof RunConfigSchema>;
export type RunConfigInput = z.input<typeof RunConfigSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid run config:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** Describe what a field allows, for error messages and --help. */
function allowedOf(key: string): string {
  const shape = RunConfigSchema.shape as Record<string, z.ZodTypeAny>;
  const field = shape[key];
  if (!field) return `one of the known fields (${Object.keys(shape).join(', ')})`;
  const inner = (field as unknown as { def: { innerType?: z.ZodTypeAny } }).def.innerType ?? field;
  if (inner instanceof z.ZodEnum) return `one of ${inner.options.join(', ')}`;
  if (inner instanceof z.ZodNumber) {
    const isInt = inner.format === 'safeint';
    return `${isInt ? 'an integer' : 'a number'} in [${inner.minValue}, ${inner.maxValue}]`;
  }
  if (inner instanceof z.ZodBoolean) return 'true or false';
  return 'a valid value';
}

/** Validate a (partial) config; every bad field is reported with its value and what is allowed. */
export function parseRunConfig(input: unknown): RunConfig {
  const r = RunConfigSchema.safeParse(input ?? {});
  if (r.success) return r.data;
  const obj = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const problems = r.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') return `unknown field(s) ${issue.keys.join(', ')}`;
    if (issue.code === 'custom') return issue.message; // a cross-field rule: its message names both fields
    const key = String(issue.path[0] ?? '');
    return `${key} = ${JSON.stringify(obj[key])}: expected ${allowedOf(key)}`;
  });
  throw new ConfigError(problems);
}

/** The fields and their defaults, for --help and the UI. */
export function configFields(): { key: string; allowed: string; default: unknown }[] {
  const defaults = RunConfigSchema.parse({});
  return Object.keys(RunConfigSchema.shape).map((key) => ({
    key,
    allowed: allowedOf(key),
    default: defaults[key as keyof RunConfig],
  }));
}

/** Parse a CLI/URL string value for a field: numbers, booleans and enum names. */
export function coerceField(key: string, raw: string): unknown {
  const shape = RunConfigSchema.shape as Record<string, z.ZodTypeAny>;
  const field = shape[key];
  if (!field) throw new ConfigError([`unknown field ${key}: expected ${allowedOf(key)}`]);
  const inner = (field as unknown as { def: { innerType?: z.ZodTypeAny } }).def.innerType ?? field;
  if (inner instanceof z.ZodNumber) {
    const x = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(x)) throw new ConfigError([`${key} = ${JSON.stringify(raw)}: expected ${allowedOf(key)}`]);
    return x;
  }
  if (inner instanceof z.ZodBoolean) {
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    throw new ConfigError([`${key} = ${JSON.stringify(raw)}: expected true or false`]);
  }
  return raw;
}
