// Turn sampled (or gold) completions into a TrainBatch: right-padded token sequences with per-target
// advantages, loss weights and modes. The loss weight carries both the mask (prefix tokens of DenoiseRL
// get 0, so they get no gradient and do not count in the denominator) and the loss aggregation.
import { PAD_ID, TOKEN_DATA, TokenMode } from '../backend/backend';
import { lossWeightsByPart, type LossType } from './grpo';
import type { TrainBatch } from './update';

export interface TrainSequence {
  context: number[]; // BOS + prompt: what the loss conditions on (LTE: the un-hinted prompt)
  prefix: number[]; // forced tokens after the context (DenoiseRL's noisy prefix): masked unless trainPrefix
  completion: number[]; // the policy's own tokens, EOS included when it finished
  logps: number[]; // the sampler's log-prob of each completion token
  advantage: number;
  mode: number; // TokenMode
  part: number; // 0 normal, 1 LTE hinted: the two parts are normalised apart
  /** Train the prefix's tokens too (DenoiseRL's unmasked control), on-policy: the policy never sampled them,
   * so there is no sampler log-prob to take a ratio against; absent or false: masked (weight 0). */
  trainPrefix?: boolean;
}

export function buildTrainBatch(
  seqs: readonly TrainSequence[], lossType: LossType, maxCompletionLength: number, maxT: number,
): { batch: TrainBatch; masks: number[][] } {
  const B = seqs.length;
  const lengths = seqs.map((s) => s.context.length + s.prefix.length + s.completion.length);
  const T = Math.max(1, ...lengths.map((n) => n - 1)); // inputs exclude the last token
  if (T > maxT) throw new Error(`a training sequence has ${T + 1} tokens, more than the model's maxT ${maxT} + 1`);
  const masks = seqs.map((s) => [...s.prefix.map(() => (s.trainPrefix ? 1 : 0)), ...s.completion.map(() => 1)]);
  const weights = lossWeightsByPart(masks, seqs.map((s) => s.part), lossType, maxCompletionLength);
  const tokens = new Uint32Array(B * T).fill(PAD_ID);
  const targets = new Uint32Array(B * T).fill(PAD_ID);
  const tokenData = new Float32Array(B * T * TOKEN_DATA.columns);
  const oldLogp = new Float32Array(B * T);
  seqs.forEach((s, b) => {
    const seq = [...s.context, ...s.prefix, ...s.completion];
    for (let t = 0; t < Math.min(T, seq.length); t++) tokens[b * T + t] = seq[t];
    for (let t = 0; t + 1 < seq.length && t < T; t++) targets[b * T + t] = seq[t + 1];
    const c = s.context.length;
    const response = s.prefix.length + s.completion.length;
    for (let j = 0; j < response; j++) {
      const row = b * T + c + j - 1; // the position whose target is response token j
      const td = row * TOKEN_DATA.columns;
      tokenData[td + TOKEN_DATA.advantage] = s.advantage;
      tokenData[td + TOKEN_DATA.weight] = weights[b][j];
      tokenData[td + TOKEN_DATA.mode] = j < s.prefix.length && s.trainPrefix ? TokenMode.ON_POLICY : s.mode;
      if (j >= s.prefix.length) oldLogp[row] = s.logps[j - s.prefix.length];
    }
  });
  return { batch: { B, T, tokens, targets, tokenData, oldLogp }, masks };
}
