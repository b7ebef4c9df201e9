// npm run bench -- [--quick] [--out FILE.json] [--backend webgpu|cpu|both] [--no-browser] [--no-lab-page] [--lab-page-only]
//   [--lab-page-preset P] [--lab-page-backend webgpu|cpu] [--lab-page-minutes M] [--no-tfjs] [--soak MINUTES]
// Prints a table and writes the JSON report (src/bench/report.ts). Node figures come from the npm `webgpu`
// package (Dawn; SwiftShader without a GPU: export VK_ICD_FILENAMES) and the CPU backend; the `browser`
// section and main_thread_longtasks come from headless Chromium (WebGPU in a dedicated Web Worker); lab_page
// from the lab's own page in headless Chromium, training with four long runs overlaid (bench/node/labPage.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CpuBackend } from '../backend/cpu';
import type { WebGpuBackend } from '../backend/webgpu';
import { runBrowserBench } from '../bench/node/browser';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumExecutable } from '../bench/node/chromium';
import { buildAndServe, measureLabPage, type LabExperiment } from '../bench/node/labPage';
import { nodeHeapAfterGc, nodeRuntime, nodeTfjs, nodeWebGpuBackend } from '../bench/node/setup';
import { formatLabPage, formatTable, missingFields, type BenchReport, type LabPageFigures } from '../bench/report';
import { runBench } from '../bench/run';
import { soak } from '../bench/soak';
import { PRESETS } from '../run/presets';
import { formatFlags, parseFlags, runMain, UsageError, wantsHelp } from './args';

const FLAGS = {
  quick: { kind: 'boolean', help: 'small shapes, one measured repeat, a short lab-page window: about three minutes (CI runs this)' },
  out: { kind: 'string', value: 'FILE.json', help: 'where the JSON report goes (default test-output/bench-<quick|full>.json)' },
  backend: { kind: 'string', value: 'B', help: 'which backends to measure', choices: ['webgpu', 'cpu', 'both'], default: 'both' },
  'no-browser': { kind: 'boolean', help: 'skip the headless-Chromium half (browser figures, main-thread long tasks)' },
  'no-lab-page': { kind: 'boolean', help: "skip the lab page's figures (the lab built and trained in headless Chromium)" },
  'lab-page-only': { kind: 'boolean', help: "only the lab page's figures and verdict (about 7 minutes; 2 with --quick); JSON to test-output/bench-lab-page.json unless --out" },
  'lab-page-preset': { kind: 'string', value: 'P', help: 'the preset the lab page trains (on a micro model, two prompts a step)', choices: PRESETS.map((p) => p.name), default: 'grpo' },
  'lab-page-backend': { kind: 'string', value: 'B', help: 'the backend it trains on', choices: ['webgpu', 'cpu'], default: 'webgpu' },
  'lab-page-minutes': { kind: 'number', value: 'M', help: "the lab page's measured window: 40% with the Charts tab open, then 20% each Inspector, Runs, Charts (default 5; 25 s with --quick)" },
  'no-tfjs': { kind: 'boolean', help: 'skip the TensorFlow.js comparisons' },
  soak: { kind: 'number', value: 'MINUTES', help: 'train continuously for MINUTES and report JS heap / GPU bytes at start and end', default: 0 },
} as const;

const HELP = `Usage: npm run bench -- [options]
${formatFlags(FLAGS)}`;

const log = (msg: string) => process.stderr.write(`bench: ${msg}\n`);

export async function runBenchCli(argv: string[]): Promise<BenchReport | null> {
  if (wantsHelp(argv)) { console.log(HELP); process.exit(0); }
  const args = parseFlags(argv, FLAGS);
  const quick = args.quick;
  if (args['lab-page-minutes'] !== undefined && args['lab-page-minutes'] < 0.1) throw new UsageError(`--lab-page-minutes must be at least 0.1 (got ${args['lab-page-minutes']})`);
  const labPageRun: LabPageRun = {
    quick,
    minutes: args['lab-page-minutes'] ?? (quick ? 25 / 60 : 5),
    experiment: { preset: args['lab-page-preset'], backend: args['lab-page-backend'] as LabExperiment['backend'] },
  };
  if (args['lab-page-only']) return labPageOnly(labPageRun, args.out ?? 'test-output/bench-lab-page.json');
  const which = args.backend;
  const soakMinutes = args.soak;
  const out = args.out ?? `test-output/bench-${quick ? 'quick' : 'full'}.json`;
  const t0 = performance.now();

  const webgpu: WebGpuBackend | null = which === 'cpu' ? null : await nodeWebGpuBackend();
  const cpu = which === 'webgpu' ? null : new CpuBackend();
  const tfjs = !args['no-tfjs'];
  const tf = tfjs ? await nodeTfjs(webgpu !== null) : null;
  const part = await runBench({ where: 'node', runtime: nodeRuntime(), webgpu, cpu, tf, log }, { quick, peak: true, ops: true, step: true, tfjs });
  const browser = args['no-browser'] || which === 'cpu' ? null : await runBrowserBench({ quick, tfjs: tfjs && !quick, log });
  const labPage = args['no-browser'] || args['no-lab-page'] ? null : await runLabPage(labPageRun);
  const report: BenchReport = {
    version: 1, mode: quick ? 'quick' : 'full', generated_at: new Date().toISOString(),
    command: `npm run bench -- ${argv.join(' ')}`.trim(), ...part,
    main_thread_longtasks: browser?.main_thread_longtasks ?? null, lab_page: labPage, browser, soak: null,
  };
  if (soakMinutes > 0) {
    const k = webgpu ?? cpu!;
    log(`soak: training on ${k.name} for ${soakMinutes} min`);
    report.soak = await soak(k, { minutes: soakMinutes, where: `node ${k.name}`, heap: nodeHeapAfterGc, device: webgpu?.device, log });
  }
  report.seconds = (performance.now() - t0) / 1000;
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(formatTable(report));
  const missing = missingFields(report);
  console.log(`\nwrote ${out}${missing.length ? `; incomplete for the default run: ${missing.join(', ')}` : ' (complete)'}`);
  webgpu?.destroy();
  return report;
}

/** `--lab-page-only`: the lab page's figures alone, written as { lab_page } and printed with their verdict. */
async function labPageOnly(run: LabPageRun, out: string): Promise<null> {
  const { quick } = run;
  const lab_page = await runLabPage(run);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ version: 1, mode: quick ? 'quick' : 'full', generated_at: new Date().toISOString(), lab_page }, null, 2)}\n`);
  console.log(formatLabPage(lab_page).join('\n'));
  console.log(`\nwrote ${out}`);
  return null;
}

interface LabPageRun {
  quick: boolean; // shorter overlays
  minutes: number; // the measured window
  experiment: LabExperiment;
}

/** The lab's own page, built and served, training with four long runs overlaid (quick: shorter). */
async function runLabPage({ quick, minutes, experiment }: LabPageRun): Promise<LabPageFigures> {
  log('lab page: building the lab');
  const served = await buildAndServe();
  const browser = await chromium.launch({ executablePath: chromiumExecutable(), headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const s = Math.round(minutes * 12); // a fifth of the window, in seconds
    return await measureLabPage(page, served.url, { phases: [['Charts', 2 * s], ['Inspector', s], ['Runs', s], ['Charts', s]], overlaySteps: quick ? 2000 : 5000, experiment, log });
  } finally {
    await browser.close();
    await served.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) runMain('bench', async () => { await runBenchCli(process.argv.slice(2)); }, { stack: true });
