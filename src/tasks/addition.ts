// Multi-digit addition with a written, column-by-column scratchpad, least significant column first:
//   347+285=  ->  7+5+0=12;4+8+1=13;3+2+1=06;>632
// Each step is 'a+b+carryIn=' and the column sum as two digits, whose tens digit is the carry out.
// A final carry becomes the leading digit of the answer (95+17 -> 5+7+0=12;9+1+1=11;>112).
import type { Rng } from '../backend/rng';
import { makeHint, parseHint } from './hint';
import { injectVerified } from './inject';
import { TRACE_PATTERNS } from './rpr';
import { assertDifficulty, drawInSplit } from './split';
import type { Injection, Problem, Split, Task, Verdict } from './task';
import { verifyTrace, type StepJudge } from './trace';
import { TASK_ABOUT } from './about';

const NAME = 'addition';
const DIFFICULTIES = TASK_ABOUT.addition.difficulties;
const COLUMN_STEP = /^([0-9])\+([0-9])\+([0-9])=([0-9])([0-9])$/;
const ADDITION_PROMPT = /^([0-9]+)\+([0-9]+)=$/;

interface Operands {
  x: string;
  y: string;
}

/** The operands of an addition prompt (an LTE hint in front is skipped), or null when it is not one. */
export function parseAdditionPrompt(prompt: string): Operands | null {
  const match = ADDITION_PROMPT.exec(parseHint(prompt).rest);
  return match ? { x: match[1], y: match[2] } : null;
}

/** Digit of a decimal string at a column, column 0 = least significant; 0 beyond its length. */
function digitAt(n: string, column: number): number {
  const i = n.length - 1 - column;
  return i >= 0 ? n.charCodeAt(i) - 48 : 0;
}

function columnCount({ x, y }: Operands): number {
  return Math.max(x.length, y.length);
}

interface Column {
  a: number;
  b: number;
  carryIn: number;
  tens: number; // the written sum is `${tens}${ones}`; tens is the carry out
  ones: number;
}

const formatColumn = (c: Column): string => `${c.a}+${c.b}+${c.carryIn}=${c.tens}${c.ones}`;

/** The answer the written columns add up to: their ones digits, most significant first, after the last carry. */
function answerOf(columns: readonly Column[]): string {
  const last = columns[columns.length - 1];
  const digits = (last && last.tens > 0 ? String(last.tens) : '') + columns.map((c) => c.ones).reverse().join('');
  return digits.replace(/^0+(?=[0-9])/, '');
}

function formatTrace(columns: readonly Column[]): string {
  return `${columns.map(formatColumn).join(';')};>${answerOf(columns)}`;
}

/**
 * The kinds of mistake a learner makes in one column: a wrong ones digit, a dropped or added carry out
 * (tens digit flipped), or a dropped or added carry in (the previous carry ignored or invented).
 */
type ColumnError = 'onesDigit' | 'carryOut' | 'carryIn';
const COLUMN_ERRORS: readonly ColumnError[] = ['onesDigit', 'carryOut', 'carryIn'];

/**
 * Compute the columns, each carry taken from the column written before it, so an error made in one column
 * propagates the way a model's would: later columns are right given the (wrong) carry written earlier.
 */
function writeColumns(operands: Operands, errors: ReadonlyMap<number, ColumnError> = new Map(), rng?: Rng): Column[] {
  const columns: Column[] = [];
  for (let k = 0; k < columnCount(operands); k++) {
    const a = digitAt(operands.x, k);
    const b = digitAt(operands.y, k);
    const error = errors.get(k);
    const trueCarryIn = k === 0 ? 0 : columns[k - 1].tens;
    const carryIn = error === 'carryIn' ? 1 - trueCarryIn : trueCarryIn;
    const sum = a + b + carryIn;
    let tens = Math.floor(sum / 10);
    let ones = sum % 10;
    if (error === 'carryOut') tens = 1 - tens;
    if (error === 'onesDigit' && rng) ones = (ones + rng.int(1, 9)) % 10;
    columns.push({ a, b, carryIn, tens, ones });
  }
  return columns;
}

/** The gold trace for x+y (decimal strings). */
export function additionGold(x: string, y: string): string {
  return formatTrace(writeColumns({ x, y }));
}

/** The carry a column step passes on (its tens digit), or null when the step is malformed. */
function carryOutOf(step: string): number | null {
  const match = COLUMN_STEP.exec(step);
  return match ? Number(match[4]) : null;
}

function columnJudge(operands: Operands): StepJudge {
  return (body, keptBefore) => {
    const match = COLUMN_STEP.exec(body);
    const column = keptBefore.length;
    if (!match || column >= columnCount(operands)) return false;
    const [a, b, carryIn, tens, ones] = match.slice(1, 6).map(Number);
    if (a !== digitAt(operands.x, column) || b !== digitAt(operands.y, column)) return false;
    // After a malformed step the carry is unknown: accept either carry rather than blame this step too.
    const expectedCarry = column === 0 ? 0 : carryOutOf(keptBefore[column - 1]);
    if (expectedCarry === null ? carryIn > 1 : carryIn !== expectedCarry) return false;
    return a + b + carryIn === tens * 10 + ones;
  };
}

function operandsOrThrow(problem: Problem): Operands {
  const operands = parseAdditionPrompt(problem.prompt);
  if (!operands) throw new Error(`${NAME}: ${JSON.stringify(problem.prompt)} is not an addition prompt`);
  return operands;
}

/** A number with exactly `digits` digits (leading digit nonzero, except that one digit allows 0). */
function randomOperand(rng: Rng, digits: number): string {
  return String(digits === 1 ? rng.int(0, 9) : rng.int(10 ** (digits - 1), 10 ** digits - 1));
}

export function makeAdditionProblem(x: string, y: string): Problem {
  return {
    task: NAME,
    difficulty: Math.max(x.length, y.length),
    prompt: `${x}+${y}=`,
    answer: String(Number(x) + Number(y)),
    gold: additionGold(x, y),
  };
}

export const additionTask: Task = {
  name: NAME,
  description: TASK_ABOUT.addition.description,
  difficulties: DIFFICULTIES,
  defaultDifficulty: TASK_ABOUT.addition.defaultDifficulty,

  generate(rng: Rng, difficulty: number, split: Split): Problem {
    assertDifficulty(NAME, DIFFICULTIES, difficulty);
    return drawInSplit(split, () => makeAdditionProblem(randomOperand(rng, difficulty), randomOperand(rng, difficulty)));
  },

  verify(problem: Problem, completion: string): Verdict {
    return verifyTrace(completion, problem.answer, columnJudge(operandsOrThrow(problem)));
  },

  // Structure, never values: carry notes, column shapes, step ends, checks, a conclusion. '#' is any digit
  // (see rpr.ts). A right trace of d columns shows more of these the more carry situations it meets.
  reasoningPatterns: [
    ...TRACE_PATTERNS,
    '+0=', // carry in noted: none
    '+1=', // carry in noted: one
    '=0#;', // a column sum without carry out
    '=1#;', // a column sum with carry out
    '#+#+0=0#;', // a whole column: no carry in, no carry out
    '#+#+0=1#;', // no carry in, carry out
    '#+#+1=0#;', // carry in, no carry out
    '#+#+1=1#;', // carry in and carry out
    ';#+#+', // a column follows a column
    ';!#+#+', // a column redone after a check
  ],

  injectError(problem: Problem, rng: Rng, count = 1): Injection {
    const operands = operandsOrThrow(problem);
    return injectVerified(
      problem,
      rng,
      count,
      columnCount(operands),
      (corrupted, r) => formatTrace(writeColumns(operands, new Map(corrupted.map((k) => [k, r.pick(COLUMN_ERRORS)])), r)),
      (p, completion) => additionTask.verify(p, completion),
    );
  },

  hint: makeHint,

  // d steps of 9 characters ('a+b+c=tu;'), then '>' and at most d+1 answer digits (a final carry).
  maxGoldLength(difficulty: number): number {
    assertDifficulty(NAME, DIFFICULTIES, difficulty);
    return 9 * difficulty + 1 + (difficulty + 1);
  },
};
