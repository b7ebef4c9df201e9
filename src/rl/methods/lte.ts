// LTE (learning to explore with hints from its own mistakes): when every sample of a prompt's group fails,
// resample it with a hint made of the group's wrong answers; correct hinted samples replace failed
// originals and are trained against the bare prompt with the shaped, unclipped ratio (TokenMode.SHAPED).
import type { Rng } from '../../backend/rng';
import { encodePrompt } from '../../tasks/tokenizer';
import type { Problem, Task } from '../../tasks/task';
import type { About } from '../about';
import { bareRequests, type PlannedRequest, type StepSample } from './samples';
import { statelessRun, type Method } from './method';

export const lteAbout = {
  name: 'lte',
  label: 'LTE: hints from own mistakes',
  knobs: [{ key: 'lteGamma', label: 'Shaping gamma', help: 'Hinted samples weigh r / (r + gamma); smaller is closer to on-policy.' }],
  metrics: ['lte/hinted_solve_rate', 'lte/hinted_groups'],
  charts: [],
  learn: {
    title: 'LTE: hints from its own mistakes',
    body: 'When every sample of a problem fails, GRPO learns nothing from it (all advantages are zero). LTE resamples that problem with a hint listing the wrong answers it just gave ("not these"), or asking it to be concise when it ran out of room. Correct hinted answers replace failed ones and are trained as if they answered the plain problem. GRPO-extra spends the same compute on more samples without hints, as the fair comparison.',
  },
} as const satisfies About;

/** Rows of the hinted round, apart from every first-round row id. */
const HINTED_ROWS = 1 << 16;

/**
 * None-pass groups (every observed reward 0) and the hint each one gets. A hint keeps as many of the
 * group's distinct wrong answers as fit the context (hint + prompt <= maxContext tokens).
 */
export function lteHints(task: Task, samples: readonly StepSample[], numGroups: number, maxContext: number): Map<number, string> {
  const hints = new Map<number, string>();
  for (let g = 0; g < numGroups; g++) {
    const members = samples.filter((s) => s.group === g);
    if (members.length === 0 || members.some((s) => s.observed > 0)) continue;
    const wrong: string[] = [];
    for (const s of members) if (s.verdict.answer !== null && !wrong.includes(s.verdict.answer)) wrong.push(s.verdict.answer);
    const truncated = members.filter((s) => s.out.truncated).length;
    const truncation = truncated === 0 ? 'none' : truncated === members.length ? 'all' : 'some';
    for (let keep = wrong.length; keep >= 0; keep--) {
      const hint = task.hint(wrong.slice(0, keep), truncation);
      if (encodePrompt(hint + members[0].problem.prompt).length <= maxContext) { hints.set(g, hint); break; }
    }
  }
  return hints;
}

/** G hinted requests for each hinted group, trained against the bare prompt (shaped, its own part). */
export function planHinted(problems: readonly Problem[], hints: Map<number, string>, G: number): PlannedRequest[] {
  const planned: PlannedRequest[] = [];
  for (const [group, hint] of hints) {
    const context = encodePrompt(hint + problems[group].prompt);
    const trainAs = { context: encodePrompt(problems[group].prompt), shaped: true, part: 1 };
    for (let i = 0; i < G; i++) planned.push({ group, kind: 'hinted', request: { context, prefix: [] }, wrongTrace: null, hint, trainAs });
  }
  return planned;
}

/**
 * In each hinted group, the G' hinted samples with a positive reward replace G' failed originals chosen at
 * random, so the group stays G. Hinted samples that replace nobody are not trained; `trained` is set on both.
 */
export function lteReplace(originals: StepSample[], hinted: StepSample[], rng: Rng): { solvedGroups: number; hintedGroups: number } {
  const groups = new Set(hinted.map((s) => s.group));
  let solved = 0;
  for (const g of groups) {
    const good = hinted.filter((s) => s.group === g && s.observed > 0);
    const failed = rng.shuffle(originals.filter((s) => s.group === g && s.observed <= 0 && s.trained));
    for (const s of hinted.filter((x) => x.group === g)) s.trained = false;
    good.forEach((s, i) => {
      if (i >= failed.length) return;
      failed[i].trained = false;
      s.trained = true;
    });
    if (good.length > 0) solved++;
  }
  return { solvedGroups: solved, hintedGroups: groups.size };
}

export const lte: Method<{ denoiseRho: number; lteGamma: number }> = {
  rowsPerPrompt: (c) => c.groupSize,
  expectedRowsPerPrompt: (c) => c.groupSize * 1.5, // about half the groups get a hinted round
  checkpoints: () => [],
  async start(env) {
    const G = env.config.groupSize;
    let last: { solvedGroups: number; hintedGroups: number } = { solvedGroups: 0, hintedGroups: 0 };
    return {
      ...statelessRun(env.config),
      shapingGamma: env.config.lteGamma,
      plan: (problems) => problems.flatMap((p, g) => bareRequests(p, g, G)),
      async followUp(round) {
        const hints = lteHints(env.task, round.samples, round.problems.length, env.model.cfg.maxT - env.config.maxCompletionLength);
        const hinted = hints.size > 0 ? await round.sample(planHinted(round.problems, hints, G), HINTED_ROWS, 3) : [];
        last = lteReplace(round.samples, hinted, round.rng.fork(4));
        return hinted;
      },
      metrics: () => ({
        'lte/hinted_solve_rate': last.hintedGroups ? last.solvedGroups / last.hintedGroups : null,
        'lte/hinted_groups': last.hintedGroups,
      }),
    };
  },
};
