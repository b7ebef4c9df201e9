// Bit for bit: every preset's 3-step CPU run and a 2-step WebGPU run of two presets give exactly the
// metrics, traces and final run state recorded in test/fixtures/guard.json. A change that moves these
// numbers must do so on purpose: re-record with `GUARD_RECORD=1 npm run test:unit -- test/run/guard.test.ts`
// and say in the commit why they moved.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/backend/cpu';
import { PRESETS } from '../../src/run/presets';
import { newGpuBackend } from '../backend/webgpu/helpers';
import { GUARD_FIXTURE, guardRun, type GuardRecord } from './guard';

const RECORD = process.env.GUARD_RECORD === '1';
const expected: Record<string, GuardRecord> & { adapter?: string } = existsSync(GUARD_FIXTURE) ? JSON.parse(readFileSync(GUARD_FIXTURE, 'utf8')) : {};
const recorded: Record<string, GuardRecord> & { adapter?: string } = {};

function check(key: string, got: GuardRecord) {
  if (RECORD) { recorded[key] = got; return; }
  const want = expected[key];
  expect(want, `no recorded run ${key} in ${GUARD_FIXTURE}`).toBeDefined();
  expect(got.rows.length, `${key}: metric rows`).toBe(want.rows.length);
  got.rows.forEach((row, i) => expect(row, `${key}: row ${i}`).toEqual(want.rows[i]));
  expect(got.traces, `${key}: traces`).toBe(want.traces);
  expect(got.state, `${key}: final run state`).toEqual(want.state);
}

afterAll(() => {
  if (RECORD) writeFileSync(GUARD_FIXTURE, JSON.stringify(recorded, null, 1) + '\n');
});

describe('bit-for-bit guard', () => {
  it('covers every preset and nothing else', () => {
    if (RECORD) return;
    const cpuKeys = Object.keys(expected).filter((k) => k.startsWith('cpu/')).sort();
    expect(typeof expected.adapter, 'the adapter the WebGPU entries were recorded on').toBe('string');
    expect(cpuKeys).toEqual(PRESETS.map((p) => `cpu/${p.name}`).sort());
  });

  for (const preset of PRESETS) {
    it(`cpu/${preset.name}: 3 steps repeat the recorded metrics, traces and state exactly`, async () => {
      const backend = new CpuBackend();
      check(`cpu/${preset.name}`, await guardRun(backend, preset.name, 3));
      backend.destroy();
    });
  }

  // WebGPU numbers are those of one adapter (float reassociation differs between GPUs): the fixture names it,
  // and a run on another adapter fails with both names rather than with a diff of numbers.
  for (const preset of ['lte', 'denoise']) {
    it(`webgpu/${preset}: 2 steps repeat the recorded metrics, traces and state exactly`, async () => {
      const backend = await newGpuBackend();
      const adapter = `${backend.adapter.vendor} / ${backend.adapter.architecture} / ${backend.adapter.description}`;
      if (RECORD) recorded.adapter = adapter;
      else expect(adapter, `the WebGPU guard was recorded on ${String(expected.adapter)}; re-record it for this adapter`).toBe(expected.adapter);
      check(`webgpu/${preset}`, await guardRun(backend, preset, 2, { model: 'weaker' }));
      backend.destroy();
    });
  }
});
