// The inspector's pinned problem: after each step, fresh samples of one prompt from the current policy, so a
// person can watch its completions change. A side stream (its own rowOffset) that the training never sees.
import { EOS_ID } from '../backend/backend';
import { rollout } from '../rl/rollout';
import type { TraceRow } from '../run/records';
import type { Trainer } from '../run/trainer';
import { decode, encodePrompt } from '../tasks/tokenizer';

export interface PinnedProblem {
  prompt: string;
  gold: string; // the gold final answer
}

const PROBE_ROWS = 1 << 20; // far from every row id a training step uses
const MAX_PROBES = 8;

export async function probePinned(t: Trainer, pinned: PinnedProblem): Promise<TraceRow[]> {
  const c = t.config;
  let context: number[];
  try {
    context = encodePrompt(pinned.prompt);
  } catch {
    return []; // not a prompt of this task's language
  }
  if (context.length + c.maxCompletionLength > t.model.cfg.maxT) return [];
  const n = Math.min(c.groupSize, MAX_PROBES, t.decoder.maxB);
  const outs = await rollout(t.decoder, Array.from({ length: n }, () => ({ context, prefix: [] })), {
    maxCompletionLength: c.maxCompletionLength, temperature: c.temperature, topK: c.topK, seed: c.seed, step: t.step, rowOffset: PROBE_ROWS,
  });
  const problem = { task: c.task, difficulty: c.difficulty, prompt: pinned.prompt, answer: pinned.gold, gold: '' };
  return outs.map((o): TraceRow => {
    const finished = o.completion[o.completion.length - 1] === EOS_ID;
    const tokens = finished ? o.completion.slice(0, -1) : o.completion;
    const text = decode(tokens);
    const v = t.task.verify(problem, text);
    const reward = v.correct ? 1 : 0;
    return {
      step: t.step, group: -1, kind: 'normal', prompt: pinned.prompt, hint: '', prefix: '', completion: text, finished,
      answer: v.answer, gold: pinned.gold, correct: v.correct, reward_clean: reward, reward_observed: reward, flipped: false,
      advantage: 0, trained: false, first_wrong_step: v.firstWrongStep, retractions: v.retractions, recovered_at: v.recoveredAt,
      steps: v.steps.map((s) => ({ text: s.text, ok: s.ok, retracted: s.retracted, isRetraction: s.isRetraction })),
      logprobs: o.logps.slice(0, tokens.length).map((x) => Math.round(x * 1e4) / 1e4),
    };
  });
}
