import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/backend/rng';
import { CORPUS_DEFAULTS, corpusBatch } from '../../src/run/pretrain';
import { additionTask } from '../../src/tasks/addition';
import { chainTask } from '../../src/tasks/chain';
import { GOLD_ONLY_MIX, checkCorpusMix, completionText, corpusExample, type CorpusExample, type CorpusKind } from '../../src/tasks/corpus';
import { parseHint } from '../../src/tasks/hint';
import { parseTrace } from '../../src/tasks/trace';
import { encode, encodePrompt } from '../../src/tasks/tokenizer';

function draw(task = additionTask, n = 2000, mix = CORPUS_DEFAULTS, seed = 7): { ex: CorpusExample; answer: string; gold: string; prompt: string }[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const p = task.generate(rng, rng.pick(task.difficulties.slice(0, 4) as number[]), 'train');
    return { ex: corpusExample(task, p, rng, mix), answer: p.answer, gold: p.gold, prompt: p.prompt };
  });
}

describe('corpusExample', () => {
  for (const task of [additionTask, chainTask]) {
    it(`${task.name}: each kind is what it says, judged by the task's own verifier`, () => {
      const rng = new Rng(3);
      for (const { ex, answer, gold, prompt } of draw(task, 1500)) {
        const problem = { task: task.name, difficulty: 0, prompt, answer, gold };
        const v = task.verify(problem, completionText(ex));
        const untrained = ex.segments.filter((s) => !s.trained);
        if (ex.kind === 'gold') expect(completionText(ex)).toBe(gold);
        if (ex.kind === 'selfCorrect') {
          // the slip is the only wrong step, '!' retracts it, the redo is right and the answer is gold
          expect(untrained).toHaveLength(1);
          expect(v.recoveredAt).not.toBeNull();
          expect(v.falseRetractions).toBe(0);
          expect(v.correct).toBe(true);
          expect(v.steps.filter((s) => !s.ok)).toHaveLength(1);
        }
        if (ex.kind === 'slipContinue') {
          expect(untrained).toHaveLength(1);
          expect(v.retractions).toBe(0);
          expect(v.steps.filter((s) => !s.ok)).toHaveLength(1); // later steps are consistent with the slip
          expect(v.correct).toBe(false);
          expect(ex.hint).toBe('');
        }
        if (ex.kind === 'shortcut') {
          expect(v.correct).toBe(true);
          expect(parseTrace(completionText(ex)).steps.length).toBeLessThan(parseTrace(gold).steps.length);
        }
        if (ex.hint) {
          const h = parseHint(ex.prompt);
          expect(h.length).toBe(ex.hint.length);
          expect(h.rest).toBe(prompt);
          expect(h.wrongAnswers.length).toBeGreaterThan(0);
          expect(h.wrongAnswers).not.toContain(answer);
        }
      }
      void rng;
    });
  }

  it('draws each kind near its share, hints near theirs, and slips at every step position', () => {
    const all = draw(additionTask, 4000);
    const share = (k: CorpusKind) => all.filter((x) => x.ex.kind === k).length / all.length;
    expect(share('selfCorrect')).toBeCloseTo(CORPUS_DEFAULTS.selfCorrectShare, 1);
    expect(share('slipContinue')).toBeCloseTo(CORPUS_DEFAULTS.slipContinueShare, 1);
    expect(share('shortcut')).toBeCloseTo(CORPUS_DEFAULTS.shortcutShare, 1);
    const hintable = all.filter((x) => x.ex.kind !== 'slipContinue');
    expect(hintable.filter((x) => x.ex.hint).length / hintable.length).toBeCloseTo(CORPUS_DEFAULTS.hintShare, 1);
    // the position of the slip: index of the untrained segment's step among the steps
    const positions = new Map<string, number>();
    for (const { ex, gold } of all) {
      const i = ex.segments.findIndex((s) => !s.trained);
      if (i < 0) continue;
      const n = parseTrace(gold).steps.length;
      const k = parseTrace(ex.segments[0].trained ? ex.segments[0].text : '').steps.length * (i > 0 ? 1 : 0);
      const key = `${n}:${k}`;
      positions.set(key, (positions.get(key) ?? 0) + 1);
    }
    for (const n of [2, 3, 4]) for (let k = 0; k < n; k++) expect(positions.get(`${n}:${k}`) ?? 0).toBeGreaterThan(5);
  });

  it('is deterministic in the seed, and the gold-only mix gives the old corpus', () => {
    expect(draw(additionTask, 200, CORPUS_DEFAULTS, 5)).toEqual(draw(additionTask, 200, CORPUS_DEFAULTS, 5));
    for (const { ex, gold, prompt } of draw(additionTask, 200, GOLD_ONLY_MIX)) {
      expect(ex.kind).toBe('gold');
      expect(ex.prompt).toBe(prompt);
      expect(completionText(ex)).toBe(gold);
    }
  });

  it('rejects a mix out of range, naming the field', () => {
    expect(() => checkCorpusMix({ ...CORPUS_DEFAULTS, hintShare: 1.5 })).toThrow(/hintShare/);
    expect(() => checkCorpusMix({ ...CORPUS_DEFAULTS, selfCorrectShare: 0.6, shortcutShare: 0.6 })).toThrow(/at most 1/);
  });
});

describe('corpusBatch', () => {
  it('gives slips loss weight 0 and every trained token (EOS included) the same weight', () => {
    const ex: CorpusExample = {
      kind: 'selfCorrect', prompt: '12+34=', hint: '',
      segments: [{ text: '2+4+0=07;', trained: false }, { text: '!2+4+0=06;1+3+0=04;>46', trained: true }],
    };
    const batch = corpusBatch([ex], 80);
    const c = encodePrompt(ex.prompt).length;
    const slip = encode('2+4+0=07;').length;
    const trained = encode('!2+4+0=06;1+3+0=04;>46').length + 1;
    const w = (j: number) => batch.tokenData[(c + j - 1) * 3 + 1];
    for (let j = 0; j < slip; j++) expect(w(j)).toBe(0);
    for (let j = slip; j < slip + trained; j++) expect(w(j)).toBeCloseTo(1 / trained, 7);
    for (let r = 0; r < c - 1; r++) expect(batch.tokenData[r * 3 + 1]).toBe(0); // the prompt is never a target
  });
  it('drops the hint of an example too long for the context', () => {
    const ex: CorpusExample = { kind: 'gold', prompt: '~1,2|1+1=', hint: '~1,2|', segments: [{ text: '1+1+0=02;>2', trained: true }] };
    expect(corpusBatch([ex], 30).tokens[1]).toBe(encode('~')[0]);
    expect(corpusBatch([ex], 16).tokens[1]).toBe(encode('1')[0]);
  });
});
