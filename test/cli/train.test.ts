// The train CLI: files written under the metrics contract, and --resume equal to an uninterrupted run.
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTraining } from '../../src/cli/train';

const common = ['--preset', 'denoise', '--seed', '3', '--set', 'promptsPerStep=2', '--set', 'groupSize=4', '--set', 'denoiseK=2',
  '--set', 'denoisePoolProblems=4', '--set', 'denoisePoolSamples=2', '--set', 'evalProblems=4', '--set', 'evalSamples=2',
  '--set', 'evalPrefixProblems=2', '--set', 'evalEvery=2', '--set', 'denoiseCurriculum=true'];

const rows = (dir: string) => readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
const timeless = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).filter(([k]) => !k.startsWith('time/') && !k.startsWith('gpu/') && k !== 'step_time' && k !== 'tokens_per_s'));

describe('npm run train', () => {
  it('writes config, metrics, traces and a checkpoint, and --resume repeats an uninterrupted run', async () => {
    const root = mkdtempSync(join(tmpdir(), 'misstep-train-'));
    const straight = join(root, 'straight');
    const resumed = join(root, 'resumed');
    await runTraining([...common, '--steps', '3', '--out', straight]);
    for (const f of ['config.json', 'metrics.jsonl', 'traces.jsonl', 'checkpoint.safetensors']) expect(existsSync(join(straight, f)), f).toBe(true);
    const r = rows(straight);
    expect(r.filter((x) => x.kind === 'train').map((x) => x.step)).toEqual([0, 1, 2]);
    expect(r.filter((x) => x.kind === 'eval').map((x) => x.step)).toEqual([0, 2, 3]); // step 0, every 2, the last
    const traces = readFileSync(join(straight, 'traces.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    for (const key of ['step', 'prompt', 'hint', 'prefix', 'completion', 'answer', 'correct', 'reward_clean', 'reward_observed', 'advantage', 'first_wrong_step', 'logprobs']) {
      expect(traces[0]).toHaveProperty([key]);
    }
    // stop after 1 step (its checkpoint is at the step-1 eval), then continue to 3 in all
    await runTraining([...common, '--steps', '1', '--out', resumed]);
    await runTraining(['--resume', resumed, '--steps', '3']);
    expect(rows(resumed).map(timeless)).toEqual(r.map(timeless));
  });

  it('rejects a bad config field with its name, value and what is allowed', async () => {
    await expect(runTraining(['--preset', 'grpo', '--set', 'groupSize=1', '--out', join(tmpdir(), 'never')])).rejects.toThrow(/groupSize = 1: expected an integer in \[2, 64\]/);
    await expect(runTraining(['--preset', 'nope'])).rejects.toThrow(/unknown preset "nope"/);
  });
});
