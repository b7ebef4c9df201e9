// The CPU backend's matmul against a naive triple loop and against tfjs-backend-cpu's matMul, on the
// model's matmul shapes (out = inp @ weight^T + bias, PyTorch's Linear layout), interleaved per shape.
import type { Backend } from '../backend/backend';
import { Rng } from '../backend/rng';
import { median } from './timing';
import type { TF } from './tfjs/model';

export interface CpuMatmulRow {
  shape: string;
  misstep_ms: number;
  naive_ms: number;
  tfjs_ms: number | null;
}

export interface CpuMatmulResult {
  rows: CpuMatmulRow[];
  naive_ratio: number; // geometric mean of naive / misstep over the shapes
  tfjs_ratio: number | null; // geometric mean of tfjs-backend-cpu / misstep
}

/** out[n,o] = bias[o] + sum_c inp[n,c] * w[o,c]: the loop anyone writes first. */
export function naiveMatmul(out: Float32Array, inp: Float32Array, w: Float32Array, bias: Float32Array, N: number, C: number, OC: number): void {
  for (let n = 0; n < N; n++) {
    for (let o = 0; o < OC; o++) {
      let s = bias[o];
      for (let c = 0; c < C; c++) s += inp[n * C + c] * w[o * C + c];
      out[n * OC + o] = s;
    }
  }
}

const geomean = (xs: number[]): number => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);

/** `tf` must already be on its 'cpu' backend (or null to skip TF.js). */
export async function benchCpuMatmul(cpu: Backend, tf: TF | null, shapes: [string, number, number, number][], reps: number): Promise<CpuMatmulResult> {
  const rng = new Rng(0xc9);
  const rows: CpuMatmulRow[] = [];
  for (const [label, N, C, OC] of shapes) {
    const host = (n: number) => Float32Array.from({ length: n }, () => rng.normal());
    const inp = host(N * C), w = host(OC * C), bias = host(OC), out = new Float32Array(N * OC);
    const tIn = cpu.alloc(N * C), tW = cpu.alloc(OC * C), tB = cpu.alloc(OC), tOut = cpu.alloc(N * OC);
    cpu.write(tIn, inp); cpu.write(tW, w); cpu.write(tB, bias);
    const tfIn = tf?.tensor2d(inp, [N, C]), tfW = tf?.tensor2d(w, [OC, C]), tfB = tf?.tensor1d(bias);
    const times: number[][] = [[], [], []];
    for (let r = 0; r < reps + 1; r++) {
      let t0 = performance.now();
      cpu.matmulForward(tOut, tIn, tW, tB, N, C, OC);
      const m = performance.now() - t0;
      t0 = performance.now();
      naiveMatmul(out, inp, w, bias, N, C, OC);
      const nv = performance.now() - t0;
      let tj = NaN;
      if (tf && tfIn && tfW && tfB) {
        t0 = performance.now();
        const y = tf.tidy(() => tf.add(tf.matMul(tfIn, tfW, false, true), tfB));
        y.dataSync();
        tj = performance.now() - t0;
        y.dispose();
      }
      if (r > 0) { times[0].push(m); times[1].push(nv); times[2].push(tj); }
    }
    rows.push({ shape: `${label} N=${N} C=${C} OC=${OC}`, misstep_ms: median(times[0]), naive_ms: median(times[1]), tfjs_ms: tf ? median(times[2]) : null });
    for (const t of [tIn, tW, tB, tOut]) cpu.free(t);
    for (const t of [tfIn, tfW, tfB]) t?.dispose();
  }
  return {
    rows,
    naive_ratio: geomean(rows.map((r) => r.naive_ms / r.misstep_ms)),
    tfjs_ratio: tf ? geomean(rows.map((r) => (r.tfjs_ms ?? NaN) / r.misstep_ms)) : null,
  };
}
