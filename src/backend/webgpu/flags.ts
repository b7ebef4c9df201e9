// WebGPU's flag values (fixed by the spec). Spelled out so nothing depends on the GPUBufferUsage global,
// which Node's `webgpu` package only provides after Object.assign(globalThis, globals).
export const Usage = { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, UNIFORM: 0x40, STORAGE: 0x80 } as const;
export const MAP_MODE_READ = 0x1;
export const SHADER_STAGE_COMPUTE = 0x4;
