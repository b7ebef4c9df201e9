// Peak-throughput probes: a pure FMA kernel on the WebGPU adapter, and a pure multiply-add loop in JS for
// the CPU backend. Each kernel's GFLOP/s is reported as a fraction of its backend's probe.
import { timeMin } from './timing';

const WORKGROUP = 64;
const CHAINS = 8; // independent vec4 accumulators per invocation (hides FMA latency)

const PROBE_WGSL = /* wgsl */ `
struct Params { iters: u32, a: f32, b: f32 }
@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> out: array<vec4f>;
@compute @workgroup_size(${WORKGROUP})
fn fma_probe(@builtin(global_invocation_id) gid: vec3u) {
  let s = f32(gid.x) * 1e-7;
  var x0 = vec4f(s); var x1 = vec4f(s + 1e-3); var x2 = vec4f(s + 2e-3); var x3 = vec4f(s + 3e-3);
  var x4 = vec4f(s + 4e-3); var x5 = vec4f(s + 5e-3); var x6 = vec4f(s + 6e-3); var x7 = vec4f(s + 7e-3);
  let a = vec4f(P.a);
  let b = vec4f(P.b);
  for (var i = 0u; i < P.iters; i++) {
    x0 = fma(x0, a, b); x1 = fma(x1, a, b); x2 = fma(x2, a, b); x3 = fma(x3, a, b);
    x4 = fma(x4, a, b); x5 = fma(x5, a, b); x6 = fma(x6, a, b); x7 = fma(x7, a, b);
  }
  out[gid.x] = x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7;
}`;

export interface PeakResult {
  gflops: number;
  ms: number;
  compileMs: number;
}

/**
 * FMA peak of a device: `groups` workgroups of 64 invocations, each running CHAINS vec4 FMA chains for
 * `iters` iterations (2 FLOPs per FMA lane). Uses its own pipeline and buffers, destroyed afterwards.
 */
export async function webgpuPeak(device: GPUDevice, o: { groups: number; iters: number; reps: number }): Promise<PeakResult> {
  const t0 = performance.now();
  const module = device.createShaderModule({ code: PROBE_WGSL, label: 'bench fma probe' });
  const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'fma_probe' } });
  const compileMs = performance.now() - t0;
  const uniform = device.createBuffer({ size: 16, usage: 0x40 | 0x8 }); // UNIFORM | COPY_DST
  const params = new ArrayBuffer(16);
  new Uint32Array(params, 0, 1)[0] = o.iters;
  new Float32Array(params, 4, 2).set([0.999, 1e-4]);
  device.queue.writeBuffer(uniform, 0, params);
  const out = device.createBuffer({ size: o.groups * WORKGROUP * 16, usage: 0x80 }); // STORAGE
  const group = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [{ binding: 0, resource: { buffer: uniform } }, { binding: 1, resource: { buffer: out } }],
  });
  const run = async (): Promise<void> => {
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(o.groups);
    pass.end();
    device.queue.submit([enc.finish()]);
    await device.queue.onSubmittedWorkDone();
  };
  const ms = await timeMin(run, { warmup: 1, reps: o.reps }); // the best run: a peak, not a typical figure
  uniform.destroy();
  out.destroy();
  const flops = o.groups * WORKGROUP * o.iters * CHAINS * 4 * 2;
  return { gflops: flops / ms / 1e6, ms, compileMs };
}

/** Multiply-add peak of plain JS on one thread (what the CPU backend's loops can reach at best). */
export async function cpuPeak(o: { iters: number; reps: number }): Promise<PeakResult> {
  let sink = 0;
  const run = (): void => {
    let x0 = 0.1, x1 = 0.2, x2 = 0.3, x3 = 0.4, x4 = 0.5, x5 = 0.6, x6 = 0.7, x7 = 0.8;
    const a = 0.999, b = 1e-4;
    for (let i = 0; i < o.iters; i++) {
      x0 = x0 * a + b; x1 = x1 * a + b; x2 = x2 * a + b; x3 = x3 * a + b;
      x4 = x4 * a + b; x5 = x5 * a + b; x6 = x6 * a + b; x7 = x7 * a + b;
    }
    sink += x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7;
  };
  const ms = await timeMin(run, { warmup: 2, reps: o.reps });
  if (sink === 42) console.log(''); // keeps the loop's result alive
  return { gflops: (o.iters * 8 * 2) / ms / 1e6, ms, compileMs: 0 };
}
