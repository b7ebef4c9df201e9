// Worker-thread entry: runs the jobs the runner sends, one at a time, and reports steps and results.
// Each worker has its own CPU backend, so two workers use two cores.
import { parentPort } from 'node:worker_threads';
import { runJob, type Job } from './jobs';
import type { FromWorker, ToWorker } from './protocol';

const port = parentPort;
if (!port) throw new Error('worker.ts must be started as a worker thread');

const post = (m: FromWorker) => port.postMessage(m);

port.on('message', (m: ToWorker) => {
  if (m.type === 'stop') { port.close(); return; }
  const job: Job = m.job;
  runJob(job, (step) => post({ type: 'step', id: job.id, step }))
    .then((done) => post({ type: 'done', id: job.id, done }))
    .catch((e: unknown) => post({ type: 'error', id: job.id, message: e instanceof Error ? (e.stack ?? e.message) : String(e) }));
});
post({ type: 'ready' });
