// The lab's dedicated worker: picks a backend (WebGPU when it works, else the CPU backend, with the reason),
// runs the training loop (session.ts), stores each checkpoint with its rows in IndexedDB (runsDb.ts) and
// streams batches to the page through comlink.
import './noEval'; // first: before any zod parse
import * as Comlink from 'comlink';
import type { Backend } from '../backend/backend';
import { CpuBackend } from '../backend/cpu';
import { createWebGpuBackend, WebGpuBackend } from '../backend/webgpu';
import { loadCheckpoint, type Checkpoint as ModelCheckpoint } from '../model/checkpoint';
import { METHODS, type WeightsSource } from '../rl/methods';
import type { BackendChoice, BackendInfo, LabEvent, LabWorkerApi, StepCommit } from './protocol';
import { checkRetention, DEFAULT_RETENTION, type TraceRetention } from './retention';
import { RunsDb, RUNS_CHANNEL, type RunsChannelMessage } from './runsDb';
import { LabSession } from './session';

const SOFTWARE = /swiftshader|lavapipe|llvmpipe|software|microsoft basic render/i;

let listener: ((event: LabEvent) => void) | null = null;
let checkpointBase = '';
let backend: Backend | null = null;
let session: LabSession | null = null;
const weightsCache = new Map<string, Promise<ModelCheckpoint>>();
let writer = '';
let retention: TraceRetention = DEFAULT_RETENTION;
let runsDb: Promise<RunsDb | null> | null = null;
const runsChannel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(RUNS_CHANNEL) : null;

/** Store a checkpoint and its rows in one transaction, then tell every tab; refuse if this tab lost the run. */
async function commit(c: StepCommit): Promise<void> {
  runsDb ??= RunsDb.open().catch(() => null); // no IndexedDB: the page has said runs are not saved
  const db = await runsDb;
  if (!db) return;
  const result = await db.commitStep(writer, c, retention);
  if (result === 'taken') throw new Error('Another tab took this run over; training stopped here.');
  if (result === 'gone') throw new Error('This run was deleted (in another tab?); training stopped.');
  runsChannel?.postMessage({ id: c.tag, step: c.checkpoint.step, status: c.status } satisfies RunsChannelMessage);
}

function emit(event: LabEvent, transfer: Transferable[] = []): void {
  listener?.(transfer.length > 0 ? Comlink.transfer(event, transfer) : event);
}

async function fetchCheckpoint(file: string): Promise<ModelCheckpoint> {
  const url = new URL(file, checkpointBase).href;
  const res = await fetch(url);
  if (!res.ok) throw new Error(`could not load the model checkpoint ${file} (HTTP ${res.status}); is public/checkpoints/ filled (npm run make-checkpoints)?`);
  return loadCheckpoint(new Uint8Array(await res.arrayBuffer()));
}

function weights(task: string): WeightsSource {
  return (name) => {
    const file = `${task}-${name}.safetensors`;
    let p = weightsCache.get(file);
    if (!p) {
      p = fetchCheckpoint(file);
      p.catch(() => weightsCache.delete(file)); // try again next time
      weightsCache.set(file, p);
    }
    return p;
  };
}

function cpu(fallbackReason: string | null): { backend: Backend; info: BackendInfo } {
  return { backend: new CpuBackend(), info: { kind: 'cpu', adapter: null, software: false, fallbackReason, compileMs: null } };
}

async function createBackend(choice: BackendChoice): Promise<{ backend: Backend; info: BackendInfo }> {
  if (choice === 'cpu') return cpu(null);
  const gpu = (self.navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) {
    return cpu('This browser gives the page no WebGPU (navigator.gpu is missing). Chrome and Edge 113+ have it; Firefox and Safari need a recent version or a flag.');
  }
  try {
    if ((await gpu.requestAdapter()) === null) {
      return cpu('This browser has WebGPU but offers no GPU adapter (no usable GPU or driver, or WebGPU is switched off for it).');
    }
    const b = await createWebGpuBackend(gpu);
    const a = b.adapter;
    const adapter = { vendor: a.vendor, architecture: a.architecture, device: a.device, description: a.description, isFallbackAdapter: a.isFallbackAdapter };
    const software = a.isFallbackAdapter || SOFTWARE.test(`${a.vendor} ${a.architecture} ${a.device} ${a.description}`);
    b.onDeviceLost((loss) => {
      if (!loss.byDestroy) emit({ type: 'device-lost', message: `The GPU device was lost (${loss.reason || 'unknown reason'}): ${loss.message}` });
    });
    return { backend: b, info: { kind: 'webgpu', adapter, software, fallbackReason: null, compileMs: Math.round(b.compileMs) } };
  } catch (e) {
    return cpu(`WebGPU could not start: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function switchBackend(choice: BackendChoice): Promise<BackendInfo> {
  const next = await createBackend(choice);
  if (session) await session.setBackend(next.backend);
  else session = new LabSession(next.backend, { emit, weights, commit, saveEveryMs: 0 }); // a checkpoint every step
  try {
    backend?.destroy();
  } catch {
    // a lost device: nothing left to free
  }
  backend = next.backend;
  emit({ type: 'backend', info: next.info });
  return next.info;
}

const api: LabWorkerApi = {
  async init(choice, base, writerId) {
    checkpointBase = base;
    writer = writerId;
    return switchBackend(choice);
  },
  subscribe(cb) {
    listener = cb;
  },
  start: (config, resume, tag) => need().start(config, resume, tag),
  pause: () => need().pause(),
  step: (config, resume, tag) => need().step(config, resume, tag),
  reset: () => need().reset(),
  pin: (problem) => need().pin(problem),
  explain: (on) => need().explain(on),
  async setTraceRetention(r) {
    retention = checkRetention({ keepLast: r.keepLast, keepEvery: r.keepEvery });
  },
  async prefetch(config) {
    const get = weights(config.task);
    const names = new Set<'weak' | 'weaker'>();
    if (config.model === 'weak' || config.model === 'weaker') names.add(config.model);
    for (const n of METHODS[config.method].checkpoints(config)) names.add(n);
    await Promise.allSettled([...names].map((n) => get(n)));
  },
  useBackend: (choice) => switchBackend(choice),
  async loseDevice() {
    if (!(backend instanceof WebGpuBackend)) return false;
    backend.device.destroy(); // not backend.destroy(): that would count as a deliberate shutdown
    return true;
  },
};

function need(): LabSession {
  if (!session) throw new Error('the lab worker is not initialised: call init() first');
  return session;
}

Comlink.expose(api);
