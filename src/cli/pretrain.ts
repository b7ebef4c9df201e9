// npm run make-checkpoints -- [--task addition|chain|all] [--variant weak|weaker|all] [--seed S] [--steps MAX] [--mixed-steps N] [--gold-from DIR] [--out DIR] [--backend cpu|webgpu]
// Trains the shipped weak checkpoints on the CPU backend and writes DIR/<task>-weak.safetensors and
// DIR/<task>-weak.json (the manifest: config, tokenizer, seed, steps, corpus, measured Pass@1 / Pass@8 and gates).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCheckpoint, saveCheckpoint } from '../model/checkpoint';
import { MODEL_PRESETS, type GPTConfig } from '../model/config';
import { LEARNED_CORPUS, PRETRAIN_DEFAULTS, pretrain } from '../run/pretrain';
import { GOLD_ONLY_MIX } from '../tasks/corpus';
import { TASKS } from '../tasks';
import { formatFlags, parseFlags, runMain, wantsHelp } from './args';
import { createNodeBackend } from './nodeBackend';
import { ProgressBar } from './progress';

/**
 * weak: the policy every RL run starts from (Pass@1 on the RL difficulty in the weak band), a rotary tiny
 *   model with the base model's habits from its first step.
 * weaker: a smaller, weaker model, DenoiseRL's preferred source of wrong traces: a micro model, which keeps
 *   learned positions (see MODEL_PRESETS), so its corpus has no hints; mixed-stage steps per task (chain
 *   needed 450 to reach the band's shape; docs/methods.md).
 */
const WEAK_VARIANTS = [
  { name: 'weak', model: 'tiny', options: {}, mixedSteps: { addition: 300, chain: 300 } },
  {
    name: 'weaker', model: 'micro', options: { stopAtPassAt1: 0.15, goldCorpus: GOLD_ONLY_MIX, corpus: LEARNED_CORPUS },
    mixedSteps: { addition: 300, chain: 450 },
  },
] as const;

// The pretraining flags, one line each (npm run make-checkpoints -- --help prints them from here).
const FLAGS = {
  task: { kind: 'string', value: 'T', help: 'which task\'s checkpoints', choices: [...Object.keys(TASKS), 'all'], default: 'all' },
  variant: { kind: 'string', value: 'V', help: 'which of each task\'s checkpoints', choices: [...WEAK_VARIANTS.map((v) => v.name), 'all'], default: 'all' },
  seed: { kind: 'int', value: 'S', help: 'random seed', default: PRETRAIN_DEFAULTS.seed },
  steps: { kind: 'int', value: 'MAX', help: 'most gold-stage steps per checkpoint (each stops early once weak enough)', default: PRETRAIN_DEFAULTS.maxSteps },
  'mixed-steps': { kind: 'int', value: 'N', help: 'steps on the mixed corpus after the gold stage (default: the task\'s own, see docs/methods.md)' },
  'gold-from': { kind: 'string', value: 'DIR', help: 'skip the gold stage: start from DIR/<task>-<variant>.safetensors and its manifest\'s steps' },
  out: { kind: 'string', value: 'DIR', help: 'where the checkpoints are written (the shipped ones live there)', default: 'public/checkpoints' },
  backend: { kind: 'string', value: 'B', help: 'where the maths runs', choices: ['cpu', 'webgpu'], default: 'cpu' },
} as const;

const HELP = `Usage: npm run make-checkpoints -- [options]
Supervised training on gold traces, stopped early, then N steps on the mixed corpus (slips, self-corrections,
shortcuts): a weak policy with a base model's habits (see docs/methods.md, "The pretraining world").

${formatFlags(FLAGS)}`;

/** A preset's size fields, without its position scheme. */
const sizeOf = ({ positions: _positions, ...size }: GPTConfig): Partial<GPTConfig> => size;

async function main() {
  const argv = process.argv.slice(2);
  if (wantsHelp(argv)) { console.log(HELP); return; }
  const args = parseFlags(argv, FLAGS);
  const tasks = args.task === 'all' ? Object.keys(TASKS) : [args.task];
  const out = args.out;
  mkdirSync(out, { recursive: true });
  const variants = WEAK_VARIANTS.filter((v) => args.variant === 'all' || v.name === args.variant);
  for (const task of tasks) for (const variant of variants) {
    const backend = await createNodeBackend(args.backend);
    const opts = {
      ...PRETRAIN_DEFAULTS, ...variant.options, model: variant.model, task,
      seed: args.seed, maxSteps: args.steps,
      mixedSteps: args['mixed-steps'] ?? (variant.mixedSteps as Record<string, number>)[task] ?? PRETRAIN_DEFAULTS.mixedSteps,
    };
    const goldFrom = args['gold-from'];
    // the gold checkpoint's own config decides (its positions may differ from today's preset); its size must be the preset's
    const gold = goldFrom === undefined ? undefined
      : loadCheckpoint(new Uint8Array(readFileSync(join(goldFrom, `${task}-${variant.name}.safetensors`))), sizeOf(MODEL_PRESETS[variant.model]));
    const init = goldFrom === undefined || gold === undefined ? undefined : {
      config: gold.config, params: gold.params,
      steps: (JSON.parse(readFileSync(join(goldFrom, `${task}-${variant.name}.json`), 'utf8')) as { steps: number }).steps,
    };
    const bar = new ProgressBar(opts.maxSteps + opts.mixedSteps, `pretrain ${task}-${variant.name}`);
    let lastCheck = '';
    const { model, manifest } = await pretrain(backend, {
      ...opts,
      onProgress: (p) => {
        if (p.passAt1 !== undefined) lastCheck = ` pass@1(d${opts.evalDifficulty})=${p.passAt1.toFixed(2)}`;
        bar.update(p.step, `loss ${p.loss.toFixed(3)}${lastCheck}`);
      },
    }, init);
    bar.done();
    const params = (await backend.read(model.params)) as Float32Array;
    const file = `${task}-${variant.name}.safetensors`;
    const bytes = saveCheckpoint({ config: model.cfg, params, metadata: { task, seed: String(opts.seed), steps: String(manifest.steps) } });
    writeFileSync(join(out, file), bytes);
    writeFileSync(join(out, `${task}-${variant.name}.json`), JSON.stringify({ ...manifest, file }, null, 2) + '\n');
    console.log(`${task}-${variant.name}: ${manifest.steps} steps, held-out d${manifest.eval.difficulty} pass@1 ${manifest.eval['pass@1']}, pass@8 ${manifest.eval['pass@8']} -> ${join(out, file)} (${(bytes.length / 1024).toFixed(0)} KiB)`);
    backend.destroy();
  }
}

runMain('make-checkpoints', main);
