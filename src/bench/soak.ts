// --soak MINUTES: train continuously and compare JS heap and GPU bytes held at the start and the end.
// Both should stay flat: the backend allocates everything up front and reuses it every step.
import type { Backend } from '../backend/backend';
import { parseRunConfig } from '../run/config';
import { Trainer } from '../run/trainer';
import type { SoakFigures } from './report';
import { watchDevice } from './step';
import { yieldToLoop } from './timing';

export interface SoakOptions {
  minutes: number;
  where: string;
  heap: () => number | null; // JS heap in use, bytes (null where the host does not say)
  device?: GPUDevice;
  log: (msg: string) => void;
}

export async function soak(k: Backend, o: SoakOptions): Promise<SoakFigures> {
  const config = parseRunConfig({ model: 'tiny', promptsPerStep: 4, groupSize: 8, maxCompletionLength: 32, evalProblems: 1, evalSamples: 1, evalPrefixProblems: 0, tracesPerStep: 4 });
  const trainer = await Trainer.create(k, config, async () => { throw new Error('random-init model'); });
  try {
    for (let i = 0; i < 2; i++) await trainer.trainStep(); // warm: every buffer and cache at its size
    const heapStart = o.heap();
    const gpuStart = k.counters().bytesHeld;
    const watch = o.device ? watchDevice(o.device) : null;
    const end = performance.now() + o.minutes * 60_000;
    let steps = 0;
    let lastLog = performance.now();
    while (performance.now() < end) {
      await trainer.trainStep();
      steps++;
      if (performance.now() - lastLog > 15_000) {
        lastLog = performance.now();
        const heap = o.heap();
        o.log(`soak: ${steps} steps, heap ${heap === null ? 'n/a' : `${(heap / 1e6).toFixed(1)} MB`}, GPU bytes held ${k.counters().bytesHeld}`);
      }
      await yieldToLoop();
    }
    watch?.stop();
    return {
      where: o.where, minutes: o.minutes, steps, heap_start_bytes: heapStart, heap_end_bytes: o.heap(),
      gpu_bytes_start: gpuStart, gpu_bytes_end: k.counters().bytesHeld, buffers_created: watch ? watch.counts.buffers : null,
    };
  } finally {
    trainer.destroy();
  }
}
