// The method registry: each method's hooks under its config name. Adding a method: its file in this folder
// (an About and a Method), one line in ./about.ts and one line here; docs/architecture.md has the recipe.
import type { MethodName } from './about';
import { denoise } from './denoise';
import { grpo } from './grpo';
import { grpoExtra } from './grpoExtra';
import { lte } from './lte';
import type { Method } from './method';

// Each method types the settings it reads; the trainer hands it the whole RunConfig, so the type-check
// fails if RunConfig lacks a field some method reads.
export const METHODS = { grpo, grpo_extra: grpoExtra, lte, denoise } satisfies Record<MethodName, Method<never>>;

export { METHOD_ABOUT, METHOD_NAMES, type MethodName } from './about';
export type { Method, MethodEnv, MethodRun, MethodState, PipelineSettings, WeightsSource, CheckpointName } from './method';
