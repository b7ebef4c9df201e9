// Compute-matched baselines: GRPO with N + K samples against DenoiseRL's N + K, and GRPO-extra at LTE's sample
// count (extraScope none_pass), whose second round draws the same rows on the same groups as LTE's hinted
// round, without the hint.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../../src/backend/cpu';
import { nodeWeights } from '../../../src/cli/nodeWeights';
import { METHODS } from '../../../src/rl/methods';
import { parseRunConfig, type RunConfigInput } from '../../../src/run/config';
import { getPreset } from '../../../src/run/presets';
import type { MetricRow, TraceRow } from '../../../src/run/records';
import { Trainer } from '../../../src/run/trainer';
import { GUARD_CHECKPOINTS } from '../../run/guard';

const rows = (name: string) => {
  const c = parseRunConfig(getPreset(name).config);
  return METHODS[c.method].rowsPerPrompt(c as never);
};

describe('compute-matched baselines', () => {
  it('give GRPO N + K samples per prompt, as DenoiseRL draws, and GRPO-extra 2G or G', () => {
    const d = parseRunConfig(getPreset('denoise').config);
    expect(rows('grpo_nk')).toBe(d.groupSize + d.denoiseK);
    expect(rows('denoise')).toBe(d.groupSize + d.denoiseK);
    expect(rows('grpo_extra')).toBe(2 * parseRunConfig(getPreset('grpo_extra').config).groupSize);
    expect(rows('grpo_extra_matched')).toBe(rows('lte')); // the first round; the second is drawn like LTE's
  });

  it('draw as many second-round samples for GRPO-extra (none_pass) as LTE, on the same groups, with the same first round', async () => {
    const run = async (over: RunConfigInput): Promise<{ metrics: MetricRow; traces: TraceRow[] }> => {
      const config = parseRunConfig({
        task: 'addition', model: 'weaker', difficulty: 4, maxCompletionLength: 48, trainProblems: 16, promptsPerStep: 8, groupSize: 4,
        tracesPerStep: 256, seed: 3, ...over,
      });
      const t = await Trainer.create(new CpuBackend(), config, nodeWeights(config.task, GUARD_CHECKPOINTS));
      try { return await t.trainStep(); } finally { t.destroy(); }
    };
    const lte = await run({ method: 'lte' });
    const extra = await run({ method: 'grpo_extra', extraScope: 'none_pass' });
    const hintedGroups = lte.metrics['lte/hinted_groups'] as number;
    expect(hintedGroups, 'precondition: some group of the first step is none-pass').toBeGreaterThan(0);
    expect(extra.metrics['extra/resampled_groups']).toBe(hintedGroups);
    const firstRound = (ts: TraceRow[]) => ts.filter((t) => t.kind === 'normal').map((t) => [t.group, t.completion]);
    expect(firstRound(extra.traces)).toEqual(firstRound(lte.traces));
    const second = (ts: TraceRow[], kind: string) => ts.filter((t) => t.kind === kind).map((t) => t.group);
    expect(second(extra.traces, 'extra')).toEqual(second(lte.traces, 'hinted'));
    expect(second(extra.traces, 'extra').length).toBe(4 * hintedGroups);
    // stagnation counts each prompt's own G samples: the extra ones do not make GRPO-extra look less stagnant
    expect(extra.metrics['stagnation/none_pass_frac']).toBe(lte.metrics['stagnation/none_pass_frac']);
    expect(extra.metrics['stagnation/solved_frac']).toBe(lte.metrics['stagnation/solved_frac']);
    expect(extra.metrics['stagnation/none_pass_frac']).toBe(hintedGroups / 8);
    // every sample GRPO-extra draws is trained; LTE trains only the hinted samples that replace failed ones
    expect(extra.traces.every((t) => t.trained)).toBe(true);
    // and the same config with extraScope all draws 2G for every prompt, none-pass or not
    const all = await run({ method: 'grpo_extra', extraScope: 'all' });
    expect(all.traces.length).toBe(8 * 8);
    expect(all.metrics['extra/resampled_groups']).toBeNull();
  });
});
