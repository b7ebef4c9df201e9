// The benchmark's JSON report: its shape, the completeness check CI runs, and the printed table.
import type { OpRow } from './ops';
import type { StepFigures } from './step';
import type { CpuMatmulResult } from './cpuMatmul';
import type { GenerateVersus, Versus } from './tfjs/compare';

export interface AdapterInfo {
  vendor: string;
  architecture: string;
  description: string;
  device: string;
  is_fallback: boolean;
}

export interface LongTasks {
  source: string; // what was observed (which page, during what)
  count: number; // tasks longer than 50 ms on the main thread
  max_ms: number;
  total_ms: number;
  observed_ms: number; // how long the observer watched
  training_steps: number; // training steps that ran (in the worker) while it watched
}

/** The lab's own page while it trains with four long runs overlaid (src/bench/node/labPage.ts). */
export interface LabPageFigures extends LongTasks {
  first_paint_ms: number | null;
  page_work_ms: number; // the page's own timed work in the window (src/ui/perf.ts), all kinds
  page_work_ms_per_step: number | null; // ... per training step the page heard of
  page_work_share: number; // ... as a share of the window's wall time
  longest_page_work_ms: number; // the longest single piece of it
  work: Record<string, { count: number; total_ms: number; max_ms: number }>;
  long_tasks: { start: number; duration: number }[];
  /** Main-thread tasks over 50 ms of the thread's CPU time (Chromium's trace): the page's own cost, however loaded the machine. */
  cpu_long_tasks: {
    count: number;
    max_ms: number;
    gc_only: number; // tasks in which only the garbage collector worked
    gc_inside: number; // tasks in which the page's code ran, over 50 ms only with a collection's pause inside
    page_own: number; // tasks in which the page's own code took over 50 ms of CPU time, collections aside
    tasks: TracedTask[];
  };
  /** Every main-thread task over 50 ms of wall or CPU time in the window. */
  traced_tasks: TracedTask[];
  /** Every garbage collection of the main thread's heap in the window (Chromium's trace), by CPU time. */
  gc: { major: GcFigures; minor: GcFigures };
  /** The page's JS heap in use (not forced to collect first) when the window opened and closed. */
  heap_used_bytes: [before: number, after: number];
  trace_data_lost: boolean; // Chromium said the trace lost events (its buffer filled): the CPU figures would miss tasks
  traced_measures: number; // the page's timed pieces of work the trace saw on that thread (a check that it watched the right one)
  load_average: [before: number, after: number]; // 1-minute load average when the window opened and closed
  cores: number;
  quiet: boolean; // the load average stayed under half the cores
  verdict: string; // the goal (0 long tasks after the first paint), judged as the conditions allow
}

export interface GcFigures {
  count: number;
  max_ms: number; // the longest one, CPU time of the main thread
  total_ms: number;
  longest_ms: number[]; // the ten longest, longest first, rounded to 0.1 ms
}

/** One main-thread task: its start (performance.now() of the page), wall and CPU time, and the page's timed work inside it. */
export interface TracedTask {
  start: number;
  wall_ms: number;
  cpu_ms: number;
  gc_ms: number; // CPU time of the garbage collections inside it (Chromium's MajorGC and MinorGC events)
  during: string[]; // the page's timed work (src/ui/perf.ts) inside it
  browser: string[]; // what Chromium did inside it, 10 ms or more each (script entry points, GC, style, layout)
}

export interface SoakFigures {
  where: string;
  minutes: number;
  steps: number;
  heap_start_bytes: number | null; // null: the host gives no heap figure (e.g. a Web Worker)
  heap_end_bytes: number | null;
  gpu_bytes_start: number;
  gpu_bytes_end: number;
  buffers_created: number | null;
}

export interface TfjsFigures {
  train_step_ratio: number | null; // tfjs-backend-webgpu step / Misstep WebGPU step (> 1: Misstep faster)
  generate_ratio: number | null; // tfjs-backend-webgpu generation / Misstep KV-cache generation
  cpu_matmul_ratio: number | null; // tfjs-backend-cpu matMul / CPU backend matmul (geometric mean)
  cpu_train_step_ratio: number | null;
  cpu_generate_ratio: number | null;
  naive_matmul_ratio: number | null; // naive triple loop / CPU backend matmul (geometric mean)
  shapes: { B: number; T: number; genB: number; genTokens: number };
  webgpu: { train: Versus; generate: GenerateVersus } | null;
  cpu: { train: Versus; generate: GenerateVersus } | null;
  cpu_matmul: CpuMatmulResult | null;
}

/** What one environment (Node or a browser worker) measured. */
export interface BenchPart {
  where: 'node' | 'chromium-worker';
  runtime: string;
  adapter: AdapterInfo | null;
  compile_ms: number | null; // WebGPU: compiling every pipeline at backend creation
  peak_gflops: number | null; // WebGPU FMA probe
  cpu_peak_gflops: number | null; // JS multiply-add probe
  ops: OpRow[];
  step: StepFigures | null; // WebGPU
  step_cpu: StepFigures | null;
  tfjs: TfjsFigures | null;
  seconds: number;
}

export interface BenchReport extends BenchPart {
  version: 1;
  mode: 'quick' | 'full';
  generated_at: string;
  command: string;
  main_thread_longtasks: LongTasks | null;
  /** The lab's page itself (null: --no-lab-page). */
  lab_page: LabPageFigures | null;
  browser: (BenchPart & { main_thread_longtasks: LongTasks | null; training_loop: SoakFigures | null }) | null;
  soak: SoakFigures | null;
}

const finite = (x: unknown): boolean => typeof x === 'number' && Number.isFinite(x);

/** Every field the issue requires, with finite numbers; returns the problems (empty when complete). */
export function missingFields(r: BenchReport): string[] {
  const bad: string[] = [];
  const need = (ok: boolean, what: string) => { if (!ok) bad.push(what); };
  need(r.adapter !== null && typeof r.adapter.vendor === 'string' && typeof r.adapter.architecture === 'string' && typeof r.adapter.description === 'string', 'adapter {vendor, architecture, description}');
  need(Array.isArray(r.ops) && r.ops.length > 0, 'ops (non-empty)');
  for (const o of r.ops) need(typeof o.op === 'string' && typeof o.shape === 'string' && (o.backend === 'cpu' || o.backend === 'webgpu') && finite(o.ms) && finite(o.gflops), `ops[${o.op} ${o.shape} ${o.backend}] {op, shape, backend, ms, gflops}`);
  need(new Set(r.ops.map((o) => o.backend)).size === 2, 'ops on both backends');
  need(finite(r.peak_gflops), 'peak_gflops');
  need(finite(r.compile_ms), 'compile_ms');
  const s = r.step;
  need(s !== null, 'step');
  if (s) for (const k of ['rollout_ms', 'reward_ms', 'update_ms', 'dispatches', 'submits', 'readback_bytes', 'tokens_per_s'] as const) need(finite(s[k]), `step.${k}`);
  const t = r.tfjs;
  need(t !== null, 'tfjs');
  if (t) for (const k of ['train_step_ratio', 'generate_ratio', 'cpu_matmul_ratio'] as const) need(finite(t[k]), `tfjs.${k}`);
  const lt = r.main_thread_longtasks;
  need(lt !== null && finite(lt.count) && finite(lt.max_ms), 'main_thread_longtasks {count, max_ms}');
  const lp = r.lab_page;
  need(lp !== null && finite(lp.count) && finite(lp.page_work_ms) && lp.training_steps > 0, 'lab_page {count, page_work_ms, training_steps > 0}');
  return bad;
}

const mb = (x: number | null): string => (x === null ? 'n/a' : (x / 1e6).toFixed(1));
const f = (x: number | null | undefined, d = 2): string => (x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(d));

/** The printed summary: ops side by side, then the step, the TF.js ratios and the browser half. */
export function formatTable(r: BenchReport): string {
  const lines: string[] = [];
  const a = r.adapter;
  lines.push(`Misstep bench (${r.mode}) in ${r.where}: ${r.runtime}`);
  lines.push(`adapter: ${a ? `${a.vendor} / ${a.architecture} / ${a.description}` : '-'}; pipelines compiled at start-up in ${f(r.compile_ms, 0)} ms`);
  lines.push(`FMA peak: WebGPU ${f(r.peak_gflops)} GFLOP/s, JS ${f(r.cpu_peak_gflops)} GFLOP/s`);
  lines.push('');
  lines.push(`${'op'.padEnd(20)}${'shape'.padEnd(38)}${'webgpu ms'.padStart(11)}${'GFLOP/s'.padStart(9)}${'%peak'.padStart(7)}${'cpu ms'.padStart(10)}${'GFLOP/s'.padStart(9)}${'%peak'.padStart(7)}`);
  const keys = [...new Set(r.ops.map((o) => `${o.op}|${o.shape}`))];
  for (const key of keys) {
    const [op, shape] = key.split('|');
    const g = r.ops.find((o) => o.op === op && o.shape === shape && o.backend === 'webgpu');
    const c = r.ops.find((o) => o.op === op && o.shape === shape && o.backend === 'cpu');
    lines.push(`${op.padEnd(20)}${shape.padEnd(38)}${f(g?.ms).padStart(11)}${f(g?.gflops, 3).padStart(9)}${f(g ? 100 * g.peak_fraction : null, 1).padStart(7)}${f(c?.ms).padStart(10)}${f(c?.gflops, 3).padStart(9)}${f(c ? 100 * c.peak_fraction : null, 1).padStart(7)}`);
  }
  for (const s of [r.step, r.step_cpu]) {
    if (!s) continue;
    lines.push('');
    lines.push(`GRPO step on ${s.backend} (${s.config.promptsPerStep} prompts x ${s.config.groupSize}, up to ${s.config.maxCompletionLength} tokens): ` +
      `rollout ${f(s.rollout_ms, 0)} ms, reward ${f(s.reward_ms, 1)} ms, update ${f(s.update_ms, 0)} ms; ` +
      `rollout ${f(s.rollout_tokens_per_s, 0)} tok/s, training ${f(s.train_tokens_per_s, 0)} tok/s`);
    lines.push(`  per step: ${s.dispatches} dispatches, ${s.submits} submits, ${s.readbacks} readbacks (${s.rollout_batches} rollout batch + update), ` +
      `${s.readback_bytes} bytes read back; buffers created ${f(s.buffers_created_per_step, 1)}/step, pipelines after start-up ${s.pipelines_created_after_startup ?? '-'}`);
  }
  const t = r.tfjs;
  if (t) {
    lines.push('');
    lines.push(`TF.js, same shapes (train B=${t.shapes.B} T=${t.shapes.T}; generate ${t.shapes.genB} rows x ${t.shapes.genTokens} tokens), ratio = TF.js time / Misstep time:`);
    if (t.webgpu) lines.push(`  webgpu: train step ${f(t.webgpu.train.misstep_ms, 0)} vs ${f(t.webgpu.train.tfjs_ms, 0)} ms = ${f(t.train_step_ratio)}x; generate ${f(t.webgpu.generate.misstep_ms, 0)} vs ${f(t.webgpu.generate.tfjs_ms, 0)} ms (${t.webgpu.generate.tfjs_mode}) = ${f(t.generate_ratio)}x`);
    if (t.cpu) lines.push(`  cpu:    train step ${f(t.cpu.train.misstep_ms, 0)} vs ${f(t.cpu.train.tfjs_ms, 0)} ms = ${f(t.cpu_train_step_ratio)}x; generate ${f(t.cpu.generate.misstep_ms, 0)} vs ${f(t.cpu.generate.tfjs_ms, 0)} ms = ${f(t.cpu_generate_ratio)}x`);
    if (t.cpu_matmul) lines.push(`  cpu matmul: ${f(t.cpu_matmul_ratio)}x tfjs-backend-cpu, ${f(t.naive_matmul_ratio)}x a naive triple loop (geometric means over ${t.cpu_matmul.rows.length} shapes)`);
  }
  const lt = r.main_thread_longtasks;
  if (lt) lines.push('', `main-thread long tasks (> 50 ms), bench page: ${lt.count}, longest ${f(lt.max_ms, 0)} ms, over ${f(lt.observed_ms / 1000, 1)} s with ${lt.training_steps} training steps (${lt.source})`);
  if (r.lab_page) lines.push(...formatLabPage(r.lab_page));
  if (r.browser) {
    const b = r.browser;
    const tl = b.training_loop;
    if (tl) lines.push(`browser training loop: ${tl.steps} steps in ${f(tl.minutes * 60, 0)} s; JS heap ${mb(tl.heap_start_bytes)} -> ${mb(tl.heap_end_bytes)} MB, GPU bytes held ${tl.gpu_bytes_start} -> ${tl.gpu_bytes_end}, buffers created ${tl.buffers_created ?? '-'}`);
    lines.push('', `browser (${b.runtime}): compile ${f(b.compile_ms, 0)} ms, FMA peak ${f(b.peak_gflops)} GFLOP/s` +
      (b.step ? `, step rollout ${f(b.step.rollout_ms, 0)} / update ${f(b.step.update_ms, 0)} ms` : '') +
      (b.tfjs ? `, TF.js ratios train ${f(b.tfjs.train_step_ratio)}x generate ${f(b.tfjs.generate_ratio)}x` : ''));
  }
  if (r.soak) {
    const s = r.soak;
    lines.push('', `soak (${s.where}, ${s.minutes} min, ${s.steps} steps): JS heap ${mb(s.heap_start_bytes)} -> ${mb(s.heap_end_bytes)} MB, GPU bytes held ${s.gpu_bytes_start} -> ${s.gpu_bytes_end}, buffers created ${s.buffers_created ?? '-'}`);
  }
  lines.push('', `${f(r.seconds, 0)} s in all`);
  return lines.join('\n');
}

/** The lab page's lines of the printed table: its long tasks, its own work, and the verdict on the goal. */
export function formatLabPage(lp: LabPageFigures): string[] {
  const f = (x: number | null | undefined, d = 2) => (x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(d));
  return [
    `main-thread long tasks (> 50 ms), lab page:   ${lp.count}, longest ${f(lp.max_ms, 0)} ms, over ${f(lp.observed_ms / 1000, 1)} s with ${lp.training_steps} training steps (${lp.source})`,
    `  over 50 ms of the main thread's CPU time: ${lp.cpu_long_tasks.count} (longest task ${f(lp.cpu_long_tasks.max_ms, 0)} ms of CPU time; ${lp.cpu_long_tasks.gc_only} garbage collection alone, ${lp.cpu_long_tasks.gc_inside} over it only with a collection inside, ${lp.cpu_long_tasks.page_own} with the page's own code over it); load average ${lp.load_average.map((l) => f(l, 1)).join(' -> ')} on ${lp.cores} cores`,
    `  garbage collection on the main thread (CPU time): ${lp.gc.major.count} major (longest ${lp.gc.major.longest_ms.slice(0, 5).map((x) => f(x, 0)).join(', ')} ms; ${f(lp.gc.major.total_ms, 0)} ms in all), ${lp.gc.minor.count} minor (longest ${f(lp.gc.minor.max_ms, 0)} ms, ${f(lp.gc.minor.total_ms, 0)} ms in all); JS heap in use ${(lp.heap_used_bytes[0] / 1e6).toFixed(1)} -> ${(lp.heap_used_bytes[1] / 1e6).toFixed(1)} MB`,
    `  the lab page's own work: ${f(lp.page_work_ms, 0)} ms (${f(100 * lp.page_work_share, 1)}% of the time), ${f(lp.page_work_ms_per_step, 1)} ms per step, longest piece ${f(lp.longest_page_work_ms, 1)} ms; ` +
      Object.entries(lp.work).map(([k, w]) => `${k} ${w.count}x ${f(w.total_ms, 0)} ms (max ${f(w.max_ms, 1)})`).join(', '),
    `  lab page verdict: ${lp.verdict}`,
  ];
}
