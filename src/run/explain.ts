// The step view's numbers: one training step laid open from what the trainer already computed (samples,
// rewards, advantages, the train batch, the update's per-token statistics), plus one extra forward pass
// after the update for the new log-probs of the same samples. Called only when the view asks (see
// Trainer.explainNext), after the step's metrics are taken, so a step's numbers never depend on it.
import { ClipCode, TOKEN_DATA, TOKEN_STATS, TokenMode, type GrpoLossSettings } from '../backend/backend';
import { grpoTokenTerms, type GrpoTokenTerms } from '../backend/cpu/ops/grpoLoss';
import type { GPT } from '../model/gpt';
import { ADVANTAGE_EPS, groupMembers } from '../rl/grpo';
import { mean, std } from '../rl/metrics';
import type { StepSample } from '../rl/methods/samples';
import { majorityVote } from '../rl/rewards/selfConsistency';
import type { TrainBatch, UpdateResult } from '../rl/update';
import { patternsPresent } from '../tasks/rpr';
import type { Task } from '../tasks/task';
import { decode } from '../tasks/tokenizer';
import type { RunConfig } from './config';
import type { ExplainedGroup, ExplainedSample, ExplainedToken, StepExplanation } from './stepExplanation';

export interface ExplainInputs {
  step: number;
  config: RunConfig;
  task: Task;
  model: GPT; // already updated
  samples: readonly StepSample[]; // every sample of the step, first round then follow-up
  trained: readonly StepSample[]; // the batch's rows, in order
  batch: TrainBatch | null;
  updates: readonly UpdateResult[];
  loss: GrpoLossSettings;
}

const MODE_NAME = { [TokenMode.CLIPPED]: 'clipped', [TokenMode.ON_POLICY]: 'on_policy', [TokenMode.SHAPED]: 'shaped' } as const;

/** Log-probs of every target of the batch under the model as it is now (one forward, one readback). */
async function batchLogprobs(model: GPT, batch: TrainBatch): Promise<Float32Array> {
  const k = model.backend;
  const N = batch.B * batch.T;
  const tokens = k.alloc(N, 'u32', 'explain.tokens');
  const targets = k.alloc(N, 'u32', 'explain.targets');
  const logp = k.alloc(N, 'f32', 'explain.logp');
  const entropy = k.alloc(N, 'f32', 'explain.entropy');
  try {
    k.write(tokens, batch.tokens);
    k.write(targets, batch.targets);
    const logits = model.forward(tokens, batch.B, batch.T);
    k.tokenLogprobs(logp, entropy, logits, targets, N, model.cfg.vocabSize);
    return ((await k.read(logp)) as Float32Array).slice(0, N);
  } finally {
    for (const t of [tokens, targets, logp, entropy]) k.free(t);
  }
}

/** Why a sample's observed reward is what it is, in words, from the reward kind's own rules. */
function reasons(s: StepSample, c: RunConfig, task: Task, majority: string | null): string[] {
  const why: string[] = [];
  if (c.reward === 'verifiable') why.push(s.verdict.correct ? 'verifier: right answer' : 'verifier: wrong answer');
  if (c.reward === 'flip') why.push(s.flipped ? 'flipped: the coin turned the clean reward over' : 'not flipped: the clean reward');
  if ((c.reward === 'reward_model' || c.reward === 'rm_rpr') && s.flipped) why.push("RM error: the simulated reward model's label was wrong");
  if (c.reward === 'rpr' || c.reward === 'rm_rpr' || c.reward === 'rpr_when_wrong') {
    const found = patternsPresent(task.reasoningPatterns, s.text);
    why.push(found.length ? `RPR patterns found: ${found.join(' ')}` : 'RPR: no reasoning pattern found');
  }
  if (c.reward === 'self_consistency') {
    why.push(majority === null ? 'majority label: none (no parseable answer in the group)' : `majority label ${majority}: answer ${s.verdict.answer ?? 'none'} ${s.verdict.answer === majority ? 'agrees' : 'disagrees'}`);
  }
  if (s.hint) why.push(`hinted: sampled after the hint ${s.hint}, trained against the bare prompt`);
  if (s.request.prefix.length) why.push(`prefixed: continues a forced prefix of ${s.request.prefix.length} tokens (not trained)`);
  if (!s.trained) why.push('not trained this step');
  return why;
}

export async function explainStep(x: ExplainInputs): Promise<StepExplanation> {
  const c = x.config;
  const first = x.updates[0] ?? null;
  const after = x.batch && x.updates.length ? await batchLogprobs(x.model, x.batch) : null;

  // SRT's pseudo-label per group, from the first round's answers (as the reward kind votes)
  const majority = new Map<number, string | null>();
  if (c.reward === 'self_consistency') {
    const firstRound = x.samples.filter((s) => !s.hint);
    for (const g of new Set(firstRound.map((s) => s.group))) majority.set(g, majorityVote(firstRound.filter((s) => s.group === g).map((s) => s.verdict.answer)).label);
  }

  const terms: GrpoTokenTerms = { loss: 0, dlossDlogp: 0, k3: 0, clipCode: 0 };
  const noKl: GrpoLossSettings = { ...x.loss, beta: 0 };
  let loss = 0;
  let weightSum = 0;
  let trainedTokens = 0;
  const row = new Map(x.trained.map((s, b) => [s, b]));
  const samples: ExplainedSample[] = x.samples.map((s) => {
    const b = row.get(s);
    const tokens: ExplainedToken[] = [];
    let seqLogp = 0;
    let seqLogpAfter = 0;
    if (b !== undefined && x.batch && first) {
      const { T } = x.batch;
      const context = s.trainAs ? s.trainAs.context.length : s.request.context.length;
      const response = [...s.request.prefix, ...s.out.completion];
      response.forEach((tok, j) => {
        const n = b * T + context + j - 1;
        const td = n * TOKEN_DATA.columns;
        const st = n * TOKEN_STATS.columns;
        const weight = x.batch!.tokenData[td + TOKEN_DATA.weight];
        const mode = x.batch!.tokenData[td + TOKEN_DATA.mode] as 0 | 1 | 2;
        const logp = first.stats[st + TOKEN_STATS.logp];
        const oldLogp = x.batch!.oldLogp[n];
        grpoTokenTerms(logp, s.advantage, mode, oldLogp, 0, noKl, terms);
        const l = terms.loss + x.loss.beta * first.stats[st + TOKEN_STATS.k3];
        const code = first.stats[st + TOKEN_STATS.clipCode];
        const forced = j < s.request.prefix.length;
        const share = weight === 0 ? 0 : weight * l;
        tokens.push({
          text: decode([tok]), forced, oldLogp, logp, logpAfter: after![n],
          ratio: mode === TokenMode.ON_POLICY ? 1 : Math.exp(logp - oldLogp),
          clipped: code === ClipCode.LOW ? 'low' : code === ClipCode.HIGH ? 'high' : null,
          mode: MODE_NAME[mode], weight, loss: l, share,
        });
        loss += share;
        weightSum += weight;
        if (weight > 0) {
          trainedTokens++;
          seqLogp += logp;
          seqLogpAfter += after![n];
        }
      });
    }
    const prefix = decode(s.request.prefix);
    return {
      group: s.group, kind: s.kind, hint: s.hint, prefix, completion: s.text.slice(prefix.length), answer: s.verdict.answer,
      correct: s.verdict.correct, clean: s.clean, observed: s.observed, why: reasons(s, c, x.task, majority.get(s.group) ?? null),
      trained: s.trained, advantage: s.trained ? s.advantage : 0, tokens, seqLogp, seqLogpAfter,
    };
  });

  // the advantage's groups: the trained samples of each prompt, first round and follow-up together
  const index = new Map(x.samples.map((s, i) => [s, i]));
  const { ids, members } = groupMembers(x.trained.map((s) => s.group));
  const batchStd = std(x.trained.map((s) => s.observed));
  const groups: ExplainedGroup[] = [...new Set(x.samples.map((s) => s.group))].map((g) => {
    const k = ids.indexOf(g);
    const idx = k < 0 ? [] : members[k].map((b) => index.get(x.trained[b])!);
    const rs = idx.map((i) => x.samples[i].observed);
    const sd = rs.length ? std(rs) : 0;
    const problem = x.samples.find((s) => s.group === g)!.problem;
    return {
      group: g, prompt: problem.prompt, gold: problem.answer, members: idx, mean: rs.length ? mean(rs) : 0, std: sd,
      denom: c.scaleRewards === 'none' ? 1 : (c.scaleRewards === 'batch' ? batchStd : sd) + ADVANTAGE_EPS,
      label: majority.get(g) ?? null,
    };
  });

  const gradNorm = first ? first.gradNorm : null;
  return {
    step: x.step, method: c.method, reward: c.reward, scaleRewards: c.scaleRewards, lossType: c.lossType, numIterations: c.numIterations,
    maxCompletionLength: c.maxCompletionLength, epsLow: c.epsilonLow, epsHigh: c.epsilonHigh, beta: c.beta, gamma: x.loss.gamma, lr: c.lr,
    maxGradNorm: c.maxGradNorm, groups, samples, loss, weightSum, numSequences: x.trained.length, trainedTokens, gradNorm,
    gradNorms: x.updates.map((u) => u.gradNorm), clipCoef: gradNorm === null ? null : Math.min(1, c.maxGradNorm / gradNorm),
  };
}
