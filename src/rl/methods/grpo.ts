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
    here: 'Here: from the shipped weak checkpoint (held-out Pass@1 0.40 at difficulty 3 over 1,280 problems) Pass@1 rises within tens of steps (0.36 to 0.66 on the lab\'s 128 held-out problems in a 20-step DenoiseRL run); the evidence suite, run from an earlier checkpoint, took it from 0.32 to 0.67 in 150 steps.',
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
