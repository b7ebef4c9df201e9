// The method catalog the page and the config schema read: each method's About, in registry order. The
// engine's registry (./index.ts) holds the same methods with their hooks, typed against these names.
import { grpoAbout } from './grpo';
import { grpoExtraAbout } from './grpoExtra';
import { lteAbout } from './lte';
import { denoiseAbout } from './denoise';

export const METHOD_ABOUT = [grpoAbout, grpoExtraAbout, lteAbout, denoiseAbout] as const;

export type MethodName = (typeof METHOD_ABOUT)[number]['name'];

export const METHOD_NAMES = METHOD_ABOUT.map((m) => m.name) as unknown as readonly [MethodName, ...MethodName[]];
