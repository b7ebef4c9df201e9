import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/backend/rng';
import { MAX_HINT_ANSWERS, makeHint, parseHint } from '../../src/tasks/hint';
import { additionTask } from '../../src/tasks/addition';
import { chainTask } from '../../src/tasks/chain';
import { encode } from '../../src/tasks/tokenizer';
import type { Truncation } from '../../src/tasks/task';

describe('makeHint', () => {
  it('lists distinct wrong answers, in order, at most three', () => {
    expect(makeHint(['12', '7', '12', '40', '9'], 'none')).toBe('~12,7,40|');
    expect(MAX_HINT_ANSWERS).toBe(3);
  });
  it('writes the concise hint alone when every completion was truncated', () => {
    expect(makeHint([], 'all')).toBe('$|');
    expect(makeHint(['5'], 'all')).toBe('$|');
  });
  it('writes both when some completions were truncated', () => {
    expect(makeHint(['5', '6'], 'some')).toBe('$~5,6|');
    expect(makeHint([], 'some')).toBe('$|');
  });
  it('writes nothing when there is nothing to say', () => {
    expect(makeHint([], 'none')).toBe('');
  });
  it('throws on a wrong answer that is not a number', () => {
    expect(() => makeHint(['1;2'], 'none')).toThrow(/not a number/);
    expect(() => makeHint([''], 'none')).toThrow(/not a number/);
  });
  it('is what the tasks use, and tokenizes', () => {
    expect(additionTask.hint(['1', '2'], 'some')).toBe('$~1,2|');
    expect(chainTask.hint(['3'], 'none')).toBe('~3|');
    expect(() => encode(makeHint(['0', '123', '45'], 'some'))).not.toThrow();
  });
});

describe('parseHint', () => {
  it('round trips every hint makeHint writes', () => {
    const rng = new Rng(41);
    const truncations: Truncation[] = ['none', 'some', 'all'];
    for (let i = 0; i < 500; i++) {
      const answers = Array.from({ length: rng.int(0, 5) }, () => String(rng.int(0, 200)));
      const text = makeHint(answers, rng.pick(truncations));
      const parsed = parseHint(`${text}347+285=`);
      expect(parsed.length).toBe(text.length);
      expect(parsed.rest).toBe('347+285=');
      expect(makeHint(parsed.wrongAnswers, parsed.truncation)).toBe(text);
    }
  });
  it('reads the parts', () => {
    expect(parseHint('$~12,7|9+9=')).toEqual({ wrongAnswers: ['12', '7'], truncation: 'some', length: 7, rest: '9+9=' });
    expect(parseHint('~5|9+9=').truncation).toBe('none');
    expect(parseHint('$|9+9=').truncation).toBe('all');
  });
  it('finds no hint in a bare prompt or a malformed one, and never throws', () => {
    for (const text of ['347+285=', '', '|', '~|', '~12', '$~|', '~01|', '~1,,2|', '$$|']) {
      const parsed = parseHint(text);
      expect(parsed.length, text).toBe(0);
      expect(parsed.rest).toBe(text);
      expect(parsed.wrongAnswers).toEqual([]);
    }
  });
});
