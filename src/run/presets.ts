// Presets: each method of docs/methods.md at toy scale, as a partial run config and a one-line explanation.
import type { RunConfigInput } from './config';

export interface Preset {
  name: string;
  title: string;
  description: string;
  config: RunConfigInput;
}

export const PRESETS: Preset[] = [
  { name: 'grpo', title: 'GRPO, clean reward', description: 'The baseline: verifiable correctness as the reward, group-normalised advantages.', config: { method: 'grpo', reward: 'verifiable' } },
  { name: 'grpo_extra', title: 'GRPO-extra', description: "G more samples per prompt without any hint: LTE's compute-matched baseline.", config: { method: 'grpo_extra', reward: 'verifiable' } },
  { name: 'grpo_nk', title: 'GRPO, N + K samples', description: "GRPO with G = 12, DenoiseRL's N + K samples per prompt without any prefix: its compute-matched baseline.", config: { method: 'grpo', reward: 'verifiable', groupSize: 12 } },
  { name: 'noisy_flip', title: 'Noisy reward: 40% flips', description: 'One coin per prompt group flips every reward of the group with p = 0.4 (Lv et al. 2025).', config: { method: 'grpo', reward: 'flip', flipRate: 0.4, flipMode: 'group', lr: 3e-5 } },
  { name: 'noisy_rm', title: 'Noisy reward model (65%)', description: 'A simulated reward model that is right 65% of the time.', config: { method: 'grpo', reward: 'reward_model', rmAccuracy: 0.65, lr: 3e-5 } },
  { name: 'rpr', title: 'Reasoning-pattern reward', description: 'RPR only: rewards the structure of the reasoning, never checks the answer.', config: { method: 'grpo', reward: 'rpr' } },
  { name: 'rm_rpr', title: 'RM calibrated by RPR', description: 'The 65% reward model, with scores below 0.5 raised by 0.1 x RPR.', config: { method: 'grpo', reward: 'rm_rpr', rmAccuracy: 0.65, lr: 3e-5 } },
  { name: 'srt', title: 'SRT: self-consistency', description: "The group's majority answer as the label: watch for reward hacking (Shafayat et al. 2025).", config: { method: 'grpo', reward: 'self_consistency' } },
  { name: 'lte', title: 'LTE: hints from own mistakes', description: 'When a whole group fails, resample with its wrong answers as a hint (arXiv 2510.26109).', config: { method: 'lte', reward: 'verifiable', difficulty: 4, maxCompletionLength: 48 } },
  { name: 'grpo_extra_matched', title: 'GRPO-extra, LTE\'s sample count', description: "G more bare samples only for prompts whose G samples all failed: exactly LTE's samples, without the hint.", config: { method: 'grpo_extra', extraScope: 'none_pass', reward: 'verifiable', difficulty: 4, maxCompletionLength: 48 } },
  { name: 'lte_random', title: 'LTE, random-answer hints', description: "LTE's hinted round with random wrong answers in the hint: the control for what the model's own answers add.", config: { method: 'lte', lteHintSource: 'random', reward: 'verifiable', difficulty: 4, maxCompletionLength: 48 } },
  { name: 'denoise', title: 'DenoiseRL: recover from noisy prefixes', description: "N normal + K samples continuing a weak model's wrong trace cut right after its first wrong step, prefix masked out of the loss (Xu et al. 2026).", config: { method: 'denoise', reward: 'verifiable', groupSize: 8, denoiseK: 4, denoiseSource: 'weak', denoiseCut: 'first_error', denoiseRho: 0.2 } },
];

export function getPreset(name: string): Preset {
  const p = PRESETS.find((x) => x.name === name);
  if (!p) throw new Error(`unknown preset ${JSON.stringify(name)}: expected one of ${PRESETS.map((x) => x.name).join(', ')}`);
  return p;
}
