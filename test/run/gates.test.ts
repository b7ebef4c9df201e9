// The shipped checkpoints' manifests: every gate recorded, judged by the same rule that judged it at
// pretraining, a note on every failed gate, and the recorded held-out evaluation re-measured on the weights.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/backend/cpu';
import { CHECKPOINT_DIR } from '../../src/cli/nodeWeights';
import { loadCheckpoint } from '../../src/model/checkpoint';
import { Decoder } from '../../src/model/decode';
import { GPT } from '../../src/model/gpt';
import { parseRunConfig } from '../../src/run/config';
import { GATE_DEFAULTS, GATE_JUDGES, measureGates, type GateReport } from '../../src/run/gates';
import { MODEL_PRESETS } from '../../src/model/config';
import { additionTask } from '../../src/tasks/addition';
import { finalEval, type WeakManifest } from '../../src/run/pretrain';
import { GOLD_ONLY_MIX, checkCorpusMix } from '../../src/tasks/corpus';

const manifests = readdirSync(CHECKPOINT_DIR).filter((f) => f.endsWith('.json'))
  .map((f) => ({ name: f, m: JSON.parse(readFileSync(`${CHECKPOINT_DIR}${f}`, 'utf8')) as WeakManifest }));
const mixed = manifests.filter(({ m }) => m.options.corpus !== undefined);

describe('GATE_JUDGES', () => {
  it('passes values inside every band and fails each one just outside it', () => {
    const band = { 'pass@1': 0.3, 'majority@8': 0.45 };
    expect(GATE_JUDGES['weak band'](band)).toBe(true);
    expect(GATE_JUDGES['weak band']({ ...band, 'pass@1': 0.2 })).toBe(false);
    expect(GATE_JUDGES['weak band']({ ...band, 'majority@8': 0.38 })).toBe(false);
    expect(GATE_JUDGES['random hint harmless']({ bare: 0.3, hinted: 0.28 })).toBe(true);
    expect(GATE_JUDGES['random hint harmless']({ bare: 0.3, hinted: 0.26 })).toBe(false);
    const own = { groups: 200, 'solved/hinted': 0.3, 'solved/bare': 0.2 };
    expect(GATE_JUDGES['own hint helps'](own)).toBe(true);
    expect(GATE_JUDGES['own hint helps']({ ...own, groups: 199 })).toBe(false);
    expect(GATE_JUDGES['own hint helps']({ ...own, 'solved/hinted': 0.2 })).toBe(false);
    const r = { recovered_by_retraction: 0.1, false_after_correct_prefix: 0.01, false_in_bare: 0.01 };
    expect(GATE_JUDGES.retraction(r)).toBe(true);
    expect(GATE_JUDGES.retraction({ ...r, recovered_by_retraction: 0.02 })).toBe(false);
    expect(GATE_JUDGES.retraction({ ...r, false_in_bare: 0.02 })).toBe(false);
    const sc = { share: 0.3, 'acc/shortcut': 0.1, 'acc/full': 0.4, 'rpr/correct': 0.6, 'rpr/wrong': 0.5 };
    expect(GATE_JUDGES.shortcuts(sc)).toBe(true);
    expect(GATE_JUDGES.shortcuts({ ...sc, share: 0.55 })).toBe(false);
    expect(GATE_JUDGES.shortcuts({ ...sc, 'acc/shortcut': 0.35 })).toBe(false);
    expect(GATE_JUDGES.shortcuts({ ...sc, 'rpr/wrong': 0.6 })).toBe(false);
  });
});

describe('measureGates', () => {
  it('measures every gate on a model; an untrained one fails the weak band and never recovers', async () => {
    const backend = new CpuBackend();
    const model = new GPT(backend, MODEL_PRESETS.micro);
    model.initParams(5);
    const decoder = new Decoder(model, 64);
    const r = await measureGates(decoder, additionTask, { difficulty: 2, seed: 1, problems: 8, hintProblems: 4, prefixProblems: 4, maxCompletionLength: 24 });
    expect(r.gates.map((g) => g.name)).toEqual(Object.keys(GATE_JUDGES));
    const weak = r.gates.find((g) => g.name === 'weak band')!;
    expect(weak.measured['pass@1']).toBe(0);
    expect(weak.pass).toBe(false);
    expect(r.gates.find((g) => g.name === 'retraction')!.measured.recovered_by_retraction).toBe(0);
    expect(r.allPass).toBe(false);
    decoder.destroy();
    backend.destroy();
  }, 60_000);
});

describe('shipped checkpoint manifests', () => {
  it('has every shipped checkpoint on the mixed corpus', () => {
    expect(mixed.map((x) => x.name).sort()).toEqual(manifests.map((x) => x.name).sort());
    expect(mixed.length).toBe(4);
  });
  for (const { name, m } of mixed) {
    describe(name, () => {
      const gates = m.gates as GateReport;
      it('records the corpus mix and the gates at the RL difficulty', () => {
        expect(() => checkCorpusMix(m.options.corpus)).not.toThrow();
        expect(Object.keys(m.options.corpus).sort()).toEqual(Object.keys(GOLD_ONLY_MIX).sort());
        expect(gates.difficulty).toBe(parseRunConfig({ task: m.task }).difficulty);
        expect(gates.gates.map((g) => g.name).sort()).toEqual(Object.keys(GATE_JUDGES).sort());
        expect(gates.settings.problems).toBeGreaterThanOrEqual(GATE_DEFAULTS.problems);
      });
      it('judges every gate by the rule in src/run/gates.ts, and explains each one that failed', () => {
        for (const g of gates.gates) {
          expect(g.pass, g.name).toBe(GATE_JUDGES[g.name](g.measured));
          if (!g.pass) expect(g.note?.length ?? 0, `${name}: gate "${g.name}" failed without a note`).toBeGreaterThan(20);
        }
        expect(gates.allPass).toBe(gates.gates.every((g) => g.pass));
      });
      it('re-measures the recorded held-out evaluation on the shipped weights (first 16 problems, bit for bit)', async () => {
        const backend = new CpuBackend();
        const ck = loadCheckpoint(new Uint8Array(readFileSync(`${CHECKPOINT_DIR}${m.file}`)), m.config);
        const model = new GPT(backend, ck.config);
        backend.write(model.params, ck.params);
        const decoder = new Decoder(model, 128);
        const r = await finalEval(decoder, { ...m.options, trainDifficulties: m.options.trainDifficulties! }, 16);
        expect(r.correctCounts).toEqual(m.eval.correct!.slice(0, 16));
        decoder.destroy();
        backend.destroy();
      }, 120_000);
    });
  }
});
