// The shipped checkpoints, read from public/checkpoints/ for Node entry points (the lab fetches the same files).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCheckpoint } from '../model/checkpoint';
import type { WeightsSource } from '../run/trainer';

export const CHECKPOINT_DIR = fileURLToPath(new URL('../../public/checkpoints/', import.meta.url));

export function nodeWeights(task: string, dir = CHECKPOINT_DIR): WeightsSource {
  return async (name) => {
    const path = `${dir}${task}-${name}.safetensors`;
    if (!existsSync(path)) throw new Error(`no ${name} checkpoint for ${task} at ${path}: run \`npm run make-checkpoints\` first`);
    return loadCheckpoint(new Uint8Array(readFileSync(path)));
  };
}
