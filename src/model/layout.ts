// One flat parameter buffer with named views (llm.c's ParameterTensors). Every tensor starts at a multiple
// of VIEW_ALIGN elements so the WebGPU backend can bind it directly as a buffer range.
import { VIEW_ALIGN } from '../backend/backend';
import type { GPTConfig } from './config';

export interface ParamEntry {
  name: string;
  shape: number[];
  offset: number; // in elements, a multiple of VIEW_ALIGN
  length: number;
  decay: boolean; // AdamW weight decay applies (matrices and embeddings, not biases or LayerNorm)
  init: 'normal' | 'normal_proj' | 'zeros' | 'ones';
}

export interface ParamLayout {
  entries: ParamEntry[];
  byName: Map<string, ParamEntry>;
  total: number; // buffer length including alignment padding
  count: number; // number of real parameters
}

const align = (n: number) => Math.ceil(n / VIEW_ALIGN) * VIEW_ALIGN;

/** The names of layer l's tensors, in buffer order. */
export const layerParam = (l: number, name: string) => `h${l}.${name}`;

export function paramLayout(cfg: GPTConfig): ParamLayout {
  const { vocabSize: V, maxT, nLayer: L, nEmbd: C } = cfg;
  const specs: [string, number[], boolean, ParamEntry['init']][] = [['wte', [V, C], true, 'normal']];
  // rotary positions have no parameters; learned ones are a (maxT, C) table right after wte
  if (cfg.positions !== 'rope') specs.push(['wpe', [maxT, C], true, 'normal']);
  for (let l = 0; l < L; l++) {
    const p = (n: string) => layerParam(l, n);
    specs.push(
      [p('ln1w'), [C], false, 'ones'],
      [p('ln1b'), [C], false, 'zeros'],
      [p('qkvw'), [3 * C, C], true, 'normal'],
      [p('qkvb'), [3 * C], false, 'zeros'],
      [p('attprojw'), [C, C], true, 'normal_proj'],
      [p('attprojb'), [C], false, 'zeros'],
      [p('ln2w'), [C], false, 'ones'],
      [p('ln2b'), [C], false, 'zeros'],
      [p('fcw'), [4 * C, C], true, 'normal'],
      [p('fcb'), [4 * C], false, 'zeros'],
      [p('fcprojw'), [C, 4 * C], true, 'normal_proj'],
      [p('fcprojb'), [C], false, 'zeros'],
    );
  }
  specs.push(['lnfw', [C], false, 'ones'], ['lnfb', [C], false, 'zeros']);

  const entries: ParamEntry[] = [];
  let offset = 0;
  let count = 0;
  for (const [name, shape, decay, init] of specs) {
    const length = shape.reduce((a, b) => a * b, 1);
    entries.push({ name, shape, offset, length, decay, init });
    offset = align(offset + length);
    count += length;
  }
  return { entries, byName: new Map(entries.map((e) => [e.name, e])), total: offset, count };
}
