// The table of compute pipelines: which shader family and entry point, and how many storage buffers each
// binds (slots 1..count; slot 0 is the uniform-ring slot). Pipelines with the same count share one bind
// group layout, so one cached bind group can serve several kernels over the same tensors.
import type { ShaderFamily } from './shaders';

export interface KernelSpec {
  family: ShaderFamily;
  entry: string;
  storage: number;
}

export const KERNELS = {
  encoder_forward: { family: 'encoder', entry: 'encoder_forward', storage: 4 },
  encoder_backward: { family: 'encoder', entry: 'encoder_backward', storage: 4 },
  layernorm_forward: { family: 'layernorm', entry: 'layernorm_forward', storage: 6 },
  layernorm_backward: { family: 'layernorm', entry: 'layernorm_backward', storage: 8 },
  matmul_forward: { family: 'matmul', entry: 'matmul_forward', storage: 4 },
  matmul_backward: { family: 'matmul', entry: 'matmul_backward', storage: 6 },
  matmul_forward4: { family: 'matmul4', entry: 'matmul_forward4', storage: 4 },
  matmul_backward4: { family: 'matmul4', entry: 'matmul_backward4', storage: 6 },
  attention_forward: { family: 'attention', entry: 'attention_forward', storage: 3 },
  attention_backward_q: { family: 'attention', entry: 'attention_backward_q', storage: 5 },
  attention_backward_kv: { family: 'attention', entry: 'attention_backward_kv', storage: 5 },
  attention_forward16: { family: 'attention16', entry: 'attention_forward16', storage: 3 },
  attention_backward_q16: { family: 'attention16', entry: 'attention_backward_q16', storage: 5 },
  attention_backward_kv16: { family: 'attention16', entry: 'attention_backward_kv16', storage: 5 },
  rope_forward: { family: 'rope', entry: 'rope_forward', storage: 2 },
  rope_backward: { family: 'rope', entry: 'rope_backward', storage: 2 },
  gelu_forward: { family: 'elementwise', entry: 'gelu_forward', storage: 2 },
  gelu_backward: { family: 'elementwise', entry: 'gelu_backward', storage: 3 },
  residual_forward: { family: 'elementwise', entry: 'residual_forward', storage: 3 },
  accumulate: { family: 'elementwise', entry: 'accumulate', storage: 2 },
  token_logprobs: { family: 'loss', entry: 'token_logprobs', storage: 4 },
  grpo_loss_backward: { family: 'loss', entry: 'grpo_loss_backward', storage: 7 },
  norm_partial: { family: 'optimizer', entry: 'norm_partial', storage: 2 },
  norm_final: { family: 'optimizer', entry: 'norm_final', storage: 2 },
  adamw: { family: 'optimizer', entry: 'adamw', storage: 6 },
  encoder_at: { family: 'decode', entry: 'encoder_at', storage: 4 },
  attention_decode: { family: 'decode', entry: 'attention_decode', storage: 4 },
  attention_decode16: { family: 'decode', entry: 'attention_decode16', storage: 4 },
  sample_next: { family: 'sample', entry: 'sample_next', storage: 4 },
  rng_uniform: { family: 'sample', entry: 'rng_uniform', storage: 1 },
} as const satisfies Record<string, KernelSpec>;

export type KernelName = keyof typeof KERNELS;

/** Threads per workgroup of every kernel (workgroup_size(64) in shaders/). */
export const WORKGROUP = 64;
/** The most workgroups one grid dimension may have (WebGPU's default maxComputeWorkgroupsPerDimension). */
export const MAX_GROUPS_PER_DIM = 65535;

/** Round n up to a multiple of the workgroup size (used to keep two jobs of a kernel in separate workgroups). */
export const padToWorkgroup = (n: number): number => Math.ceil(n / WORKGROUP) * WORKGROUP;

/** A grid of workgroups covering `invocations` flat ids, split over x and y past 65535 groups. */
export function grid1D(invocations: number): [number, number] {
  const groups = Math.max(1, Math.ceil(invocations / WORKGROUP));
  if (groups <= MAX_GROUPS_PER_DIM) return [groups, 1];
  const y = Math.ceil(groups / MAX_GROUPS_PER_DIM);
  return [Math.ceil(groups / y), y];
}
