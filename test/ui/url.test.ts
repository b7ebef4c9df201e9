import { describe, expect, it } from 'vitest';
import { parseRunConfig, type RunConfig } from '../../src/run/config';
import { PRESETS } from '../../src/run/presets';
import { SCHEMA_DEFAULTS, SMALL_DEVICE } from '../../src/ui/config';
import { presetConfig } from '../../src/ui/form';
import { MAX_QUERY_CHARS, readUrl, writeUrl } from '../../src/ui/url';

const cpu = { kind: 'cpu', adapter: null, software: false, fallbackReason: 'none', compileMs: null } as const;

describe('config <-> URL', () => {
  it('round-trips every preset, on a GPU and on a small device, with any seed', () => {
    for (const p of PRESETS) {
      for (const info of [null, cpu]) {
        const config = parseRunConfig({ ...presetConfig(p.name, info), seed: 12345 });
        const back = readUrl(`?${writeUrl(config)}`);
        expect(back.notices).toEqual([]);
        expect(back.explicit).toBe(true);
        expect(back.config).toEqual(config);
      }
    }
  });

  it('round-trips awkward numbers and booleans exactly', () => {
    const config = parseRunConfig({ lr: 3e-5, epsilonHigh: 0.28, temperature: 0.7000000000000001, srtSoft: true, denoiseCurriculum: true, seed: 2 ** 32 - 1 });
    const back = readUrl(writeUrl(config));
    expect(back.config).toEqual(config);
  });

  it('writes only what differs from the defaults, and always the seed', () => {
    expect(writeUrl(SCHEMA_DEFAULTS)).toBe('seed=1');
    const q = new URLSearchParams(writeUrl(parseRunConfig({ method: 'lte', groupSize: 4 }), 'cpu'));
    expect(Object.fromEntries(q)).toEqual({ seed: '1', method: 'lte', groupSize: '4', backend: 'cpu' });
  });

  it('an empty query is not explicit and gives the base (device) defaults', () => {
    const r = readUrl('', SMALL_DEVICE);
    expect(r.explicit).toBe(false);
    expect(r.notices).toEqual([]);
    expect(r.config).toEqual(parseRunConfig(SMALL_DEVICE));
  });

  it('bad and unknown fields give one clear notice each and their defaults; nothing throws', () => {
    const r = readUrl('?difficulty=9&lr=-1&model=huge&groupSize=abc&srtSoft=maybe&foo=1&seed=7&backend=tpu');
    expect(r.config).toEqual({ ...SCHEMA_DEFAULTS, seed: 7 } satisfies RunConfig);
    expect(r.backend).toBeNull();
    expect(r.notices).toHaveLength(7);
    const text = r.notices.join('\n');
    for (const s of ['difficulty = "9"', 'an integer in [1, 6]', 'lr = "-1"', 'model = "huge"', 'groupSize = "abc"', 'srtSoft = "maybe"', 'unknown field "foo"', 'backend "tpu"']) {
      expect(text).toContain(s);
    }
  });

  it('a preset in the link applies first, explicit fields win over it', () => {
    const r = readUrl('?preset=noisy_flip&flipRate=0.2');
    expect(r.config.reward).toBe('flip');
    expect(r.config.flipRate).toBe(0.2);
    expect(r.config.lr).toBe(3e-5);
    expect(readUrl('?preset=nope').notices[0]).toContain('unknown preset "nope"');
  });

  it('a link whose fields are all invalid is still the link: explicit, its experiment over the defaults', () => {
    const r = readUrl('?groupSize=1&steps=-3&bogus=2', SMALL_DEVICE);
    expect(r.explicit).toBe(true); // the lab then shows this experiment, never the run this browser stored last
    expect(r.config).toEqual(parseRunConfig(SMALL_DEVICE));
    expect(r.notices).toHaveLength(3);
    expect(readUrl('?preset=nope').explicit).toBe(true);
    expect(readUrl('?backend=cpu').explicit).toBe(false); // the backend is not the experiment
  });

  it('a link longer than the cap is refused with a notice; the lab never writes one that long', () => {
    const long = `?seed=1&${'x'.repeat(20_000)}=1`;
    const r = readUrl(long, SMALL_DEVICE);
    expect(r.notices).toEqual([`This link is ${long.length - 1} characters long; the lab reads links up to ${MAX_QUERY_CHARS}, so it was ignored and the defaults are used.`]);
    expect(r.config).toEqual(parseRunConfig(SMALL_DEVICE));
    // the longest config the lab can write: every number field at an awkward non-default value
    const awkward = Object.fromEntries(Object.entries(SCHEMA_DEFAULTS).map(([k, v]) => [k, typeof v === 'number' ? v : v]));
    for (const k of ['lr', 'temperature', 'epsilonLow', 'epsilonHigh', 'beta', 'flipRate', 'rmAccuracy', 'srtThreshold', 'srtKeepFraction', 'denoiseRho', 'weightDecay', 'adamBeta1', 'adamBeta2', 'denoiseEfficiencyBonus', 'denoiseDiversityBonus']) {
      awkward[k] = 0.12345678901234567;
    }
    const q = writeUrl(parseRunConfig({ ...awkward, seed: 2 ** 32 - 1, trainProblems: 99999, denoisePoolProblems: 99999, evalEvery: 99999, steps: 999999 }), 'webgpu');
    expect(q.length).toBeLessThan(MAX_QUERY_CHARS);
  });

  it('survives hostile input', () => {
    for (const q of ['?__proto__=1', '?constructor=x', '?%E0%A4%A=1', '?seed=1e400', '?seed=', '?steps=NaN', '?seed=-0', '?task=toString']) {
      const r = readUrl(q);
      expect(() => parseRunConfig(r.config)).not.toThrow();
      expect(Object.getPrototypeOf(r.config)).toBe(Object.prototype);
    }
  });
});
