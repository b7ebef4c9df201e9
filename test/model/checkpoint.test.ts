// Checkpoints: safetensors round trip, and clear refusals of broken or mismatched files.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/backend/cpu';
import { CHECKPOINT_DIR } from '../../src/cli/nodeWeights';
import { GUARD_CHECKPOINTS } from '../run/guard';
import { loadCheckpoint, saveCheckpoint } from '../../src/model/checkpoint';
import { GPTConfigSchema, MODEL_PRESETS } from '../../src/model/config';
import { GPT } from '../../src/model/gpt';
import { paramLayout } from '../../src/model/layout';
import { PRETRAIN_DEFAULTS, pretrain } from '../../src/run/pretrain';
import { TASKS } from '../../src/tasks';

async function microCheckpoint() {
  const k = new CpuBackend();
  const model = new GPT(k, MODEL_PRESETS.micro);
  model.initParams(9);
  const params = (await k.read(model.params)) as Float32Array;
  return { config: MODEL_PRESETS.micro, params, metadata: { task: 'addition', seed: '9' } };
}

describe('checkpoints', () => {
  it('round-trip parameters, config and metadata exactly', async () => {
    const ck = await microCheckpoint();
    const back = loadCheckpoint(saveCheckpoint(ck));
    expect(back.config).toEqual(ck.config);
    expect(back.metadata).toEqual(ck.metadata);
    expect(Array.from(back.params)).toEqual(Array.from(ck.params));
  });

  it('is a valid safetensors file: header length, JSON header, 8-byte aligned data of the right size', async () => {
    const bytes = saveCheckpoint(await microCheckpoint());
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect((8 + n) % 8).toBe(0);
    expect(header.wte).toEqual({ dtype: 'F32', shape: [24, 32], data_offsets: [0, 24 * 32 * 4] });
    expect(bytes.length - 8 - n).toBe(paramLayout(MODEL_PRESETS.micro).count * 4);
    // micro keeps learned positions (its table is stored); the other presets are rotary: none is stored
    expect(JSON.parse(header.__metadata__.config).positions).toBe('learned');
    expect(header.wpe.shape).toEqual([64, 32]);
    const tiny = new GPT(new CpuBackend(), MODEL_PRESETS.tiny);
    tiny.initParams(9);
    const tinyBytes = saveCheckpoint({ config: MODEL_PRESETS.tiny, params: (await tiny.backend.read(tiny.params)) as Float32Array, metadata: {} });
    const tn = Number(new DataView(tinyBytes.buffer).getBigUint64(0, true));
    const tinyHeader = JSON.parse(new TextDecoder().decode(tinyBytes.subarray(8, 8 + tn)));
    expect(JSON.parse(tinyHeader.__metadata__.config).positions).toBe('rope');
    expect(tinyHeader.wpe).toBeUndefined();
  });

  it('a checkpoint written before `positions` existed loads as a learned-position model with its wpe', () => {
    const bytes = new Uint8Array(readFileSync(`${GUARD_CHECKPOINTS}addition-weak.safetensors`));
    const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(JSON.parse(header.__metadata__.config)).not.toHaveProperty('positions'); // the precondition
    const ck = loadCheckpoint(bytes);
    expect(ck.config.positions).toBe('learned');
    const wpe = paramLayout(ck.config).byName.get('wpe');
    expect(wpe?.shape).toEqual([ck.config.maxT, ck.config.nEmbd]);
    expect(header.wpe.shape).toEqual(wpe?.shape);
  });

  it('refuses a rope config whose head size is odd, naming the field', () => {
    const bad = { ...MODEL_PRESETS.micro, positions: 'rope' as const, nHead: 32, nEmbd: 32 }; // head size 1
    const r = GPTConfigSchema.safeParse(bad);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].path).toEqual(['nHead']);
    expect(GPTConfigSchema.safeParse({ ...bad, positions: 'learned' }).success).toBe(true);
    expect(GPTConfigSchema.safeParse({ ...MODEL_PRESETS.micro, positions: 'alibi' }).error?.issues[0].path).toEqual(['positions']);
  });

  it('refuses truncated, foreign, mislabeled and mismatched files with a clear message', async () => {
    const bytes = saveCheckpoint(await microCheckpoint());
    expect(() => loadCheckpoint(bytes.subarray(0, bytes.length - 10))).toThrow(/checkpoint: .*outside the .*data \(truncated\?\)/);
    expect(() => loadCheckpoint(bytes.subarray(0, 5))).toThrow(/too short/);
    expect(() => loadCheckpoint(new TextEncoder().encode('{"not": "safetensors"} padding padding'))).toThrow(/checkpoint:/);
    // rewrite the JSON header in place (same length), leaving the binary data untouched
    const headerLen = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + headerLen));
    const relabel = (from: string, to: string) => {
      const out = bytes.slice();
      out.set(new TextEncoder().encode(header.replace(from, to)), 8);
      return out;
    };
    expect(() => loadCheckpoint(relabel('"dtype":"F32"', '"dtype":"F16"'))).toThrow(/dtype F16, expected F32/);
    expect(() => loadCheckpoint(relabel('"shape":[24,32]', '"shape":[32,24]'))).toThrow(/shape \[32,24\], expected \[24,32\]/);
    expect(() => loadCheckpoint(bytes, { nEmbd: 64 })).toThrow(/config.nEmbd is 32, expected 64/);
    const nan = bytes.slice();
    new DataView(nan.buffer).setFloat32(nan.length - 4, NaN, true);
    expect(() => loadCheckpoint(nan)).toThrow(/non-finite/);
  });

  it('the shipped weak checkpoints load, and their manifests match them', () => {
    const names = Object.keys(TASKS).flatMap((task) => [`${task}-weak`, `${task}-weaker`]);
    for (const name of names) {
      const ck = loadCheckpoint(new Uint8Array(readFileSync(`${CHECKPOINT_DIR}${name}.safetensors`)));
      const manifest = JSON.parse(readFileSync(`${CHECKPOINT_DIR}${name}.json`, 'utf8'));
      // the manifest's config read as a checkpoint's is (one made before `positions` existed is 'learned')
      expect(ck.config).toEqual(GPTConfigSchema.parse(manifest.config));
      expect(ck.metadata.steps).toBe(String(manifest.steps));
      // weak, but not useless, and making real mistakes; the weaker one (DenoiseRL's source of wrong traces,
      // trained on the same corpus with its shortcuts) is further down
      expect(manifest.eval['pass@1']).toBeGreaterThan(name.endsWith('-weaker') ? 0.02 : 0.1);
      expect(manifest.eval['pass@1']).toBeLessThan(0.5);
      expect(readFileSync(`${CHECKPOINT_DIR}${name}.safetensors`).length).toBeLessThan(2 * 1024 * 1024);
    }
  });

  it('pretraining from a gold-stage checkpoint keeps that checkpoint\'s config, not the preset\'s', async () => {
    const gold = loadCheckpoint(new Uint8Array(readFileSync(`${GUARD_CHECKPOINTS}addition-weak.safetensors`)));
    expect(gold.config.positions).not.toBe(MODEL_PRESETS.tiny.positions); // the precondition: they differ
    const { model, manifest } = await pretrain(new CpuBackend(), {
      ...PRETRAIN_DEFAULTS, task: 'addition', model: 'tiny', mixedSteps: 1, gates: false, batchSize: 4, finalEvalProblems: 2, finalEvalSamples: 2,
    }, { config: gold.config, params: gold.params, steps: 5 });
    expect(model.cfg).toEqual(gold.config);
    expect(manifest.config).toEqual(gold.config);
    expect(manifest.steps).toBe(6);
  });

  it('pretraining is deterministic in its seed (the shipped manifests are reproducible)', async () => {
    const run = async () => {
      const { model } = await pretrain(new CpuBackend(), { ...PRETRAIN_DEFAULTS, task: 'addition', model: 'micro', maxSteps: 3, mixedSteps: 3, gates: false, batchSize: 8, finalEvalProblems: 4, finalEvalSamples: 2 });
      return Array.from((await model.backend.read(model.params)) as Float32Array);
    };
    expect(await run()).toEqual(await run());
  });
});
