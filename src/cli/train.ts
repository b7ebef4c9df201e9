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
import { UsageError, formatFlags, parseFlags, runMain, wantsHelp } from './args';
import { nodeWeights } from './nodeWeights';
import { createNodeBackend } from './nodeBackend';
import { ProgressBar } from './progress';

const DEFAULT_PRESET = 'grpo';
const FLAGS = {
  preset: { kind: 'string', value: '<name>', help: `start from this preset (listed below; default ${DEFAULT_PRESET})` },
  set: { kind: 'pairs', value: 'key=value', help: 'override one config field (listed below); repeatable', keys: configFields().map((f) => f.key) },
  steps: { kind: 'int', value: 'N', help: 'train up to N steps in all (default: the preset\'s, or the resumed run\'s)' },
  seed: { kind: 'int', value: 'S', help: 'random seed (default: the preset\'s)' },
  backend: { kind: 'string', value: 'B', help: 'where the maths runs', choices: ['cpu', 'webgpu'], default: 'cpu' },
  out: { kind: 'string', value: 'DIR', help: 'the run folder (default runs/<preset>-seed<seed>); refused if it holds a run' },
  overwrite: { kind: 'boolean', help: 'let --out replace the run already in DIR' },
  resume: { kind: 'string', value: 'DIR', help: 'continue the stopped run in DIR (with its own config) up to --steps' },
} as const;

/** What a run folder holds; --out onto a folder with any of them is refused unless --overwrite. */
const RUN_FILES = ['config.json', 'metrics.jsonl', 'traces.jsonl', 'checkpoint.safetensors'];

const HELP = `Usage:
  npm run train -- --preset <name> [--set key=value ...] [--steps N] [--seed S] [--backend cpu|webgpu] [--out DIR [--overwrite]]
  npm run train -- --resume DIR --steps N      continue a stopped run up to N steps in all

Options:
${formatFlags(FLAGS)}

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
  if (wantsHelp(argv)) { console.log(HELP); return; }
  const args = parseFlags(argv, FLAGS);
  let config: RunConfig;
  let out: string;
  let resumeState: ReturnType<typeof decodeRunState>['state'] | null = null;
  if (args.resume !== undefined) {
    // a resumed run keeps its own config and folder: a flag that would change them would be ignored
    const given = { preset: args.preset !== undefined, set: args.set.length > 0, seed: args.seed !== undefined, out: args.out !== undefined, overwrite: args.overwrite };
    const ignored = Object.keys(given).filter((k) => given[k as keyof typeof given]);
    if (ignored.length) throw new UsageError(`--resume continues a run with its own config and folder; --${ignored.join(', --')} cannot be combined with it`);
    out = args.resume;
    const ckPath = join(out, 'checkpoint.safetensors');
    if (!existsSync(ckPath)) throw new Error(`--resume ${out}: no checkpoint.safetensors there`);
    const decoded = decodeRunState(new Uint8Array(readFileSync(ckPath)));
    config = { ...decoded.config, steps: args.steps ?? decoded.config.steps };
    resumeState = decoded.state;
  } else {
    const preset = getPreset(args.preset ?? DEFAULT_PRESET);
    const input: Record<string, unknown> = { ...preset.config };
    for (const [k, v] of args.set) input[k] = coerceField(k, v);
    if (args.steps !== undefined) input.steps = args.steps;
    if (args.seed !== undefined) input.seed = args.seed;
    config = parseRunConfig(input);
    out = args.out ?? join('runs', `${preset.name}-seed${config.seed}`);
    const held = RUN_FILES.filter((f) => existsSync(join(out, f)));
    if (held.length && !args.overwrite) {
      throw new UsageError(`--out ${out} already holds a run (${held.join(', ')}). Continue it with \`npm run train -- --resume ${out} --steps N\`, `
        + 'choose another --out, or add --overwrite to replace it');
    }
  }
  const backend = await createNodeBackend(args.backend);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'config.json'), JSON.stringify(config, null, 2) + '\n');
  const trainer = await Trainer.create(backend, config, nodeWeights(config.task), resumeState ?? undefined);
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

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) runMain('train', () => runTraining(process.argv.slice(2)));
