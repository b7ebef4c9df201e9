// The GPT policy's shape. Pre-LayerNorm blocks, learned positions, output head tied to the token embedding.
import { z } from 'zod';
import { VOCAB_SIZE } from './vocab';

export const GPTConfigSchema = z
  .object({
    vocabSize: z.number().int().min(3).max(65536),
    maxT: z.number().int().min(2).max(4096), // longest sequence (prompt + completion) the model can see
    nLayer: z.number().int().min(1).max(48),
    nHead: z.number().int().min(1).max(64),
    nEmbd: z.number().int().min(4).max(4096),
  })
  .refine((c) => c.nEmbd % c.nHead === 0, { message: 'nEmbd must be a multiple of nHead', path: ['nEmbd'] });

export type GPTConfig = z.infer<typeof GPTConfigSchema>;

/**
 * Model sizes. `tiny` is the default: it trains on a 2-core CPU in minutes (a NumPy prototype saw a
 * 105K-parameter GPT learn 2-4 digit addition). `micro` keeps browser end-to-end tests quick; `small` and
 * `base` are for real GPUs.
 */
export const MODEL_PRESETS = {
  micro: { vocabSize: VOCAB_SIZE, maxT: 64, nLayer: 1, nHead: 2, nEmbd: 32 },
  tiny: { vocabSize: VOCAB_SIZE, maxT: 80, nLayer: 2, nHead: 4, nEmbd: 64 },
  small: { vocabSize: VOCAB_SIZE, maxT: 128, nLayer: 4, nHead: 4, nEmbd: 128 },
  base: { vocabSize: VOCAB_SIZE, maxT: 128, nLayer: 6, nHead: 8, nEmbd: 256 },
} as const satisfies Record<string, GPTConfig>;

export type ModelPresetName = keyof typeof MODEL_PRESETS;
