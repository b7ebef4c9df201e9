// A chain of single-digit operations evaluated strictly left to right (no precedence), one step per operation:
//   7*3-5+9=  ->  7*3=21;21-5=16;16+9=25;>25
// Every intermediate result stays in 0..99: '-' is only an operator, so a negative could not be written,
// and two digits keep each step within what a ~100K-parameter model can learn to compute in one go.
import type { Rng } from '../backend/rng';
import { makeHint, parseHint } from './hint';
import { injectVerified } from './inject';
import { TRACE_PATTERNS } from './rpr';
import { assertDifficulty, drawInSplit } from './split';
import type { Injection, Problem, Split, Task, Verdict } from './task';
import { verifyTrace, type StepJudge } from './trace';
import { TASK_ABOUT } from './about';

const NAME = 'chain';
const DIFFICULTIES = TASK_ABOUT.chain.difficulties;
const OPERATORS = ['+', '-', '*'] as const;
type Operator = (typeof OPERATORS)[number];
const MAX_RESULT = 99;

const CHAIN_PROMPT = /^([0-9])((?:[-+*][0-9])+)=$/;
const CHAIN_STEP = /^(0|[1-9][0-9]*)([-+*])([0-9])=(0|[1-9][0-9]*)$/;

interface Chain {
  first: number;
  operators: Operator[];
  operands: number[]; // operands[k] is the right operand of operators[k]
}

function apply(left: number, operator: Operator, right: number): number {
  return operator === '+' ? left + right : operator === '-' ? left - right : left * right;
}

const isOperator = (text: string): text is Operator => (OPERATORS as readonly string[]).includes(text);

/** The chain of a prompt (an LTE hint in front is skipped), or null when it is not one. */
export function parseChainPrompt(prompt: string): Chain | null {
  const match = CHAIN_PROMPT.exec(parseHint(prompt).rest);
  if (!match) return null;
  const operators: Operator[] = [];
  const operands: number[] = [];
  for (let i = 0; i < match[2].length; i += 2) {
    const operator = match[2][i];
    if (!isOperator(operator)) return null;
    operators.push(operator);
    operands.push(Number(match[2][i + 1]));
  }
  return { first: Number(match[1]), operators, operands };
}

/** The results after each operation, or null if one leaves 0..MAX_RESULT. */
function resultsOf(chain: Chain): number[] | null {
  const results: number[] = [];
  let value = chain.first;
  for (let k = 0; k < chain.operators.length; k++) {
    value = apply(value, chain.operators[k], chain.operands[k]);
    if (value < 0 || value > MAX_RESULT) return null;
    results.push(value);
  }
  return results;
}

/** A wrong result as a slip of one digit: same number of digits, no leading zero, never the right value. */
function slipOneDigit(value: number, rng: Rng): number {
  const digits = [...String(value)];
  const position = rng.int(0, digits.length - 1);
  const lowest = position === 0 && digits.length > 1 ? 1 : 0;
  const choices = Array.from({ length: 10 - lowest }, (_, i) => String(lowest + i)).filter((d) => d !== digits[position]);
  digits[position] = rng.pick(choices);
  return Number(digits.join(''));
}

/**
 * The trace of a chain with the given steps' results slipped, later steps computed correctly from the
 * slipped results (as a model would continue). Null when a result leaves 0..MAX_RESULT.
 */
function writeTrace(chain: Chain, corruptedSteps: readonly number[] = [], rng?: Rng): string | null {
  const steps: string[] = [];
  let left = chain.first;
  for (let k = 0; k < chain.operators.length; k++) {
    let result = apply(left, chain.operators[k], chain.operands[k]);
    if (corruptedSteps.includes(k) && rng) result = slipOneDigit(result, rng);
    if (result < 0 || result > MAX_RESULT) return null;
    steps.push(`${left}${chain.operators[k]}${chain.operands[k]}=${result}`);
    left = result;
  }
  return `${steps.join(';')};>${left}`;
}

function promptOf(chain: Chain): string {
  return `${chain.first}${chain.operators.map((op, k) => `${op}${chain.operands[k]}`).join('')}=`;
}

/** A problem from a chain; throws if an intermediate result leaves 0..MAX_RESULT. */
export function makeChainProblem(chain: Chain): Problem {
  const results = resultsOf(chain);
  const gold = writeTrace(chain);
  if (!results || gold === null) throw new Error(`${NAME}: ${promptOf(chain)} leaves 0..${MAX_RESULT}`);
  return {
    task: NAME,
    difficulty: chain.operators.length,
    prompt: promptOf(chain),
    answer: String(results[results.length - 1]),
    gold,
  };
}

/** A uniform draw among chains whose every intermediate result is in range (whole-chain rejection). */
function randomChain(rng: Rng, operations: number): Chain {
  for (;;) {
    const chain: Chain = { first: rng.int(1, 9), operators: [], operands: [] };
    for (let k = 0; k < operations; k++) {
      chain.operators.push(rng.pick(OPERATORS));
      chain.operands.push(rng.int(1, 9));
    }
    if (resultsOf(chain)) return chain; // about 2 in 3 chains of 5 operations are in range
  }
}

/** The result a step wrote, or null when the step is malformed. */
function resultOf(step: string): number | null {
  const match = CHAIN_STEP.exec(step);
  return match ? Number(match[4]) : null;
}

function stepJudge(chain: Chain): StepJudge {
  return (body, keptBefore) => {
    const match = CHAIN_STEP.exec(body);
    const k = keptBefore.length;
    if (!match || k >= chain.operators.length) return false;
    const left = Number(match[1]);
    // After a malformed step the running value is unknown: check this step on its own rather than blame it too.
    const expectedLeft = k === 0 ? chain.first : resultOf(keptBefore[k - 1]);
    if (expectedLeft !== null && left !== expectedLeft) return false;
    const operator = match[2];
    if (!isOperator(operator) || operator !== chain.operators[k] || Number(match[3]) !== chain.operands[k]) return false;
    return Number(match[4]) === apply(left, operator, Number(match[3]));
  };
}

function chainOrThrow(problem: Problem): Chain {
  const chain = parseChainPrompt(problem.prompt);
  if (!chain) throw new Error(`${NAME}: ${JSON.stringify(problem.prompt)} is not a chain prompt`);
  return chain;
}

export const chainTask: Task = {
  name: NAME,
  description: TASK_ABOUT.chain.description,
  difficulties: DIFFICULTIES,
  defaultDifficulty: TASK_ABOUT.chain.defaultDifficulty,

  generate(rng: Rng, difficulty: number, split: Split): Problem {
    assertDifficulty(NAME, DIFFICULTIES, difficulty);
    return drawInSplit(split, () => makeChainProblem(randomChain(rng, difficulty)));
  },

  verify(problem: Problem, completion: string): Verdict {
    return verifyTrace(completion, problem.answer, stepJudge(chainOrThrow(problem)));
  },

  // Structure, never values ('#' is any digit, see rpr.ts). Longer chains meet more operators and sizes.
  reasoningPatterns: [
    ...TRACE_PATTERNS,
    ';!#', // a step redone after a check
    '#+#=', // an addition step
    '#-#=', // a subtraction step
    '#*#=', // a multiplication step
    '=#;', // a one-digit result written down
    '=##;', // a two-digit result
    '=###;', // a three-digit result
    '#;#', // a step carries on from the one before
  ],

  injectError(problem: Problem, rng: Rng, count = 1): Injection {
    const chain = chainOrThrow(problem);
    return injectVerified(
      problem,
      rng,
      count,
      chain.operators.length,
      (corrupted, r) => writeTrace(chain, corrupted, r),
      (p, completion) => chainTask.verify(p, completion),
    );
  },

  hint: makeHint,

  // Step 1 'a*b=rr;' has at most 7 characters, every later step at most 8 ('rr+b=rr;'), then '>' and at
  // most 2 digits. All bounds are reached, e.g. 9*9+9+9: 7+8+8+3 = 26.
  maxGoldLength(difficulty: number): number {
    assertDifficulty(NAME, DIFFICULTIES, difficulty);
    return 7 + 8 * (difficulty - 1) + 3;
  },
};
