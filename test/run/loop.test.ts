// The one training loop's schedule: evaluations at step 0, every evalEvery steps and at the last step, each
// followed by `evaluated`; a resumed run does not repeat the evaluation its checkpoint says was done.
import { describe, expect, it } from 'vitest';
import { isEvalStep, TrainingLoop } from '../../src/run/loop';
import type { Trainer } from '../../src/run/trainer';

/** A trainer that only counts: enough to check the schedule without training anything. */
function countingTrainer(steps: number, evalEvery: number, start = 0) {
  const log: string[] = [];
  const t = {
    step: start, config: { steps, evalEvery },
    async trainStep() { log.push(`train ${t.step}`); t.step += 1; return { metrics: { step: t.step - 1, kind: 'train' }, traces: [] }; },
    async evaluate() { log.push(`eval ${t.step}`); return { step: t.step, kind: 'eval' }; },
  };
  return { trainer: t as unknown as Trainer, log };
}

describe('TrainingLoop', () => {
  it('evaluates at step 0, every evalEvery steps and at the last step', async () => {
    const { trainer, log } = countingTrainer(5, 2);
    const seen: string[] = [];
    await new TrainingLoop(trainer, { evaluated: (r) => { seen.push(`evaluated ${r.step}`); }, stepped: (e) => { seen.push(`stepped ${e}`); } }).run();
    expect(log).toEqual(['eval 0', 'train 0', 'train 1', 'eval 2', 'train 2', 'train 3', 'eval 4', 'train 4', 'eval 5']);
    expect(seen).toEqual(['evaluated 0', 'stepped false', 'evaluated 2', 'stepped true', 'stepped false', 'evaluated 4', 'stepped true', 'evaluated 5', 'stepped true']);
    expect([0, 1, 2, 5, 6].map((s) => isEvalStep({ evalEvery: 2, steps: 5 }, s))).toEqual([true, false, true, true, true]);
  });

  it('resumes without repeating a done evaluation, and repeats one that was not done', async () => {
    const done = countingTrainer(4, 2, 2);
    await new TrainingLoop(done.trainer, {}, true).run();
    expect(done.log).toEqual(['train 2', 'train 3', 'eval 4']);
    const notDone = countingTrainer(4, 2, 2);
    await new TrainingLoop(notDone.trainer, {}, false).run();
    expect(notDone.log[0]).toBe('eval 2');
  });

  it('stops between steps when told to', async () => {
    const { trainer, log } = countingTrainer(10, 100);
    await new TrainingLoop(trainer, {}).run(() => trainer.step < 3);
    expect(log).toEqual(['eval 0', 'train 0', 'train 1', 'train 2']);
  });
});
