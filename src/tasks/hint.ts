// LTE hints (docs/methods.md, "LTE"): text placed before the problem of a none-pass group.
//   '~a,b|'   not these answers (the group's distinct wrong answers)
//   '$|'      be concise (every completion was truncated)
//   '$~a,b|'  both (some completions were truncated, the others were wrong)
import { isWellFormedNumber } from './trace';
import type { Truncation } from './task';

/** At most this many wrong answers go into a hint: longer hints eat the context and say little more. */
export const MAX_HINT_ANSWERS = 3;

/**
 * The hint text. Wrong answers are deduplicated (first occurrence kept) and cut to MAX_HINT_ANSWERS.
 * With truncation 'all' only the concise hint is given (truncated completions have no answers to rule out).
 * Returns '' when there is nothing to say. Throws on a wrong answer that is not a well-formed number:
 * callers pass answers parsed by `verify`, so anything else is a bug upstream.
 */
export function makeHint(wrongAnswers: readonly string[], truncation: Truncation): string {
  for (const answer of wrongAnswers) {
    if (!isWellFormedNumber(answer)) throw new Error(`hint: wrong answer ${JSON.stringify(answer)} is not a number`);
  }
  if (truncation === 'all') return '$|';
  const distinct = [...new Set(wrongAnswers)].slice(0, MAX_HINT_ANSWERS);
  const concise = truncation === 'some' ? '$' : '';
  const notThese = distinct.length > 0 ? `~${distinct.join(',')}` : '';
  if (concise === '' && notThese === '') return '';
  return `${concise}${notThese}|`;
}

export interface ParsedHint {
  wrongAnswers: string[];
  // '$|' is read as 'all': makeHint writes the same text for ('some', no answers), so the text round trip holds.
  truncation: Truncation;
  length: number; // characters of the hint, including its '|' (0: no hint)
  rest: string; // the text after the hint (the problem, when given a hinted prompt)
}

const HINT_PREFIX = /^(\$)?(?:~((?:0|[1-9][0-9]*)(?:,(?:0|[1-9][0-9]*))*))?\|/;

/** Read the hint at the start of a text (a bare hint or a hinted prompt). No hint or a malformed one: length 0. */
export function parseHint(text: string): ParsedHint {
  const match = HINT_PREFIX.exec(text);
  const concise = match?.[1] !== undefined;
  const list = match?.[2];
  if (!match || (!concise && list === undefined)) {
    return { wrongAnswers: [], truncation: 'none', length: 0, rest: text };
  }
  const wrongAnswers = list === undefined ? [] : list.split(',');
  const truncation: Truncation = !concise ? 'none' : wrongAnswers.length > 0 ? 'some' : 'all';
  return { wrongAnswers, truncation, length: match[0].length, rest: text.slice(match[0].length) };
}
