// Self-consistency rewards, SRT (Shafayat et al. 2025, code tajwarfahim/srt).
// The pseudo-label is the group's majority answer; the reward never sees the gold answer (only the logged
// pseudo-label accuracy compares with it).
import type { About } from '../about';
import { mean } from '../metrics';
import type { RewardBatch, RewardKind } from './reward';

export interface MajorityVote {
  label: string | null; // the majority answer, null when no completion has a parseable answer
  share: number; // votes for the label / number of completions G (unparseable ones count in G)
}

/**
 * Majority among the parseable answers (null = unparseable); a tie goes to the answer seen first.
 * The share's denominator is ALL completions of the group, unparseable included, so a group where 2 of
 * 8 completions parse and agree has share 0.25, not 1: garbage is not evidence of consistency.
 */
export function majorityVote(answers: readonly (string | null)[]): MajorityVote {
  const votes = new Map<string, number>(); // Map keeps insertion order = order first seen
  for (const a of answers) if (a !== null) votes.set(a, (votes.get(a) ?? 0) + 1);
  let label: string | null = null;
  let best = 0;
  for (const [a, v] of votes) {
    if (v > best) { // strict: a later answer with equal votes does not take over
      label = a;
      best = v;
    }
  }
  return { label, share: answers.length > 0 ? best / answers.length : 0 };
}

/**
 * SRT rewards for one group. hard: 1 if the answer equals the majority label, else 0. soft: the vote
 * share of the completion's own answer (its votes / G); 0 for an unparseable answer. A group with no
 * parseable answer gets all zeros in both modes.
 */
export function srtRewards(answers: readonly (string | null)[], soft: boolean): number[] {
  const { label } = majorityVote(answers);
  if (label === null) return answers.map(() => 0);
  if (!soft) return answers.map((a) => (a === label ? 1 : 0));
  const votes = new Map<string, number>();
  for (const a of answers) if (a !== null) votes.set(a, (votes.get(a) ?? 0) + 1);
  return answers.map((a) => (a === null ? 0 : (votes.get(a) ?? 0) / answers.length));
}

/**
 * Which prompts to train on, given each prompt's majority share: first drop those with share <
 * threshold, then of the remaining `count` keep the top ceil(keepFraction * count) by share (ties:
 * lower index first). Returns the kept indices in ascending order (batch order).
 */
export function srtSelectPrompts(shares: readonly number[], threshold: number, keepFraction: number): number[] {
  if (!(keepFraction >= 0 && keepFraction <= 1)) throw new RangeError(`srtSelectPrompts: keepFraction must be in [0, 1], got ${keepFraction}`);
  const passing = shares.map((s, i) => ({ s, i })).filter((x) => x.s >= threshold);
  // Array.prototype.sort is stable, so equal shares keep ascending index order.
  passing.sort((a, b) => b.s - a.s);
  // Round before ceil so that e.g. 0.7 * 10 = 7.000000000000001 keeps 7, not 8.
  const keep = Math.ceil(Math.round(keepFraction * passing.length * 1e9) / 1e9);
  return passing.slice(0, keep).map((x) => x.i).sort((a, b) => a - b);
}

export const selfConsistencyAbout = {
  name: 'self_consistency',
  label: 'Self-consistency (SRT)',
  knobs: [
    { key: 'srtSoft', label: 'Soft votes', help: 'Reward = vote share of the answer instead of 0/1 agreement.' },
    { key: 'srtThreshold', label: 'Consistency threshold', help: 'Skip prompts whose majority share is below this.' },
    { key: 'srtKeepFraction', label: 'Keep fraction', help: 'Train only on this share of prompts, most consistent first.' },
  ],
  metrics: ['srt/pseudo_label_acc', 'srt/majority_share'],
  charts: [{
    id: 'srt', title: 'SRT pseudo-label accuracy', unit: true,
    help: 'Self-consistency rewards: how often the majority answer is right, against the clean accuracy of the samples.',
    reading: 'For self-consistency rewards: how often the majority answer is the right one. When it falls while the majority share rises, the model is hacking its own reward.',
    lines: [
      { metric: 'srt/pseudo_label_acc', label: 'pseudo-label accuracy', source: 'train' }, { metric: 'reward/clean', label: 'clean accuracy', source: 'train' },
      { metric: 'srt/majority_share', label: 'majority share', source: 'train' },
    ],
  }],
  learn: {
    title: 'SRT: the majority as the teacher',
    body: 'Without any answer key, take the most common answer of the group as the label. At first this works, because the majority is often right. Then the model learns that agreeing with itself is rewarded, and it can become consistently wrong: pseudo-reward climbs while real accuracy falls. Watch the SRT chart for the moment the two lines part.',
    here: 'Here (evidence suite, 150 steps, 3 seeds): the majority of 8 starts right on 75-91% of prompts, and SRT first rises like gold (Pass@1 0.37 to about 0.5 at step 25); then on two of three seeds the majority turns wrong and accuracy collapses (ending at 0.29 and 0.31; the third holds at 0.69). Keeping the easiest third of each batch made it worse (0.04-0.08). Watch the pseudo-label accuracy fall while the majority share keeps rising.',
  },
} as const satisfies About;

/** The per-group facts behind SRT's metrics, for tests and the reward. */
export function selfConsistencyGroups(b: RewardBatch, soft: boolean): { observed: number[]; pseudoLabelCorrect: boolean[]; majorityShare: number[] } {
  const observed = new Array<number>(b.items.length).fill(0);
  const pseudoLabelCorrect: boolean[] = [];
  const majorityShare: number[] = [];
  for (const idx of b.groups.members) {
    const answers = idx.map((i) => b.items[i].answer);
    const vote = majorityVote(answers);
    srtRewards(answers, soft).forEach((r, j) => (observed[idx[j]] = r));
    // correct means answer === gold, so the label is right iff a completion voting for it is correct.
    pseudoLabelCorrect.push(vote.label !== null && idx.some((i) => b.items[i].answer === vote.label && b.items[i].correct));
    majorityShare.push(vote.share);
  }
  return { observed, pseudoLabelCorrect, majorityShare };
}

export const selfConsistencyReward: RewardKind<{ srtSoft: boolean; srtThreshold: number; srtKeepFraction: number }> = {
  compute(b, s) {
    const { observed, pseudoLabelCorrect, majorityShare } = selfConsistencyGroups(b, s.srtSoft);
    const kept = new Set(srtSelectPrompts(majorityShare, s.srtThreshold, s.srtKeepFraction));
    return {
      observed, keptGroups: majorityShare.map((_, g) => kept.has(g)),
      metrics: { 'srt/pseudo_label_acc': mean(pseudoLabelCorrect.map(Number)), 'srt/majority_share': mean(majorityShare) },
    };
  },
};
