// One short end-to-end run per method on the CPU backend from the shipped weak checkpoint, the metrics
// contract, exact resume, and NaN handling.
import { describe, expect, it } from 'vitest';
import { CpuBackend, cpuData } from '../../src/backend/cpu';
import { nodeWeights } from '../../src/cli/nodeWeights';
import { parseRunConfig, type RunConfigInput } from '../../src/run/config';
import { PRESETS } from '../../src/run/presets';
import { EVAL_METRICS, TRAIN_METRICS, type MetricRow } from '../../src/run/records';
import { decodeRunState, encodeRunState } from '../../src/run/runState';
import { Trainer } from '../../src/run/trainer';
import { GUARD_CHECKPOINTS } from './guard';

const small: RunConfigInput = {
  trainProblems: 6, promptsPerStep: 3, groupSize: 4, denoiseK: 2, denoisePoolProblems: 6, denoisePoolSamples: 2,
  evalProblems: 4, evalSamples: 2, evalPrefixProblems: 2, tracesPerStep: 8, lr: 1e-4,
};

async function makeTrainer(over: RunConfigInput) {
  const config = parseRunConfig({ ...small, ...over });
  return Trainer.create(new CpuBackend(), config, nodeWeights(config.task));
}

describe('Trainer', () => {
  for (const preset of PRESETS) {
    it(`runs the ${preset.name} preset end to end with finite metrics under the contract's names`, async () => {
      const t = await makeTrainer({ ...preset.config, difficulty: 3 });
      const rows: MetricRow[] = [];
      for (let i = 0; i < 2; i++) {
        const { metrics, traces } = await t.trainStep();
        rows.push(metrics);
        expect(traces.length).toBeGreaterThan(0);
        for (const tr of traces) {
          expect(tr.step).toBe(i);
          expect(typeof tr.completion).toBe('string');
          expect(tr.logprobs.length).toBe(tr.completion.length);
          // the verifier's spans travel with the trace: each step's offsets cut its text out of prefix + completion
          const full = tr.prefix + tr.completion;
          for (const st of tr.steps) expect(full.slice(st.start, st.end)).toBe(st.text);
          if (tr.answer !== null) expect(full.slice(tr.answer_start!)).toBe(`>${tr.answer}`);
          if (tr.answer_start === null) expect(tr.answer).toBeNull();
        }
      }
      const evalRow = await t.evaluate();
      for (const row of rows) {
        for (const name of TRAIN_METRICS) expect(row, name).toHaveProperty([name]);
        for (const [name, v] of Object.entries(row)) if (typeof v === 'number') expect(Number.isFinite(v), name).toBe(true);
      }
      for (const name of EVAL_METRICS) expect(evalRow).toHaveProperty([name]);
      expect(evalRow['eval/pass@1']).toBeGreaterThanOrEqual(0);
      expect(evalRow['eval/pass@2']).toBeGreaterThanOrEqual(evalRow['eval/pass@1'] as number);
      const last = rows[1];
      if (preset.config.method === 'denoise') expect(last['recovery/prefix_error_frac']).not.toBeNull();
      else expect(last['recovery/prefix_error_frac']).toBeNull();
      if (preset.config.reward === 'self_consistency') expect(last['srt/pseudo_label_acc']).not.toBeNull();
      else expect(last['srt/pseudo_label_acc']).toBeNull();
      t.destroy();
    });
  }

  it('resumes from a saved state exactly as an uninterrupted run', async () => {
    const over: RunConfigInput = { method: 'denoise', denoiseCurriculum: true, seed: 7 };
    const a = await makeTrainer(over);
    const straight: MetricRow[] = [];
    for (let i = 0; i < 3; i++) straight.push((await a.trainStep()).metrics);
    const b = await makeTrainer(over);
    await b.trainStep();
    const bytes = encodeRunState(await b.saveState(), b.config);
    const { state, config } = decodeRunState(bytes);
    const c = await Trainer.create(new CpuBackend(), config, nodeWeights(config.task));
    c.loadState(state);
    const resumed = [straight[0], (await c.trainStep()).metrics, (await c.trainStep()).metrics];
    const strip = (r: MetricRow) => Object.fromEntries(Object.entries(r).filter(([k]) => !k.startsWith('time/') && !['step_time', 'tokens_per_s'].includes(k) && !k.startsWith('gpu/')));
    expect(resumed.map(strip)).toEqual(straight.map(strip));
    expect(Array.from(cpuData(c.model.params) as Float32Array)).toEqual(Array.from(cpuData(a.model.params) as Float32Array));
  });

  it('stops with a clear message when the parameters hold NaN', async () => {
    const t = await makeTrainer({ method: 'grpo' });
    (cpuData(t.model.params) as Float32Array)[0] = NaN;
    await expect(t.trainStep()).rejects.toThrow(/NaN/);
  });

  it('a run state records its model; one saved before `positions` existed resumes as the learned model it was', async () => {
    const config = parseRunConfig({ ...small, model: 'tiny', maxCompletionLength: 40, seed: 3 });
    // a fresh tiny preset model is a rope model, and its state says so
    const fresh = await Trainer.create(new CpuBackend(), config, nodeWeights(config.task));
    expect(fresh.model.cfg.positions).toBe('rope');
    expect(decodeRunState(encodeRunState(await fresh.saveState(), config)).state.model).toEqual(fresh.model.cfg);
    // a learned tiny model trained one step, saved the old way (no model config in the state file)
    const old = await Trainer.create(new CpuBackend(), config, nodeWeights(config.task), { model: { ...fresh.model.cfg, positions: 'learned' } });
    expect(old.model.layout.byName.has('wpe')).toBe(true);
    await old.trainStep();
    const { model: _model, ...legacy } = await old.saveState();
    const { state } = decodeRunState(encodeRunState(legacy, config));
    expect(state.model).toBeUndefined();
    const resumed = await Trainer.create(new CpuBackend(), config, nodeWeights(config.task), state);
    expect(resumed.model.cfg.positions).toBe('learned');
    resumed.loadState(state);
    const next = [await old.trainStep(), await resumed.trainStep()].map((o) => o.metrics['reward/clean']);
    expect(next[1]).toBe(next[0]);
    expect(Array.from(cpuData(resumed.model.params) as Float32Array)).toEqual(Array.from(cpuData(old.model.params) as Float32Array));
    // a checkpoint's own config decides: a rope state cannot continue on the learned weak checkpoint
    const weakConfig = parseRunConfig({ ...small, method: 'grpo' });
    const weak = await Trainer.create(new CpuBackend(), weakConfig, nodeWeights(weakConfig.task, GUARD_CHECKPOINTS)); // kept copies, never re-made
    expect(weak.model.cfg.positions).toBe('learned'); // the precondition: this weak checkpoint predates rope
    expect(() => weak.loadState({ ...legacy, model: { ...weak.model.cfg, positions: 'rope' } })).toThrow(/rope positions, but the weak model is now a learned-position one/);
    for (const t of [fresh, old, resumed, weak]) t.destroy();
  });

  it('refuses a config whose completion budget does not fit the model context', async () => {
    await expect(makeTrainer({ maxCompletionLength: 200 })).rejects.toThrow(/maxT/);
  });
});
