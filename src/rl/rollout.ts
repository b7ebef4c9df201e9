// Rollouts: run the KV-cache decoder over a list of requests in batches and cut each row at its budget.
// Each request is a context (BOS + prompt, maybe with an LTE hint) and an optional forced prefix
// (DenoiseRL). Length-fair: prefix + continuation share the same budget as a normal completion.
import { EOS_ID, PAD_ID } from '../backend/backend';
import type { Decoder } from '../model/decode';

export interface RolloutRequest {
  context: number[];
  prefix: number[];
}

export interface RolloutSample {
  completion: number[]; // generated tokens after the prefix, EOS included if the row finished in budget
  logps: number[];
  truncated: boolean; // no EOS within the budget
}

export interface RolloutSettings {
  maxCompletionLength: number; // budget for prefix + continuation (EOS included)
  temperature: number;
  topK: number;
  seed: number;
  step: number; // the training step (or an eval-specific stream), part of every random draw
  rowOffset?: number; // first row id of this rollout, so different rollouts of one step draw differently
}

export async function rollout(decoder: Decoder, reqs: readonly RolloutRequest[], s: RolloutSettings): Promise<RolloutSample[]> {
  const out: RolloutSample[] = [];
  const maxT = decoder.model.cfg.maxT;
  for (let start = 0; start < reqs.length; start += decoder.maxB) {
    const chunk = reqs.slice(start, start + decoder.maxB);
    const B = chunk.length;
    const forcedLens = chunk.map((r) => r.context.length + r.prefix.length);
    const Tseq = Math.max(...chunk.map((r) => r.context.length + s.maxCompletionLength));
    if (Tseq > maxT) throw new Error(`rollout needs ${Tseq} positions (prompt + maxCompletionLength), the model has maxT ${maxT}`);
    const tokens = new Uint32Array(B * Tseq).fill(PAD_ID);
    chunk.forEach((r, b) => tokens.set([...r.context, ...r.prefix], b * Tseq));
    const { tokens: got, logps } = await decoder.generate(
      { tokens, promptLen: Uint32Array.from(forcedLens), B, Tseq },
      { temperature: s.temperature, topK: s.topK, seed: s.seed, step: s.step, rowOffset: (s.rowOffset ?? 0) + start },
    );
    chunk.forEach((r, b) => {
      const from = forcedLens[b];
      const end = b * Tseq + r.context.length + s.maxCompletionLength; // the row's own budget
      const completion: number[] = [];
      const lp: number[] = [];
      let finished = false;
      for (let i = b * Tseq + from; i < end; i++) {
        completion.push(got[i]);
        lp.push(logps[i]);
        if (got[i] === EOS_ID || got[i] === PAD_ID) { finished = true; break; } // a sampled PAD also ends the row
      }
      out.push({ completion, logps: lp, truncated: !finished });
    });
  }
  return out;
}
