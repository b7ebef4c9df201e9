// The inspector's pinned problem: after each step, fresh samples of one prompt from the current policy, so a
// person can watch its completions change. A side stream (its own rowOffset) that the training never sees.
import { bareRequests, toSamples } from '../rl/methods/samples';
import { rollout } from '../rl/rollout';
import type { TraceRow } from '../run/records';
import { traceRow } from '../run/stepMetrics';
import type { Trainer } from '../run/trainer';
import { encodePrompt } from '../tasks/tokenizer';

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
  const problem = { task: c.task, difficulty: c.difficulty, prompt: pinned.prompt, answer: pinned.gold, gold: '' };
  const planned = bareRequests(problem, 0, n);
  const outs = await rollout(t.decoder, planned.map((r) => r.request), {
    maxCompletionLength: c.maxCompletionLength, temperature: c.temperature, topK: c.topK, seed: c.seed, step: t.step, rowOffset: PROBE_ROWS,
  });
  return toSamples(t.task, [problem], planned, outs).map((s) => {
    s.clean = s.observed = s.verdict.correct ? 1 : 0;
    s.trained = false;
    return traceRow(t.step, s, -1);
  });
}
