// GRPO bookkeeping that needs no model: group-relative advantages, the per-token loss weights that
// reproduce TRL's loss aggregations, and the reward statistics TRL logs.
// The backend's loss op multiplies each token's loss by a row weight, so an aggregation is just a weight.

import { mean, std } from './metrics';

export type ScaleRewards = 'group' | 'batch' | 'none';
export type LossType = 'dapo' | 'grpo' | 'dr_grpo';

/** Added to the std before dividing, as TRL does, so a zero-spread group cannot divide by zero. */
export const ADVANTAGE_EPS = 1e-4;

/** Group ids in order of first appearance and, for each, the indices of its members. */
export interface Groups {
  ids: number[];
  members: number[][];
}

/** Group completions by id. Ids need not be contiguous or sorted; order of first appearance is kept. */
export function groupMembers(groupIds: readonly number[]): Groups {
  const index = new Map<number, number>();
  const ids: number[] = [];
  const members: number[][] = [];
  groupIds.forEach((g, i) => {
    let k = index.get(g);
    if (k === undefined) {
      k = ids.length;
      index.set(g, k);
      ids.push(g);
      members.push([]);
    }
    members[k].push(i);
  });
  return { ids, members };
}

function checkSameLength(what: string, a: readonly unknown[], b: readonly unknown[]): void {
  if (a.length !== b.length) throw new RangeError(`${what}: lengths differ (${a.length} vs ${b.length})`);
}

/**
 * A_i = (r_i - mean of its group) / (std + 1e-4), std with Bessel's correction:
 * 'group': std of the completion's own group; 'batch': std of all rewards in the batch (the mean is
 * still the group mean, as TRL's scale_rewards="batch"); 'none': no division (Dr. GRPO).
 * A group of one has r_i = its mean, so its advantage is exactly 0 in every mode.
 */
export function computeAdvantages(rewards: readonly number[], groupIds: readonly number[], scale: ScaleRewards): number[] {
  checkSameLength('computeAdvantages', rewards, groupIds);
  const { members } = groupMembers(groupIds);
  const batchStd = scale === 'batch' ? std(rewards) : 0;
  const out = new Array<number>(rewards.length).fill(0);
  for (const idx of members) {
    const rs = idx.map((i) => rewards[i]);
    const m = mean(rs);
    const denom = scale === 'none' ? 1 : (scale === 'batch' ? batchStd : std(rs)) + ADVANTAGE_EPS;
    for (const i of idx) out[i] = (rewards[i] - m) / denom;
  }
  return out;
}

function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

/**
 * Per-token weights w such that loss = sum over sequences and tokens of w_t * l_t equals TRL's
 * aggregation of per-token losses l_t (masks may be ragged; a weight is 0 wherever the mask is 0):
 * 'dapo':    mask / (unmasked tokens in the whole batch)                 -- token mean over the batch
 * 'grpo':    mask / (unmasked tokens of that sequence) / (num sequences) -- mean per sequence, then mean
 * 'dr_grpo': mask / (num sequences * maxCompletionLength)                -- constant normaliser
 * A sequence with no unmasked token gets weights 0 but still counts as a sequence for 'grpo' and
 * 'dr_grpo' (TRL's .mean() and size(0) count it); a batch with no unmasked token gets all zeros, not NaN.
 */
export function lossWeights(completionMasks: readonly (readonly number[])[], lossType: LossType, maxCompletionLength: number): number[][] {
  const numSeqs = completionMasks.length;
  if (lossType === 'dapo') {
    const total = sum(completionMasks.map((m) => sum(m)));
    return completionMasks.map((m) => m.map((x) => (total > 0 ? x / total : 0)));
  }
  if (lossType === 'grpo') {
    return completionMasks.map((m) => {
      const tokens = sum(m);
      return m.map((x) => (tokens > 0 ? x / tokens / numSeqs : 0));
    });
  }
  if (!(maxCompletionLength > 0)) throw new RangeError(`lossWeights: maxCompletionLength must be > 0, got ${maxCompletionLength}`);
  const denom = numSeqs * maxCompletionLength;
  return completionMasks.map((m) => m.map((x) => x / denom));
}

/**
 * LTE normalises the original and the hinted completions separately: each part
 * (parts[i] = 0 original, 1 hinted) is aggregated as if it were its own batch with lossWeights, and the
 * two part losses are summed: loss = loss(part 0) + loss(part 1). So for 'dapo' each part divides by its
 * own token count, for 'grpo' by its own number of sequences, for 'dr_grpo' by its own count *
 * maxCompletionLength. An empty part contributes nothing. Note that a batch with both parts present
 * therefore has about twice the total weight of the same batch aggregated as one.
 */
export function lossWeightsByPart(
  completionMasks: readonly (readonly number[])[],
  parts: readonly number[],
  lossType: LossType,
  maxCompletionLength: number,
): number[][] {
  checkSameLength('lossWeightsByPart', completionMasks, parts);
  const out: number[][] = completionMasks.map((m) => m.map(() => 0));
  for (const part of [0, 1]) {
    const idx: number[] = [];
    parts.forEach((p, i) => {
      if (p !== 0 && p !== 1) throw new RangeError(`lossWeightsByPart: parts[${i}] = ${p}, expected 0 or 1`);
      if (p === part) idx.push(i);
    });
    if (idx.length === 0) continue;
    const w = lossWeights(idx.map((i) => completionMasks[i]), lossType, maxCompletionLength);
    idx.forEach((i, j) => (out[i] = w[j]));
  }
  return out;
}

export interface GroupStats {
  reward: number; // mean reward over the batch
  reward_std: number; // mean over groups of the within-group std (Bessel), as TRL logs with scale_rewards="group"
  frac_reward_zero_std: number; // share of groups whose rewards are all equal (std ~ 0, TRL's isclose)
  groupIds: number[]; // in order of first appearance
  groupMeans: number[]; // mean reward of each group, aligned with groupIds
}

/** TRL's reward statistics. A group of one counts as zero-std (its rewards are trivially all equal). */
export function groupStats(rewards: readonly number[], groupIds: readonly number[]): GroupStats {
  checkSameLength('groupStats', rewards, groupIds);
  const { ids, members } = groupMembers(groupIds);
  const stds = members.map((idx) => std(idx.map((i) => rewards[i])));
  // torch.isclose(std, 0) with its default atol 1e-8 and rtol (irrelevant against 0).
  const zero = stds.filter((s) => Math.abs(s) <= 1e-8).length;
  return {
    reward: mean(rewards),
    reward_std: mean(stds),
    frac_reward_zero_std: ids.length > 0 ? zero / ids.length : NaN,
    groupIds: ids,
    groupMeans: members.map((idx) => mean(idx.map((i) => rewards[i]))),
  };
}
