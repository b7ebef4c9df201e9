// The experiment form (src/ui/form.ts): presets are whole configs over the lab's defaults, hand edits are
// drafts until the config is valid, Start says why it is off, run names tell runs apart, and the schema's
// cross-field rules are the same for the form, the URL reader and the run-file importer.
import { describe, expect, it } from 'vitest';
import { ConfigError, parseRunConfig } from '../../src/run/config';
import { encodeRunState } from '../../src/run/runState';
import { PRESETS } from '../../src/run/presets';
import { editField, isolate, matchPreset, presetConfig, presetLabel, runName, startBlockers, type Drafts } from '../../src/ui/form';
import { encodeRunFile, parseRunFile } from '../../src/worker/runFile';
import { readUrl } from '../../src/ui/url';

const cpu = { kind: 'cpu', adapter: null, software: false, fallbackReason: 'none', compileMs: null } as const;

describe('presets', () => {
  it('give the same complete config whatever was picked before', () => {
    const fresh = presetConfig('grpo', cpu);
    expect(fresh.groupSize).toBe(4); // the small device's default
    // pick every preset in turn, then GRPO again: nothing carries over (it used to keep G = 8 from DenoiseRL)
    for (const p of PRESETS) expect(presetConfig(p.name, cpu).seed).toBe(1);
    expect(presetConfig('denoise', cpu).groupSize).toBe(8);
    expect(presetConfig('grpo', cpu)).toEqual(fresh);
    expect(presetConfig('noisy_flip', cpu).difficulty).toBe(3); // not LTE's 4, whatever came before
    for (const p of PRESETS) expect(matchPreset(presetConfig(p.name, null), null)).toBe(p.name);
  });

  it('a hand edit turns the label into "Custom (from <preset>)"', () => {
    const grpo = presetConfig('grpo', cpu);
    expect(presetLabel(grpo, 'grpo', cpu)).toEqual({ exact: 'grpo', label: 'GRPO, clean reward' });
    const edited = editField(grpo, {}, 'lr', '0.0001').config;
    expect(edited.lr).toBe(1e-4);
    expect(presetLabel(edited, 'grpo', cpu)).toEqual({ exact: null, label: 'Custom (from GRPO, clean reward)' });
    expect(presetLabel(edited, null, cpu).label).toBe('Custom');
  });

  it('run names tell two runs of the same preset and seed apart', () => {
    const a = runName('GRPO, clean reward', 1, []);
    const b = runName('GRPO, clean reward', 1, [a]);
    expect(a).not.toBe(b);
    expect(b).toBe('GRPO, clean reward · seed 1 · #2');
    expect(runName('GRPO, clean reward', 2, [a, b])).toBe('GRPO, clean reward · seed 2 · #1');
  });
});

describe('the form', () => {
  const base = presetConfig('grpo', cpu);

  it('an invalid field is a draft: the config (what runs) keeps its value and Start says why it is off', () => {
    const { config, drafts } = editField(base, {}, 'groupSize', '1');
    expect(config).toBe(base);
    expect(drafts.groupSize).toMatchObject({ text: '1', error: 'an integer from 2 to 64' });
    const why = startBlockers({ config, drafts, step: 0, readOnly: false });
    expect(why).toEqual(['Group size G is "1": an integer from 2 to 64.']);
    const fixed = editField(config, drafts, 'groupSize', '6');
    expect(fixed.config.groupSize).toBe(6);
    expect(fixed.drafts).toEqual({});
    expect(startBlockers({ ...fixed, step: 0, readOnly: false })).toEqual([]);
  });

  it('steps = 0 and a finished run say why Start is off; so does a run another tab trains', () => {
    const zero = editField(base, {}, 'steps', '0');
    expect(zero.config.steps).toBe(0);
    expect(startBlockers({ ...zero, step: 0, readOnly: false })[0]).toMatch(/^Steps is 0/);
    expect(startBlockers({ config: base, drafts: {}, step: base.steps, readOnly: false })[0]).toMatch(/finished/);
    expect(startBlockers({ config: base, drafts: {}, step: 3, readOnly: true })[0]).toMatch(/another tab/);
  });

  it('a cross-field rule names both fields, and fixing either field clears it', () => {
    const denoise = presetConfig('denoise', cpu); // G = 8, K = 4
    const bad = editField(denoise, {}, 'denoiseK', '12');
    expect(bad.config).toBe(denoise);
    expect(bad.drafts.denoiseK?.error).toMatch(/denoiseK = 12 is more than groupSize = 8/);
    expect(startBlockers({ ...bad, step: 0, readOnly: false })[0]).toMatch(/denoiseK.*groupSize/);
    const ok = editField(bad.config, bad.drafts, 'groupSize', '12');
    expect(ok.drafts).toEqual({});
    expect([ok.config.groupSize, ok.config.denoiseK]).toEqual([12, 12]);
  });

  it('a draft waits while another field is invalid', () => {
    let s: { config: typeof base; drafts: Drafts } = { config: base, drafts: {} };
    s = editField(s.config, s.drafts, 'groupSize', 'x');
    s = editField(s.config, s.drafts, 'lr', '0.001');
    expect(s.config.lr).toBe(base.lr);
    s = editField(s.config, s.drafts, 'groupSize', '5');
    expect([s.config.groupSize, s.config.lr, s.drafts]).toEqual([5, 0.001, {}]);
  });

  it('names from elsewhere are isolated for display', () => {
    expect(isolate('\u05e9\u05dc\u05d5\u05dd run')).toBe('\u2068\u05e9\u05dc\u05d5\u05dd run\u2069');
  });
});

describe('one schema for every door', () => {
  it('the CLI/URL/import parser, the URL reader and the import validator refuse denoiseK > G naming both fields', () => {
    expect(() => parseRunConfig({ method: 'denoise', groupSize: 4, denoiseK: 6 })).toThrow(ConfigError);
    expect(() => parseRunConfig({ method: 'denoise', groupSize: 4, denoiseK: 6 })).toThrow(/denoiseK = 6 is more than groupSize = 4/);
    expect(() => parseRunConfig({ method: 'grpo', groupSize: 4, denoiseK: 6 })).not.toThrow(); // K is unused outside DenoiseRL
    expect(() => parseRunConfig({ method: 'denoise', trainProblems: 100, denoisePoolProblems: 200 })).toThrow(/denoisePoolProblems = 200 is more than trainProblems = 100/);

    const url = readUrl('?method=denoise&groupSize=4&denoiseK=6');
    expect(url.notices.join('\n')).toMatch(/denoiseK = 6 is more than groupSize = 4/);
    expect(url.config.denoiseK).toBeLessThanOrEqual(url.config.groupSize);

    const config = parseRunConfig({ method: 'denoise', model: 'micro', steps: 5 });
    const text = JSON.parse(encodeRunFile({ name: 'x', createdAt: 0, config, series: { train: [], evals: [] }, traces: [], checkpoint: null }));
    text.config = { ...text.config, groupSize: 2, denoiseK: 3 };
    expect(() => parseRunFile(JSON.stringify(text))).toThrow(/config is not valid: denoiseK = 3 is more than groupSize = 2/);
  });

  it('an imported checkpoint past its config.steps is refused with both numbers', () => {
    const config = parseRunConfig({ model: 'micro', steps: 10 });
    const params = Float32Array.from({ length: 64 }, (_, i) => Math.sin(i));
    const state = { step: 100, solved: [], method: { rho: 0.2, pool: null }, params, adam: { m: params, v: params.map((x) => x * x), t: 100 } };
    const file = encodeRunFile({ name: 'x', createdAt: 0, config, series: { train: [], evals: [] }, traces: [], checkpoint: { step: 100, evalDone: true, bytes: encodeRunState(state, config) } });
    expect(() => parseRunFile(file)).toThrow(/step 100, past the run's config\.steps = 10/);
  });
});
