// The CPU reference backend: the Backend implementation and its pure ops (the CPU twins of the WGSL kernels).
export { CpuBackend } from './cpuBackend';
export { cpuData, CpuTensor, type CpuArray } from './cpuTensor';
export { encoderForward, encoderBackward } from './ops/encoder';
export { layernormForward, layernormBackward, LAYERNORM_EPS } from './ops/layernorm';
export { matmulForward, matmulBackward } from './ops/matmul';
export { attentionForward, attentionBackward } from './ops/attention';
export { geluForward, geluBackward, GELU_SCALING_FACTOR } from './ops/gelu';
export { residualForward, accumulate } from './ops/residual';
export { tokenLogprobs } from './ops/logprob';
export { grpoLossBackward, grpoTokenTerms, type GrpoTokenTerms } from './ops/grpoLoss';
export { globalNorm, adamW, gradScale } from './ops/adamw';
export { encoderForwardAt, attentionDecode } from './ops/decode';
export { sampleNext } from './ops/sample';
