// Each shader family's uniform `Params` struct, by field name, in the struct's order: the u32 fields, then
// the f32 fields (the uniform ring writes them in that order, 4 bytes each, see recorder.ts). The host
// packs by name through packParams, so a kernel's parameters are never placed by position.
// test/backend/webgpu/params.test.ts reads every struct from the WGSL text and compares it with this table.
import type { ShaderFamily } from './shaders';

export interface ParamsLayout {
  u32: readonly string[];
  f32: readonly string[];
}

export const PARAMS = {
  encoder: { u32: ['B', 'T', 'C', 'V', 'vcPad', 'hasWpe'], f32: [] },
  layernorm: { u32: ['N', 'C', 'rowsPad'], f32: ['eps'] },
  matmul: { u32: ['N', 'C', 'OC', 'hasBias', 'aPad'], f32: [] },
  matmul4: { u32: ['N', 'C', 'OC', 'hasBias', 'aPad'], f32: [] },
  attention: { u32: ['B', 'T', 'C', 'NH', 'hs'], f32: ['scale'] },
  attention16: { u32: ['B', 'T', 'C', 'NH', 'hs'], f32: ['scale'] },
  elementwise: { u32: ['N'], f32: [] },
  loss: { u32: ['N', 'V'], f32: ['epsLow', 'epsHigh', 'beta', 'gamma'] },
  optimizer: {
    u32: ['N', 'nParts', 'chunk', 'maskIsF32'],
    f32: ['lr', 'beta1', 'oneMinusBeta1', 'beta2', 'oneMinusBeta2', 'eps', 'weightDecay', 'bc1', 'bc2', 'maxGradNorm', 'clipEps'],
  },
  decode: { u32: ['B', 'C', 'Tseq', 'pos', 'V', 'NH', 'Tmax', 'hs', 'hasWpe'], f32: ['scale'] },
  rope: { u32: ['B', 'T', 'C', 'hs', 'pos0'], f32: [] },
  sample: { u32: ['B', 'V', 'Tseq', 'pos', 'topK', 'seed', 'step', 'rowOffset', 'count'], f32: ['invTemperature'] },
} as const satisfies Record<ShaderFamily, ParamsLayout>;

/**
 * A kernel's parameters in its family's struct order. Fields a kernel does not read may be left out (they
 * are written as 0); a name the struct does not have is an error.
 */
export function packParams(family: ShaderFamily, values: Readonly<Record<string, number>>, op: string): { u32s: number[]; f32s: number[] } {
  const layout: ParamsLayout = PARAMS[family];
  for (const name of Object.keys(values)) {
    if (!layout.u32.includes(name) && !layout.f32.includes(name)) {
      throw new Error(`WebGpuBackend.${op}: the ${family} Params struct has no field ${name} (fields: ${[...layout.u32, ...layout.f32].join(', ')})`);
    }
  }
  return { u32s: layout.u32.map((k) => values[k] ?? 0), f32s: layout.f32.map((k) => values[k] ?? 0) };
}
