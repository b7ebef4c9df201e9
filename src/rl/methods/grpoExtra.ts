// GRPO-extra: G normal and G extra samples per prompt, no hint. LTE's compute-matched baseline: it spends on
// more samples what LTE spends on its hinted round.
import type { About } from '../about';
import { bareRequests } from './samples';
import { statelessRun, type Method } from './method';

export const grpoExtraAbout = {
  name: 'grpo_extra',
  label: 'GRPO-extra (compute-matched)',
  knobs: [],
  metrics: [],
  charts: [],
  learn: null, // explained with LTE, whose baseline it is
} as const satisfies About;

export const grpoExtra: Method<{ denoiseRho: number }> = {
  rowsPerPrompt: (c) => 2 * c.groupSize,
  expectedRowsPerPrompt: (c) => 2 * c.groupSize,
  checkpoints: () => [],
  async start(env) {
    const G = env.config.groupSize;
    return {
      ...statelessRun(env.config),
      plan: (problems) => problems.flatMap((p, g) => [...bareRequests(p, g, G), ...bareRequests(p, g, G, 'extra')]),
    };
  },
};
