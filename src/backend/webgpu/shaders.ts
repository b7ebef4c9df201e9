// Every WGSL kernel family, imported as source text. `?raw` is Vite's (and so vitest's) raw-text import;
// this is the only module that touches the shader files, so a non-Vite host only has to replace this one.
import attention from '../../../shaders/attention.wgsl?raw';
import attention16 from '../../../shaders/attention16.wgsl?raw';
import decode from '../../../shaders/decode.wgsl?raw';
import elementwise from '../../../shaders/elementwise.wgsl?raw';
import encoder from '../../../shaders/encoder.wgsl?raw';
import layernorm from '../../../shaders/layernorm.wgsl?raw';
import loss from '../../../shaders/loss.wgsl?raw';
import matmul from '../../../shaders/matmul.wgsl?raw';
import matmul4 from '../../../shaders/matmul4.wgsl?raw';
import optimizer from '../../../shaders/optimizer.wgsl?raw';
import rope from '../../../shaders/rope.wgsl?raw';
import sample from '../../../shaders/sample.wgsl?raw';

export const SHADER_SOURCES = {
  attention,
  attention16,
  decode,
  elementwise,
  encoder,
  layernorm,
  loss,
  matmul,
  matmul4,
  optimizer,
  rope,
  sample,
} as const;

export type ShaderFamily = keyof typeof SHADER_SOURCES;
