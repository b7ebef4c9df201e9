// The lab's view of the run config: schema defaults and the smaller defaults of a slow device (presets go on
// top of these: see form.ts).
import { parseRunConfig, type RunConfig, type RunConfigInput } from '../run/config';
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

export function describeDevice(info: BackendInfo | null): string {
  if (!info) return 'Detecting WebGPU…';
  if (info.kind === 'cpu') return 'CPU backend (plain TypeScript)';
  const a = info.adapter;
  const name = a ? [a.vendor, a.architecture, a.description || a.device].filter(Boolean).join(' · ') : 'unknown adapter';
  return `WebGPU: ${name}${info.software ? ' (software adapter)' : ''}`;
}
