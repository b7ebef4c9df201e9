// The gates a weak checkpoint must pass before any RL run can test a claim on it (docs/methods.md, "The
// pretraining world"). Each is measured on held-out problems at the RL difficulty by sampling the policy
// at temperature 1, exactly as RL samples it, and recorded with its threshold in the checkpoint's manifest.
import { Rng } from '../backend/rng';
import type { Decoder } from '../model/decode';
import { majorityVote } from '../rl/rewards/selfConsistency';
import { rollout, type RolloutRequest } from '../rl/rollout';
import { rprScore } from '../tasks/rpr';
import { makeProblemSet } from '../tasks/split';
import type { Problem, Task, Truncation, Verdict } from '../tasks/task';
import { decode, encode, encodePrompt } from '../tasks/tokenizer';
import { parseTrace } from '../tasks/trace';
import { EVAL_STREAM } from './evaluate';

export interface GateSettings {
  difficulty: number; // the RL difficulty
  seed: number;
  problems: number; // bare groups (8 samples each); the none-pass gate needs enough of them to fail
  hintProblems: number; // groups sampled with a random-wrong-answer hint
  prefixProblems: number; // injected-error prefixes, and as many correct-step prefixes
  samples: number; // per group
  maxCompletionLength: number; // the RL default budget
}

export const GATE_DEFAULTS: Omit<GateSettings, 'difficulty' | 'seed'> = {
  problems: 1280, hintProblems: 256, prefixProblems: 512, samples: 8, maxCompletionLength: 48,
};

/** The thresholds, in one place: the manifest records them beside the measured values. */
export const GATE_THRESHOLDS = {
  passAt1: [0.25, 0.5] as const, // the weak band
  majorityMargin: 0.1, // majority-of-8 accuracy - Pass@1, at least
  randomHintMaxDrop: 0.03, // |hinted - bare| accuracy, at most
  minNonePassGroups: 200,
  retractionRecovery: [0.03, 0.2] as const, // after an injected wrong step
  falseRetractionMax: 0.02, // after a correct step
  shortcutShare: [0.2, 0.5] as const,
  shortcutAccuracyMaxRatio: 0.75, // "clearly lower": shortcut accuracy at most this share of full-trace accuracy
};

/** Whether a gate's measured values pass its thresholds: the one place each gate is judged. */
export const GATE_JUDGES: Record<string, (m: Record<string, number>) => boolean> = {
  'weak band': (m) => m['pass@1'] >= GATE_THRESHOLDS.passAt1[0] && m['pass@1'] <= GATE_THRESHOLDS.passAt1[1]
    && m['majority@8'] - m['pass@1'] >= GATE_THRESHOLDS.majorityMargin - 1e-9,
  'random hint harmless': (m) => Math.abs(m.hinted - m.bare) <= GATE_THRESHOLDS.randomHintMaxDrop + 1e-9,
  'own hint helps': (m) => m.groups >= GATE_THRESHOLDS.minNonePassGroups && m['solved/hinted'] > m['solved/bare'],
  retraction: (m) => m.recovered_by_retraction >= GATE_THRESHOLDS.retractionRecovery[0]
    && m.recovered_by_retraction <= GATE_THRESHOLDS.retractionRecovery[1]
    && m.false_after_correct_prefix < GATE_THRESHOLDS.falseRetractionMax && m.false_in_bare < GATE_THRESHOLDS.falseRetractionMax,
  shortcuts: (m) => m.share >= GATE_THRESHOLDS.shortcutShare[0] && m.share <= GATE_THRESHOLDS.shortcutShare[1]
    && m['acc/shortcut'] <= GATE_THRESHOLDS.shortcutAccuracyMaxRatio * m['acc/full'] && m['rpr/correct'] > m['rpr/wrong'],
};

export interface GateResult {
  name: string;
  pass: boolean;
  measured: Record<string, number>;
  threshold: string;
  note?: string; // why a failed gate could not be met (written after measurement; a test requires it)
}

export interface GateReport {
  difficulty: number;
  settings: Omit<GateSettings, 'difficulty'>;
  gates: GateResult[];
  allPass: boolean;
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** Kept (non-retraction) steps before the conclusion: fewer than gold's is a shortcut. */
function keptSteps(v: Verdict): number {
  return v.steps.filter((s) => !s.retracted).length;
}

/** A random wrong answer with the digit count of `answer`. */
function randomWrongAnswer(answer: string, rng: Rng): string {
  for (;;) {
    const digits = answer.length;
    const n = digits === 1 ? rng.int(0, 9) : rng.int(10 ** (digits - 1), 10 ** digits - 1);
    if (String(n) !== answer) return String(n);
  }
}

interface Sampled {
  text: string;
  verdict: Verdict;
  truncated: boolean;
}

export async function measureGates(decoder: Decoder, task: Task, opts: { difficulty: number; seed: number } & Partial<GateSettings>): Promise<GateReport> {
  const s: GateSettings = { ...GATE_DEFAULTS, ...opts };
  const T = GATE_THRESHOLDS;
  const problems = makeProblemSet(task, s.seed + 3, s.difficulty, 'eval', s.problems);
  const goldSteps = (p: Problem) => parseTrace(p.gold).steps.length;
  let stream = 0;
  const sample = async (reqs: { problem: Problem; context: string; prefix?: string }[]): Promise<Sampled[]> => {
    const rr: RolloutRequest[] = reqs.map((r) => ({ context: encodePrompt(r.context), prefix: r.prefix ? encode(r.prefix) : [] }));
    const outs = await rollout(decoder, rr, {
      maxCompletionLength: s.maxCompletionLength, temperature: 1, topK: 0, seed: s.seed, step: EVAL_STREAM + 0x6a7e + stream++,
    });
    return outs.map((o, i) => {
      const text = (reqs[i].prefix ?? '') + decode(o.completion);
      return { text, verdict: task.verify(reqs[i].problem, text), truncated: o.truncated };
    });
  };
  // Like LTE: drop answers from a hint until hint + prompt + the completion budget fit the context.
  const maxContext = decoder.model.cfg.maxT - s.maxCompletionLength;
  const fittedHint = (answers: readonly string[], truncation: Truncation, p: Problem): string => {
    for (let keep = answers.length; keep >= 0; keep--) {
      const hint = task.hint(answers.slice(0, keep), truncation);
      if (encodePrompt(hint + p.prompt).length <= maxContext) return hint;
    }
    return '';
  };
  const groups = (ps: readonly Problem[], context: (p: Problem) => string) =>
    ps.flatMap((p) => Array.from({ length: s.samples }, () => ({ problem: p, context: context(p) })));
  const gates: GateResult[] = [];

  // 1. The weak band, and a majority vote that knows more than one sample.
  const bare = await sample(groups(problems, (p) => p.prompt));
  const group = (all: Sampled[], g: number) => all.slice(g * s.samples, (g + 1) * s.samples);
  const acc = (xs: Sampled[]) => xs.filter((x) => x.verdict.correct).length / Math.max(1, xs.length);
  const passAt1 = acc(bare);
  const majority = problems.filter((p, g) => majorityVote(group(bare, g).map((x) => x.verdict.answer)).label === p.answer).length / problems.length;
  gates.push({
    name: 'weak band', pass: false,
    measured: { 'pass@1': round4(passAt1), 'majority@8': round4(majority), problems: problems.length },
    threshold: `pass@1 in [${T.passAt1.join(', ')}], majority@8 - pass@1 >= ${T.majorityMargin}`,
  });

  // 2a. A hint of random wrong answers must not move accuracy (the question's position must not matter).
  const hintRng = new Rng(s.seed, 0x4147);
  const hintSet = problems.slice(0, s.hintProblems);
  const randomHints = new Map(hintSet.map((p) => [p, fittedHint(Array.from({ length: hintRng.int(1, 3) }, () => randomWrongAnswer(p.answer, hintRng)), 'none', p)]));
  const hinted = await sample(groups(hintSet, (p) => randomHints.get(p)! + p.prompt));
  const bareOnHintSet = acc(bare.slice(0, hintSet.length * s.samples));
  const hintedAcc = acc(hinted);
  gates.push({
    name: 'random hint harmless', pass: false,
    measured: {
      bare: round4(bareOnHintSet), hinted: round4(hintedAcc), problems: hintSet.length,
      'hint_chars/mean': round4(hintSet.reduce((a, p) => a + randomHints.get(p)!.length, 0) / Math.max(1, hintSet.length)),
    },
    threshold: `|hinted - bare| <= ${T.randomHintMaxDrop}`,
  });

  // 2b. On none-pass groups, LTE's hint of the group's own wrong answers against as many bare samples more.
  const nonePass = problems.map((p, g) => ({ p, g })).filter(({ g }) => group(bare, g).every((x) => !x.verdict.correct));
  const ownHint = (p: Problem, g: number): string => {
    const members = group(bare, g);
    const wrong = [...new Set(members.map((x) => x.verdict.answer).filter((a): a is string => a !== null))];
    const truncated = members.filter((x) => x.truncated).length;
    const truncation: Truncation = truncated === 0 ? 'none' : truncated === members.length ? 'all' : 'some';
    return fittedHint(wrong, truncation, p);
  };
  const hintFor = new Map(nonePass.map(({ p, g }) => [p, ownHint(p, g)]));
  const nonePassProblems = nonePass.map(({ p }) => p);
  const ownHinted = await sample(groups(nonePassProblems, (p) => hintFor.get(p)! + p.prompt));
  const moreBare = await sample(groups(nonePassProblems, (p) => p.prompt));
  const solved = (all: Sampled[]) => nonePassProblems.filter((_, g) => group(all, g).some((x) => x.verdict.correct)).length / Math.max(1, nonePassProblems.length);
  const solvedHint = solved(ownHinted);
  const solvedBare = solved(moreBare);
  gates.push({
    name: 'own hint helps', pass: false,
    measured: {
      groups: nonePassProblems.length, 'solved/hinted': round4(solvedHint), 'solved/bare': round4(solvedBare),
      'acc/hinted': round4(acc(ownHinted)), 'acc/bare': round4(acc(moreBare)),
    },
    threshold: `groups >= ${T.minNonePassGroups}, solved/hinted > solved/bare`,
  });

  // 3. Retraction: after an injected wrong step, and after a correct one.
  const prefixRng = new Rng(s.seed, 0x9e71);
  const prefixSet = problems.slice(0, s.prefixProblems);
  const injected = prefixSet.map((p) => {
    const inj = task.injectError(p, prefixRng, 1);
    const step = parseTrace(inj.text).steps[inj.corruptedSteps[0]];
    return { problem: p, context: p.prompt, prefix: inj.text.slice(0, step.end + 1) };
  });
  const afterWrong = await sample(injected);
  const recoveredByRetraction = afterWrong.filter((x) => x.verdict.recoveredAt !== null && x.verdict.correct).length / afterWrong.length;
  const anyRetractionAfterWrong = afterWrong.filter((x) => x.verdict.retractions > 0).length / afterWrong.length;
  const correctPrefixes = prefixSet.map((p) => {
    const steps = parseTrace(p.gold).steps;
    const k = prefixRng.int(1, steps.length); // cut after a correct step (the last one included)
    return { problem: p, context: p.prompt, prefix: p.gold.slice(0, steps[k - 1].end + 1) };
  });
  const afterCorrect = await sample(correctPrefixes);
  const falseAfterCorrect = afterCorrect.filter((x, i) => x.text.slice(correctPrefixes[i].prefix.length).startsWith('!')).length / afterCorrect.length;
  const falseInBare = bare.filter((x) => x.verdict.falseRetractions > 0).length / bare.length;
  gates.push({
    name: 'retraction', pass: false,
    measured: {
      'recovered_by_retraction': round4(recoveredByRetraction), 'retracted_after_wrong': round4(anyRetractionAfterWrong),
      'false_after_correct_prefix': round4(falseAfterCorrect), 'false_in_bare': round4(falseInBare), prefixes: prefixSet.length,
    },
    threshold: `recovered_by_retraction in [${T.retractionRecovery.join(', ')}], false retractions < ${T.falseRetractionMax}`,
  });

  // 4. Shortcuts exist, are worse, and RPR can tell.
  const concluded = bare.filter((x) => x.verdict.answer !== null);
  const isShortcut = (x: Sampled, i: number) => x.verdict.answer !== null && keptSteps(x.verdict) < goldSteps(problems[Math.floor(i / s.samples)]);
  const shortcuts = bare.filter(isShortcut);
  const full = bare.filter((x, i) => x.verdict.answer !== null && !isShortcut(x, i));
  const shortcutShare = shortcuts.length / Math.max(1, concluded.length);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const rprCorrect = mean(bare.filter((x) => x.verdict.correct).map((x) => rprScore(task, x.text)));
  const rprWrong = mean(bare.filter((x) => !x.verdict.correct).map((x) => rprScore(task, x.text)));
  const accShort = acc(shortcuts);
  const accFull = acc(full);
  gates.push({
    name: 'shortcuts', pass: false,
    measured: {
      share: round4(shortcutShare), 'acc/shortcut': round4(accShort), 'acc/full': round4(accFull),
      'rpr/correct': round4(rprCorrect), 'rpr/wrong': round4(rprWrong),
    },
    threshold: `share in [${T.shortcutShare.join(', ')}], acc/shortcut <= ${T.shortcutAccuracyMaxRatio} x acc/full, rpr/correct > rpr/wrong`,
  });

  for (const g of gates) g.pass = GATE_JUDGES[g.name](g.measured);
  const { difficulty: _d, ...settings } = s;
  return { difficulty: s.difficulty, settings, gates, allPass: gates.every((g) => g.pass) };
}
