// One training step laid open: the data the engine records for the step view (src/run/explain.ts computes
// it; the page only draws it). Symbols as on the Learn page's formulas: r_i, mean_g, std_g, A_i, rho_t,
// w_t, l_t, L, ||g||.
import type { SampleKind } from '../rl/methods/samples';

export interface ExplainedToken {
  text: string; // the token (one character)
  forced: boolean; // part of a forced prefix (DenoiseRL): weight 0, no gradient
  oldLogp: number; // log pi_old: the sampler's log-prob
  logp: number; // log pi_theta before the update (the loss's forward)
  logpAfter: number; // log pi_theta after the step's update(s), same token, same context
  ratio: number; // rho_t as the loss uses it (1 exactly for on-policy tokens)
  clipped: 'low' | 'high' | null; // where the clip bites
  mode: 'clipped' | 'on_policy' | 'shaped';
  weight: number; // w_t: the loss aggregation's weight (0 for forced tokens)
  loss: number; // l_t: the token's unweighted loss (policy term + beta * k3)
  share: number; // w_t * l_t: its part of the step's loss L
}

export interface ExplainedSample {
  group: number;
  kind: SampleKind;
  hint: string;
  prefix: string;
  completion: string;
  answer: string | null;
  correct: boolean;
  clean: number; // the verifier's 0/1
  observed: number; // r_i: what the trainer was told
  why: string[]; // why observed is what it is (flipped, RM error, RPR patterns, majority label, ...)
  trained: boolean;
  advantage: number; // A_i
  tokens: ExplainedToken[]; // empty when not trained
  seqLogp: number; // sum of log pi_theta over the trained tokens, before the update
  seqLogpAfter: number; // the same after the update
}

export interface ExplainedGroup {
  group: number;
  prompt: string;
  gold: string;
  members: number[]; // indices into samples of the trained members (the advantage's group)
  mean: number; // mean_g of the members' observed rewards
  std: number; // std_g (Bessel)
  denom: number; // what A_i divides by: std_g + eps ('group'), std of the batch + eps ('batch'), 1 ('none')
  label: string | null; // SRT: the majority answer (the pseudo-label); null otherwise
}

export interface StepExplanation {
  step: number; // the update's index (shown as step + 1)
  method: string;
  reward: string;
  scaleRewards: 'group' | 'batch' | 'none';
  lossType: 'dapo' | 'grpo' | 'dr_grpo';
  numIterations: number; // tokens and the loss are those of the first iteration
  maxCompletionLength: number;
  epsLow: number;
  epsHigh: number;
  beta: number;
  gamma: number;
  lr: number;
  maxGradNorm: number;
  groups: ExplainedGroup[];
  samples: ExplainedSample[];
  loss: number; // L = sum of w_t * l_t (first iteration)
  weightSum: number; // sum of w_t over the batch
  numSequences: number; // trained sequences
  trainedTokens: number; // tokens with w_t > 0
  gradNorm: number | null; // ||g|| before clipping (first iteration)
  gradNorms: number[]; // every iteration's
  clipCoef: number | null; // min(1, maxGradNorm / ||g||)
}
