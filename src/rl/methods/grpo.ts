// GRPO: G samples per prompt from the bare prompt, advantages within the group. The base every other method
// extends; with a noisy or self-consistency reward (src/rl/rewards/) it is the noisy-reward and SRT runs.
import type { About } from '../about';
import { bareRequests } from './samples';
import { statelessRun, type Method } from './method';

export const grpoAbout = {
  name: 'grpo',
  label: 'GRPO',
  knobs: [],
  metrics: [],
  charts: [],
  learn: {
    title: 'GRPO: learning from your own group',
    body: 'For each problem the model writes G answers. Each answer gets a reward (1 if right, 0 if wrong). Its advantage is how much better it did than the group average, divided by the spread. Tokens of better-than-average answers become more likely, the others less. No value network, no human labels beyond the checker.',
    here: 'Here (evidence suite, 150 steps, 3 seeds): from the shipped weak checkpoint held-out Pass@1 goes from 0.37 to 0.78, most of it in the first 25 steps. Its greedy answer was already right on 95% of the problems: GRPO removes the spread of its samples (entropy 0.13 to 0.04) and, with it, the habit of retracting right steps (samples with a "!": 10% to 0.9%). Watch Pass@1 climb towards the greedy accuracy.',
  },
} as const satisfies About;

export const grpo: Method<{ denoiseRho: number }> = {
  rowsPerPrompt: (c) => c.groupSize,
  expectedRowsPerPrompt: (c) => c.groupSize,
  checkpoints: () => [],
  async start(env) {
    const G = env.config.groupSize;
    return { ...statelessRun(env.config), plan: (problems) => problems.flatMap((p, g) => bareRequests(p, g, G)) };
  },
};
