// What every reasoning task provides. A task knows nothing of models or backends: it makes problems,
// writes gold traces, judges completions step by step, corrupts traces on purpose, and writes LTE hints.
import type { Rng } from '../backend/rng';

export type Split = 'train' | 'eval';

export interface Problem {
  task: string; // task name, e.g. 'addition'
  difficulty: number;
  prompt: string; // problem text, e.g. '347+285=' (no BOS; see tokenizer.encodePrompt)
  answer: string; // the gold final answer, e.g. '632'
  gold: string; // the gold completion, steps and final answer, e.g. '7+5+0=12;4+8+1=13;3+2+1=06;>632'
}

export interface StepVerdict {
  text: string; // the step's text without its ';'
  start: number; // character offsets of the step in the completion
  end: number;
  ok: boolean; // the step is well-formed and correct given the problem and the steps kept before it
  retracted: boolean; // a later '!' retracted this step
  isRetraction: boolean; // the step starts with '!' (it redoes the step before it)
}

export interface Verdict {
  steps: StepVerdict[];
  firstWrongStep: number | null; // index into steps of the first step that is not ok, or null
  retractions: number; // how many '!' steps
  falseRetractions: number; // how many '!' steps retracted a step that was ok
  recoveredAt: number | null; // index of the first retraction step that replaced a wrong step by a correct one
  answer: string | null; // the parsed final answer, or null when there is none ('>' missing or malformed)
  correct: boolean; // answer === problem.answer, and at most MAX_FALSE_RETRACTIONS false retractions (trace.ts)
}

export interface Injection {
  text: string; // a complete wrong trace (steps and final answer) with errors injected
  corruptedSteps: number[]; // indices of the corrupted steps
  firstCorruptChar: number; // offset in text of the first corrupted character
}

export type Truncation = 'none' | 'some' | 'all';

export interface Task {
  readonly name: string;
  readonly description: string; // one line for the UI
  readonly difficulties: readonly number[]; // allowed difficulty levels, easiest first
  readonly defaultDifficulty: number;
  /** A problem of the given difficulty from the given split; train and eval never share a prompt. */
  generate(rng: Rng, difficulty: number, split: Split): Problem;
  /** Judge a completion (text after the prompt, without EOS). Never throws on garbage. */
  verify(problem: Problem, completion: string): Verdict;
  /** Phrases of the trace language that signal reasoning structure (RPR). Never depends on the answer. */
  readonly reasoningPatterns: readonly string[];
  /** A wrong trace for the problem: the gold trace with `count` steps corrupted (errors propagate). */
  injectError(problem: Problem, rng: Rng, count?: number): Injection;
  /** The LTE hint text placed before the problem: '~a,b|' (not these answers), '$|' (be concise), or both '$~a,b|'. */
  hint(wrongAnswers: readonly string[], truncation: Truncation): string;
  /** An upper bound on the gold completion length (characters) at a difficulty, for length budgets. */
  maxGoldLength(difficulty: number): number;
}
