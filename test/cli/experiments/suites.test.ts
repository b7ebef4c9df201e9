// The suite definitions are internally consistent: configs validate, shared runs really are the same run,
// every table has at least 3 seeds, and comparisons and charts name variants and columns that exist.
import { describe, expect, it } from 'vitest';
import { suiteJobs } from '../../../src/cli/experiments/jobs';
import { PAPER_SUITES, SUITES, getSuite } from '../../../src/cli/experiments/suites';

describe('experiment suites', () => {
  it('validate, and a shared variant has exactly the config of the run it shares', () => {
    const byId = new Map<string, string>();
    for (const s of SUITES) {
      for (const j of suiteJobs(s, 'runs')) {
        const cfg = JSON.stringify(j.config);
        if (byId.has(j.id)) expect(cfg, j.id).toBe(byId.get(j.id));
        byId.set(j.id, cfg);
      }
    }
    expect(suiteJobs(getSuite('srt'), 'runs').filter((j) => j.id.startsWith('grpo/grpo/'))).toHaveLength(3);
  });

  it('report mean and spread over at least 3 seeds, and refer only to things that exist', () => {
    for (const s of PAPER_SUITES) expect(s.seeds.length, s.name).toBeGreaterThanOrEqual(3);
    for (const s of SUITES) {
      const names = new Set(s.variants.map((v) => v.name));
      for (const c of s.comparisons) {
        expect(names.has(c.a) && (!c.b || names.has(c.b)), `${s.name}: ${c.a} ${c.b}`).toBe(true);
        expect(s.columns[c.column], `${s.name} column ${c.column}`).toBeDefined();
      }
      for (const ch of s.charts) for (const v of ch.variants ?? []) expect(names.has(v), `${s.name} chart ${ch.id}`).toBe(true);
    }
    expect(() => getSuite('nope')).toThrow(/expected one of/);
  });
});
