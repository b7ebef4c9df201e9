// CI runs the benchmark's quick mode (`npm run bench -- --quick`) as a child process, exactly as a person
// would, and checks that its JSON report has every field the issue asks for, with finite numbers. No speed
// is asserted: the figures depend on the machine (and CI shares two cores with the rest of the suite).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { formatTable, missingFields, type BenchReport } from '../../src/bench/report';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');
const dir = mkdtempSync(path.join(os.tmpdir(), 'misstep-bench-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runQuick(out: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [tsxCli, 'src/cli/bench.ts', '--quick', '--out', out], {
      cwd: repo, timeout: 420_000, maxBuffer: 16 << 20,
      env: { ...process.env, VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES ?? '/usr/lib/chromium/vk_swiftshader_icd.json' },
    }, (err, stdout, stderr) => (err ? reject(new Error(`bench --quick failed: ${err.message}\n${stderr}`)) : resolve({ stdout, stderr })));
  });
}

/** Every number anywhere in the report is finite (null marks "not measured", never NaN). */
function nonFinite(x: unknown, at = '$'): string[] {
  if (typeof x === 'number') return Number.isFinite(x) ? [] : [at];
  if (Array.isArray(x)) return x.flatMap((v, i) => nonFinite(v, `${at}[${i}]`));
  if (x !== null && typeof x === 'object') return Object.entries(x).flatMap(([k, v]) => nonFinite(v, `${at}.${k}`));
  return [];
}

it('npm run bench -- --quick writes a complete JSON report', async () => {
  const out = path.join(dir, 'bench.json');
  const { stdout } = await runQuick(out);
  const report = JSON.parse(readFileSync(out, 'utf8')) as BenchReport;
  expect(missingFields(report)).toEqual([]);
  expect(nonFinite(report)).toEqual([]);
  expect(report.mode).toBe('quick');
  // the per-op table covers the model's ops on both backends
  for (const op of ['matmul_forward', 'matmul_backward', 'attention_forward', 'attention_backward', 'rope_forward', 'rope_backward', 'layernorm_forward', 'sample_next', 'grpo_loss', 'adamw']) {
    expect(report.ops.filter((o) => o.op === op).map((o) => o.backend).sort(), op).toEqual(expect.arrayContaining(['cpu', 'webgpu']));
  }
  // step counters and the browser half are there (their values are reported, not judged)
  expect(report.step?.readbacks).toBeGreaterThan(0);
  expect(report.step?.pipelines_created_after_startup).not.toBeNull();
  expect(report.browser?.where).toBe('chromium-worker');
  expect(report.main_thread_longtasks?.training_steps).toBeGreaterThan(0);
  // the lab's own page, beside the bench page: it trained, and its own work was timed
  expect(report.lab_page?.training_steps).toBeGreaterThan(0);
  expect(report.lab_page?.work['chart-draw']?.count).toBeGreaterThan(0);
  expect(stdout).toContain('main-thread long tasks (> 50 ms), lab page:');
  expect(stdout).toContain('TF.js, same shapes');
  expect(formatTable(report)).toContain('attention_forward');
}, 450_000);
