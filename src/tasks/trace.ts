// Parsing and judging of step traces, shared by every task.
//
// A completion is a list of steps, each ended by ';', then a conclusion '>answer':
//   7+5+0=13;!7+5+0=12;4+8+1=13;3+2+1=06;>632
// Parsing rules (decided here once so every task reads traces the same way):
//  - The conclusion is the first '>' that STARTS a step (at offset 0 or right after a ';'). Everything after it
//    is the answer text, which must be a well-formed number: so '>632;', '>6>32' and '>12;>13' have no answer.
//    A '>' inside a step just makes that step malformed.
//  - Steps are the ';'-separated pieces before the conclusion. An unterminated last piece (a completion cut off
//    mid-step, or one that never concludes) is still a step and is judged like any other; an empty last piece
//    (the completion ends right after ';') is not a step.
//  - A step starting with '!' retracts the previous KEPT step (marks it retracted) and redoes it: its body
//    (after the '!') is judged in the retracted step's place, against the same kept steps before it.
//    A '!' with nothing to retract is malformed (not ok) but its body still takes the next position, so one
//    stray marker does not make every later step look wrong.
//  - A retraction of a step that was right is a false retraction. One is tolerated (a model that checks once);
//    with more than MAX_FALSE_RETRACTIONS the trace is not correct whatever its answer, so a policy cannot pad
//    its traces with '!' redoing right steps (retraction spam, which a reward on the trace patterns would pay).
//  - Steps are judged against the kept steps before them, so an error propagates only once: a step computed
//    correctly from a wrong earlier result is ok; only the step where the error happened is not.
import type { StepVerdict, Verdict } from './task';

const WELL_FORMED_NUMBER = /^(0|[1-9][0-9]*)$/;

/** Digits only, no leading zeros unless the number is '0'. The only form an answer or result may take. */
export function isWellFormedNumber(text: string): boolean {
  return WELL_FORMED_NUMBER.test(text);
}

export interface TraceStep {
  text: string; // without its ';'
  start: number; // offsets in the completion, end exclusive
  end: number;
}

export interface ParsedTrace {
  steps: TraceStep[];
  answerText: string | null; // everything after the conclusion '>', or null when there is no conclusion
  answer: string | null; // answerText when it is a well-formed number, else null
}

/** Split a completion into steps and the conclusion. Never throws. */
export function parseTrace(completion: string): ParsedTrace {
  const steps: TraceStep[] = [];
  let answerText: string | null = null;
  let start = 0;
  while (start < completion.length) {
    if (completion[start] === '>') {
      answerText = completion.slice(start + 1);
      break;
    }
    const semicolon = completion.indexOf(';', start);
    const end = semicolon === -1 ? completion.length : semicolon;
    steps.push({ text: completion.slice(start, end), start, end });
    if (semicolon === -1) break;
    start = semicolon + 1;
  }
  const answer = answerText !== null && isWellFormedNumber(answerText) ? answerText : null;
  return { steps, answerText, answer };
}

/**
 * Whether a step body (without '!') is right at its position. `keptBefore` holds the bodies of the steps kept
 * before it, in order (retracted steps removed, redone steps in their place); its length is the step's position.
 * A judge must never throw: bodies can be any string.
 */
export type StepJudge = (body: string, keptBefore: readonly string[]) => boolean;

export const RETRACTION_MARK = '!';

/** False retractions (a '!' that redoes a right step) a correct trace may hold; see the rules above. */
export const MAX_FALSE_RETRACTIONS = 1;

/** The step-by-step verdict on a completion (see the rules at the top of this file). */
export function verifyTrace(completion: string, goldAnswer: string, judge: StepJudge): Verdict {
  const parsed = parseTrace(completion);
  const steps: StepVerdict[] = [];
  const keptBodies: string[] = [];
  const keptIndices: number[] = [];
  let retractions = 0;
  let falseRetractions = 0;
  let recoveredAt: number | null = null;

  parsed.steps.forEach((step, index) => {
    const isRetraction = step.text.startsWith(RETRACTION_MARK);
    const body = isRetraction ? step.text.slice(RETRACTION_MARK.length) : step.text;
    let ok: boolean;
    if (isRetraction) {
      retractions++;
      const retractedIndex = keptIndices.pop();
      keptBodies.pop();
      if (retractedIndex === undefined) {
        ok = false; // nothing to retract
      } else {
        const retracted = steps[retractedIndex];
        retracted.retracted = true;
        if (retracted.ok) falseRetractions++;
        ok = judge(body, keptBodies);
        if (ok && !retracted.ok && recoveredAt === null) recoveredAt = index;
      }
    } else {
      ok = judge(body, keptBodies);
    }
    keptBodies.push(body);
    keptIndices.push(index);
    steps.push({ text: step.text, start: step.start, end: step.end, ok, retracted: false, isRetraction });
  });

  const firstWrong = steps.findIndex((s) => !s.ok);
  return {
    steps,
    firstWrongStep: firstWrong === -1 ? null : firstWrong,
    retractions,
    falseRetractions,
    recoveredAt,
    answer: parsed.answer,
    correct: parsed.answer !== null && parsed.answer === goldAnswer && falseRetractions <= MAX_FALSE_RETRACTIONS,
  };
}

/** Offset of the first character where two texts differ (the shorter length when one is a prefix of the other). */
export function firstDifference(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return n;
}
