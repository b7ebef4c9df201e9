// The lab's view of the run config: schema defaults, the smaller defaults of a slow device, presets on top.
import { parseRunConfig, type RunConfig, type RunConfigInput } from '../run/config';
import { getPreset } from '../run/presets';
import type { BackendInfo } from '../worker/protocol';

export const SCHEMA_DEFAULTS: RunConfig = parseRunConfig({});

/**
 * On the CPU backend or a software GPU adapter (SwiftShader, lavapipe) a full-size step takes several seconds,
 * so the lab starts smaller: 4 prompts x 4 samples, a lighter evaluation. Measured in headless Chromium on a
 * 2-core machine: the weak (tiny) model then trains at about 0.3-0.5 s per step.
 */
export const SMALL_DEVICE: RunConfigInput = {
  model: 'weak',
  promptsPerStep: 4,
  groupSize: 4,
  evalEvery: 10,
  evalProblems: 32,
  evalSamples: 4,
  evalPrefixProblems: 16,
  denoisePoolProblems: 64,
};

export function isSmallDevice(info: BackendInfo | null): boolean {
  return info !== null && (info.kind === 'cpu' || info.software);
}

/** The device's defaults (the schema's on a real GPU). */
export function deviceDefaults(info: BackendInfo | null): RunConfigInput {
  return isSmallDevice(info) ? SMALL_DEVICE : {};
}

/** What a preset leaves alone: the problem, the sizes and the seed a person chose. */
export const KEPT_BY_PRESETS = [
  'task', 'difficulty', 'model', 'promptsPerStep', 'groupSize', 'steps', 'evalEvery', 'evalProblems', 'evalSamples',
  'evalPrefixProblems', 'tracesPerStep', 'seed',
] as const satisfies readonly (keyof RunConfig)[];

/** A preset applied to a config: the device's defaults, the kept fields, then the preset's own fields. */
export function presetConfig(name: string, info: BackendInfo | null, from: RunConfigInput = {}): RunConfig {
  const p = getPreset(name);
  const kept = Object.fromEntries(KEPT_BY_PRESETS.filter((k) => k in from).map((k) => [k, from[k]]));
  return parseRunConfig({ ...deviceDefaults(info), ...kept, ...p.config });
}

/** Which preset a config is, if any: applying it would change nothing. */
export function matchPreset(config: RunConfig, info: BackendInfo | null, names: readonly string[]): string | null {
  for (const name of names) {
    const p = presetConfig(name, info, config);
    if ((Object.keys(p) as (keyof RunConfig)[]).every((k) => p[k] === config[k])) return name;
  }
  return null;
}

export function describeDevice(info: BackendInfo | null): string {
  if (!info) return 'Detecting WebGPU…';
  if (info.kind === 'cpu') return 'CPU backend (plain TypeScript)';
  const a = info.adapter;
  const name = a ? [a.vendor, a.architecture, a.description || a.device].filter(Boolean).join(' · ') : 'unknown adapter';
  return `WebGPU: ${name}${info.software ? ' (software adapter)' : ''}`;
}
