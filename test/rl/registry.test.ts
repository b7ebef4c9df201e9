// The method and reward registries: the page-safe catalogs (About) and the engine's hooks list the same
// names, every knob is a config field, every owned metric is in the train-row contract and in no other
// About, and the trainer's source names no method.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { METHOD_ABOUT, METHODS } from '../../src/rl/methods';
import { REWARD_ABOUT, REWARD_KINDS } from '../../src/rl/rewards';
import { RunConfigSchema } from '../../src/run/config';
import { EVAL_METRICS, TRAIN_METRICS } from '../../src/run/records';

const abouts = [...METHOD_ABOUT, ...REWARD_ABOUT];

describe('method and reward registries', () => {
  it('list the same names in the catalog, the engine and the config schema', () => {
    expect(Object.keys(METHODS).sort()).toEqual(METHOD_ABOUT.map((m) => m.name).sort());
    expect(Object.keys(REWARD_KINDS).sort()).toEqual(REWARD_ABOUT.map((r) => r.name).sort());
    expect(RunConfigSchema.shape.method.unwrap().options).toEqual(METHOD_ABOUT.map((m) => m.name));
    expect(RunConfigSchema.shape.reward.unwrap().options).toEqual(REWARD_ABOUT.map((r) => r.name));
  });

  it('declare knobs that are config fields, and metrics that the train rows carry, each owned once', () => {
    const fields = Object.keys(RunConfigSchema.shape);
    for (const a of abouts) for (const k of a.knobs) expect(fields, `${a.name} knob ${k.key}`).toContain(k.key);
    const owned = abouts.flatMap((a) => [...a.metrics]);
    expect(new Set(owned).size).toBe(owned.length);
    for (const m of owned) expect(TRAIN_METRICS).toContain(m);
  });

  it('chart only metrics the rows carry', () => {
    for (const a of abouts) {
      for (const chart of a.charts) {
        for (const line of chart.lines) {
          const known = line.source === 'train' ? TRAIN_METRICS.includes(line.metric) : (EVAL_METRICS as readonly string[]).includes(line.metric) || /^eval\/pass@/.test(line.metric);
          expect(known, `${a.name} chart ${chart.id}: ${line.source} metric ${line.metric}`).toBe(true);
        }
      }
    }
  });

  it('say on the Learn page what this lab shows of each method, and where a claim did not reproduce', () => {
    const sections = [...METHOD_ABOUT, ...REWARD_ABOUT].flatMap((a) => (a.learn ? [{ name: a.name, ...a.learn }] : []));
    expect(sections.length).toBeGreaterThanOrEqual(5);
    for (const s of sections) expect(s.here, s.name).toMatch(/^Here/);
    // what is not settled is said, not hidden; where to look for the phenomenon is said
    expect(sections.find((s) => s.name === 'lte')?.here).toMatch(/did not reproduce/);
    expect(sections.find((s) => s.name === 'denoise')?.here).toMatch(/"recovered" filter finds them/);
    expect(sections.find((s) => s.name === 'self_consistency')?.here).toMatch(/first rises/);
    expect(sections.find((s) => s.name === 'denoise')?.here).toMatch(/did not reproduce/);
  });

  it('leave method names out of the trainer', () => {
    const src = readFileSync(new URL('../../src/run/trainer.ts', import.meta.url), 'utf8');
    for (const name of [...METHOD_ABOUT.map((m) => m.name), 'hint', 'rho', 'pool'].filter((n) => n !== 'grpo')) {
      expect(src, name).not.toMatch(new RegExp(`\\b${name}`, 'i'));
    }
  });
});
