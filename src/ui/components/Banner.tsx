// Banners: which backend runs and why (no WebGPU, a software adapter), a lost GPU device with the way out,
// and notices (a bad link field, an import error).
import { describeDevice } from '../config';
import { dismissNotice, labStore, useLab } from '../store/labStore';
import { useLabController } from './LabContext';

export function DeviceBadge() {
  const backend = useLab((s) => s.backend);
  return (
    <span className={`device ${backend?.kind ?? 'pending'}`} data-testid="device" title={backend?.compileMs ? `pipelines compiled in ${backend.compileMs} ms` : undefined}>
      {describeDevice(backend)}
    </span>
  );
}

export function Banners() {
  const lab = useLabController();
  const backend = useLab((s) => s.backend);
  const lost = useLab((s) => s.deviceLost);
  const checkpointStep = useLab((s) => s.checkpointStep);
  const notices = useLab((s) => s.notices);
  return (
    <div className="banners">
      {backend?.kind === 'cpu' && backend.fallbackReason && (
        <div className="banner warn prose" role="status" data-testid="fallback-banner">
          <strong>Running on the CPU backend.</strong> {backend.fallbackReason} The lab picks a smaller default
          experiment so that a step still takes about a second.
        </div>
      )}
      {backend?.kind === 'webgpu' && backend.software && (
        <div className="banner info prose" role="status" data-testid="software-banner">
          <strong>Software GPU adapter.</strong> WebGPU runs on {backend.adapter?.architecture || backend.adapter?.vendor || 'a CPU emulation'}
          {backend.adapter?.isFallbackAdapter ? ' (a fallback adapter)' : ''}, which is much slower than a real GPU, so the
          default experiment is small. The CPU backend (Backend: CPU) may be faster here.
        </div>
      )}
      {lost && (
        <div className="banner error prose" role="alert">
          <strong>The GPU stopped.</strong> {lost}{' '}
          <button type="button" onClick={() => void lab.resumeOnCpu()}>
            Resume on CPU{checkpointStep !== null ? ` from step ${checkpointStep}` : ''}
          </button>
        </div>
      )}
      {notices.map((n) => (
        <div key={n.id} className={`banner ${n.tone}`} role={n.tone === 'error' ? 'alert' : 'status'} data-testid="notice">
          <span>{n.text}</span>
          <button type="button" className="small" aria-label="Dismiss notice" onClick={() => dismissNotice(labStore, n.id)}>✕</button>
        </div>
      ))}
    </div>
  );
}
