// npm run pretrain -- [--task addition|chain|all] [--seed S] [--steps MAX] [--mixed-steps N] [--gold-from DIR] [--out DIR]
// Trains the shipped weak checkpoints on the CPU backend and writes DIR/<task>-weak.safetensors and
// DIR/<task>-weak.json (the manifest: config, tokenizer, seed, steps, corpus, measured Pass@1 / Pass@8 and gates).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCheckpoint, saveCheckpoint } from '../model/checkpoint';
import { MODEL_PRESETS } from '../model/config';
import { MIXED_STEPS, PRETRAIN_DEFAULTS, pretrain } from '../run/pretrain';
import { TASKS } from '../tasks';
import { intFlag, parseArgs, stringFlag } from './args';
import { createNodeBackend } from './nodeBackend';
import { ProgressBar } from './progress';

/**
 * weak: the policy every RL run starts from (Pass@1 on the RL difficulty in the 15-50% window).
 * weaker: a smaller, weaker model, DenoiseRL's preferred source of wrong traces (methods.md section 4).
 */
const WEAK_VARIANTS = [
  { name: 'weak', model: 'tiny', stopAtPassAt1: 0.3 },
  { name: 'weaker', model: 'micro', stopAtPassAt1: 0.15 },
] as const;

const HELP = `npm run pretrain -- [--task addition|chain|all] [--seed S] [--steps MAX] [--mixed-steps N] [--gold-from DIR] [--out DIR] [--backend cpu|webgpu]
Supervised training on gold traces, stopped early, then N steps on the mixed corpus (docs/methods.md).
--gold-from DIR: skip the gold stage, starting from DIR/<task>-<variant>.safetensors and its manifest's steps.
Defaults: --task all --seed ${PRETRAIN_DEFAULTS.seed} --steps ${PRETRAIN_DEFAULTS.maxSteps} --out public/checkpoints --backend cpu`;

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.flags.has('help')) { console.log(HELP); return; }
  const which = stringFlag(args, 'task', 'all')!;
  const tasks = which === 'all' ? Object.keys(TASKS) : [which];
  const out = stringFlag(args, 'out', 'public/checkpoints')!;
  mkdirSync(out, { recursive: true });
  for (const task of tasks) for (const variant of WEAK_VARIANTS) {
    if (!TASKS[task]) throw new Error(`--task must be one of ${Object.keys(TASKS).join(', ')} or all`);
    const backend = await createNodeBackend(stringFlag(args, 'backend', 'cpu')!);
    const opts = {
      ...PRETRAIN_DEFAULTS, model: variant.model, stopAtPassAt1: variant.stopAtPassAt1, task,
      seed: intFlag(args, 'seed', PRETRAIN_DEFAULTS.seed)!, maxSteps: intFlag(args, 'steps', PRETRAIN_DEFAULTS.maxSteps)!,
      mixedSteps: intFlag(args, 'mixed-steps', MIXED_STEPS[task] ?? PRETRAIN_DEFAULTS.mixedSteps)!,
    };
    const goldFrom = stringFlag(args, 'gold-from');
    const init = goldFrom === undefined ? undefined : {
      params: loadCheckpoint(new Uint8Array(readFileSync(join(goldFrom, `${task}-${variant.name}.safetensors`))), MODEL_PRESETS[variant.model]).params,
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

main().catch((e) => {
  console.error(`pretrain failed: ${(e as Error).message}`);
  process.exit(1);
});
