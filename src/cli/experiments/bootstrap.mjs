// Worker-thread bootstrap, plain JavaScript on purpose: a worker starts without the parent's TypeScript
// loader (tsx registers itself only on the main thread on Node 20), so this file registers tsx in the
// worker and then loads the TypeScript entry named in workerData. Works under `tsx` and under vitest.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
