// npm run train -- --preset <name> [--set key=value ...] --steps N --seed S --backend cpu|webgpu --out DIR
// npm run train -- --resume DIR --steps N
// Writes DIR/config.json, DIR/metrics.jsonl, DIR/traces.jsonl and DIR/checkpoint.safetensors (the last
// good state, written at every evaluation). A resumed run repeats an uninterrupted one exactly.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { coerceField, configFields, parseRunConfig, type RunConfig } from '../run/config';
import { PRESETS, getPreset } from '../run/presets';
import type { MetricRow } from '../run/records';
import { isEvalStep, TrainingLoop } from '../run/loop';
import { decodeRunState, encodeRunState } from '../run/runState';
import { Trainer } from '../run/trainer';
import { intFlag, parseArgs, stringFlag } from './args';
import { nodeWeights } from './nodeWeights';
import { createNodeBackend } from './nodeBackend';
import { ProgressBar } from './progress';

const HELP = `Usage:
  npm run train -- --preset <name> [--set key=value ...] [--steps N] [--seed S] [--backend cpu|webgpu] [--out DIR]
  npm run train -- --resume DIR --steps N      continue a stopped run up to N steps in all

Presets:
${PRESETS.map((p) => `  ${p.name.padEnd(12)} ${p.description}`).join('\n')}

Config fields (--set key=value), with defaults:
${configFields().map((f) => `  ${f.key.padEnd(26)} ${String(f.default).padEnd(10)} ${f.allowed}`).join('\n')}`;

/** Train and eval rows of a run, read back (for --resume) without the rows past a given step. */
function keepRows(path: string, keep: (row: MetricRow) => boolean): string {
  if (!existsSync(path)) return '';
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() && keep(JSON.parse(l))).map((l) => `${l}\n`).join('');
}

export async function runTraining(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  if (args.flags.has('help')) { console.log(HELP); return; }
  const resumeDir = stringFlag(args, 'resume');
  let config: RunConfig;
  let out: string;
  let resumeState: ReturnType<typeof decodeRunState>['state'] | null = null;
  if (resumeDir) {
    out = resumeDir;
    const ckPath = join(out, 'checkpoint.safetensors');
    if (!existsSync(ckPath)) throw new Error(`--resume ${out}: no checkpoint.safetensors there`);
    const decoded = decodeRunState(new Uint8Array(readFileSync(ckPath)));
    config = { ...decoded.config, steps: intFlag(args, 'steps', decoded.config.steps)! };
    resumeState = decoded.state;
  } else {
    const preset = getPreset(stringFlag(args, 'preset', 'grpo')!);
    const input: Record<string, unknown> = { ...preset.config };
    for (const [k, v] of args.sets) input[k] = coerceField(k, v);
    for (const k of ['steps', 'seed'] as const) { const v = intFlag(args, k); if (v !== undefined) input[k] = v; }
    config = parseRunConfig(input);
    out = stringFlag(args, 'out', join('runs', `${preset.name}-seed${config.seed}`))!;
  }
  const backend = await createNodeBackend(stringFlag(args, 'backend', 'cpu')!);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'config.json'), JSON.stringify(config, null, 2) + '\n');
  const trainer = await Trainer.create(backend, config, nodeWeights(config.task));
  const metricsPath = join(out, 'metrics.jsonl');
  const tracesPath = join(out, 'traces.jsonl');
  if (resumeState) {
    trainer.loadState(resumeState);
    const at = resumeState.step;
    // drop what an uninterrupted run would not have: rows past the checkpoint, and an eval row that only
    // existed because the earlier run ended there
    writeFileSync(metricsPath, keepRows(metricsPath, (r) => (r.kind === 'train' ? r.step < at : r.step < at || (r.step === at && isEvalStep(config, at)))));
    writeFileSync(tracesPath, keepRows(tracesPath, (r) => r.step < at));
  } else {
    writeFileSync(metricsPath, '');
    writeFileSync(tracesPath, '');
  }
  const append = (path: string, rows: object[]) => {
    if (rows.length) writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n') + '\n', { flag: 'a' });
  };
  const save = async () => writeFileSync(join(out, 'checkpoint.safetensors'), encodeRunState(await trainer.saveState(), config));

  const bar = new ProgressBar(config.steps, `${config.method}/${config.reward}`);
  let lastEval = '';
  let reward = '';
  // a run's checkpoints are written only after evaluations, so a resumed run has done the one due at its step
  const loop = new TrainingLoop(trainer, {
    trained: ({ metrics, traces }) => {
      append(metricsPath, [metrics]);
      append(tracesPath, traces);
      reward = `reward ${(metrics['reward/clean'] as number).toFixed(2)}`;
    },
    evaluated: async (row) => {
      append(metricsPath, [row]);
      lastEval = `eval pass@1 ${(row['eval/pass@1'] as number).toFixed(3)}`;
      await save();
    },
    stepped: () => bar.update(trainer.step, `${reward} ${lastEval}`),
  }, resumeState !== null);
  await loop.run();
  bar.done();
  console.log(`done: ${trainer.step} steps -> ${out} (${lastEval})`);
  trainer.destroy();
  backend.destroy();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runTraining(process.argv.slice(2)).catch((e) => {
    console.error(`train failed: ${(e as Error).message}`);
    process.exit(1);
  });
}
