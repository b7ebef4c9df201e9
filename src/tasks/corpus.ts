// The pretraining corpus: gold traces mixed with the habits a real base model brings to RL, each at a share
// set by CorpusMix (the defaults and the measurement that chose them are in docs/methods.md).
//
//   gold          7+5+0=12;4+8+1=13;3+2+1=06;>632
//   selfCorrect   7+5+0=13;!7+5+0=12;4+8+1=13;3+2+1=06;>632      the slip '7+5+0=13;' carries no loss
//   slipContinue  7+5+0=13;4+8+1=13;3+2+1=06;>633                 the slip carries no loss, the rest does
//   shortcut      >632  or  7+5+0=12;>632                          part or all of the scratchpad skipped
// and, independent of the trace kind (never on a slipContinue trace, whose answer is wrong), a hint in front
// of the prompt: LTE's '~a,b|' with 1-3 wrong answers drawn from slips on the same problem, sometimes with
// '$'. The hint moves the question to varied offsets, so with learned absolute positions the model meets the
// question at every position an LTE round puts it.
//
// A slip is the task's own injected error (task.injectError: one step wrong, later steps consistent with it),
// at a uniformly drawn step, so wrong steps sit at every position of the trace. Loss weight 0 on a slip means
// the model is never taught to make it: slips exist in the corpus only as context for what follows.
import type { Rng } from '../backend/rng';
import type { Problem, Task } from './task';
import { parseTrace } from './trace';

export interface CorpusMix {
  selfCorrectShare: number; // traces with a slip, then '!' and the right step, then the gold rest
  slipContinueShare: number; // traces with a slip and a continuation consistent with it (wrong answer)
  shortcutShare: number; // traces that skip part or all of the scratchpad (gold answer)
  shortcutAllShare: number; // of the shortcuts, the share that skip the whole scratchpad ('>answer')
  hintShare: number; // prompts with an LTE hint in front (gold, selfCorrect and shortcut traces only)
  hintConciseShare: number; // of the hints, the share that also carry '$'
}

export const CORPUS_KINDS = ['gold', 'selfCorrect', 'slipContinue', 'shortcut'] as const;
export type CorpusKind = (typeof CORPUS_KINDS)[number];

/** All shares 0: the old corpus, gold traces only after a bare prompt. */
export const GOLD_ONLY_MIX: CorpusMix = {
  selfCorrectShare: 0, slipContinueShare: 0, shortcutShare: 0, shortcutAllShare: 0, hintShare: 0, hintConciseShare: 0,
};

/** A run of completion text and whether it is trained on. */
export interface CorpusSegment {
  text: string;
  trained: boolean;
}

export interface CorpusExample {
  kind: CorpusKind;
  prompt: string; // hint (possibly empty) + problem prompt
  hint: string; // the hint part of the prompt ('' when none)
  segments: CorpusSegment[]; // the completion (no EOS), in order
}

/** Checks a mix; throws naming the first field out of range. */
export function checkCorpusMix(mix: CorpusMix): void {
  for (const [field, value] of Object.entries(mix)) {
    if (!(typeof value === 'number' && value >= 0 && value <= 1)) throw new RangeError(`corpus mix: ${field} must be in [0, 1], got ${value}`);
  }
  const traceShares = mix.selfCorrectShare + mix.slipContinueShare + mix.shortcutShare;
  if (traceShares > 1 + 1e-9) {
    throw new RangeError(`corpus mix: selfCorrectShare + slipContinueShare + shortcutShare must be at most 1, got ${traceShares}`);
  }
}

/** The completion text of an example (every segment, trained or not). */
export function completionText(example: CorpusExample): string {
  return example.segments.map((s) => s.text).join('');
}

/** The text of the first `count` steps of a trace, each with its ';' ('' for 0). */
function stepsText(trace: string, count: number): string {
  const steps = parseTrace(trace).steps;
  return count <= 0 ? '' : trace.slice(0, steps[count - 1].end + 1);
}

/** The answers of `count` independent slips on a problem (each a consistent wrong trace's answer). */
export function slipAnswers(task: Task, problem: Problem, rng: Rng, count: number): string[] {
  const answers: string[] = [];
  for (let i = 0; i < count; i++) {
    const answer = parseTrace(task.injectError(problem, rng, 1).text).answer;
    if (answer !== null) answers.push(answer);
  }
  return answers;
}

/** One corpus example for a problem: the trace kind and the hint drawn from `mix` with `rng`. */
export function corpusExample(task: Task, problem: Problem, rng: Rng, mix: CorpusMix): CorpusExample {
  // No draw for a share that is 0, so the gold-only mix draws exactly what gold-only pretraining always drew.
  const u = mix.selfCorrectShare + mix.slipContinueShare + mix.shortcutShare > 0 ? rng.next() : 1;
  const kind: CorpusKind =
    u < mix.selfCorrectShare ? 'selfCorrect'
      : u < mix.selfCorrectShare + mix.slipContinueShare ? 'slipContinue'
        : u < mix.selfCorrectShare + mix.slipContinueShare + mix.shortcutShare ? 'shortcut'
          : 'gold';
  const gold = problem.gold;
  const goldSteps = parseTrace(gold).steps;
  let segments: CorpusSegment[];
  if (kind === 'selfCorrect' || kind === 'slipContinue') {
    const slip = task.injectError(problem, rng, 1);
    const k = slip.corruptedSteps[0];
    const slipSteps = parseTrace(slip.text).steps;
    const before = stepsText(slip.text, k); // identical to gold's first k steps: the slip is the first error
    const wrongStep = slip.text.slice(slipSteps[k].start, slipSteps[k].end + 1);
    const rest = kind === 'selfCorrect'
      ? `!${gold.slice(goldSteps[k].start)}` // '!' + the right step + the gold rest
      : slip.text.slice(slipSteps[k].end + 1); // the slip's own consistent continuation
    segments = [{ text: before, trained: true }, { text: wrongStep, trained: false }, { text: rest, trained: true }];
  } else if (kind === 'shortcut') {
    const skipAll = rng.next() < mix.shortcutAllShare || goldSteps.length < 2;
    const kept = skipAll ? 0 : rng.int(1, goldSteps.length - 1);
    segments = [{ text: `${stepsText(gold, kept)}>${problem.answer}`, trained: true }];
  } else {
    segments = [{ text: gold, trained: true }];
  }
  let hint = '';
  if (kind !== 'slipContinue' && mix.hintShare > 0 && rng.next() < mix.hintShare) {
    const answers = slipAnswers(task, problem, rng, rng.int(1, 3)).filter((a) => a !== problem.answer);
    if (answers.length > 0) hint = task.hint(answers, rng.next() < mix.hintConciseShare ? 'some' : 'none');
  }
  return { kind, prompt: hint + problem.prompt, hint, segments: segments.filter((s) => s.text.length > 0) };
}
