// The GPT policy's shape. Pre-LayerNorm blocks, output head tied to the token embedding, and one of two
// position schemes: 'learned' absolute position embeddings (wpe, GPT-2; every checkpoint made before the
// field existed) or 'rope' rotary embeddings on q and k (every preset but micro: attention then depends only on how
// far apart two tokens are, so a hint in front of the question or a redo after `!` keeps the offsets the
// model learned; docs/methods.md, "The pretraining world").
import { z } from 'zod';
import { VOCAB_SIZE } from './vocab';

export const GPTConfigSchema = z
  .object({
    vocabSize: z.number().int().min(3).max(65536),
    maxT: z.number().int().min(2).max(4096), // longest sequence (prompt + completion) the model can see
    nLayer: z.number().int().min(1).max(48),
    nHead: z.number().int().min(1).max(64),
    nEmbd: z.number().int().min(4).max(4096),
    // absent in configs written before rotary positions existed: those are learned-position models
    positions: z.enum(['learned', 'rope']).default('learned'),
  })
  .refine((c) => c.nEmbd % c.nHead === 0, { message: 'nEmbd must be a multiple of nHead', path: ['nEmbd'] })
  .refine((c) => c.positions !== 'rope' || (c.nEmbd / c.nHead) % 2 === 0, {
    message: 'rope rotates channel pairs: the head size nEmbd/nHead must be even', path: ['nHead'],
  });

export type GPTConfig = z.infer<typeof GPTConfigSchema>;
export type PositionScheme = GPTConfig['positions'];

/**
 * Model sizes of new models (a loaded checkpoint's own config always wins over these). `tiny` is the
 * default: it trains on a 2-core CPU in minutes (a NumPy prototype saw a 105K-parameter GPT learn 2-4 digit
 * addition). `micro` keeps browser end-to-end tests quick; `small` and `base` are for real GPUs.
 */
export const MODEL_PRESETS = {
  // micro keeps learned positions: with one layer and rotary positions a token cannot tell which column it
  // is writing, so it cannot find that column's digits in the prompt (measured: addition, Pass@1 0.00 after
  // 2,300 gold steps, where the learned micro reached 0.15 in 950; docs/methods.md, "Positions")
  micro: { vocabSize: VOCAB_SIZE, maxT: 64, nLayer: 1, nHead: 2, nEmbd: 32, positions: 'learned' },
  tiny: { vocabSize: VOCAB_SIZE, maxT: 80, nLayer: 2, nHead: 4, nEmbd: 64, positions: 'rope' },
  small: { vocabSize: VOCAB_SIZE, maxT: 128, nLayer: 4, nHead: 4, nEmbd: 128, positions: 'rope' },
  base: { vocabSize: VOCAB_SIZE, maxT: 128, nLayer: 6, nHead: 8, nEmbd: 256, positions: 'rope' },
} as const satisfies Record<string, GPTConfig>;

export type ModelPresetName = keyof typeof MODEL_PRESETS;
