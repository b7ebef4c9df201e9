// The person's chart and inspector preferences, kept in localStorage (bad or missing values: defaults).
import { checkRetention } from '../worker/retention';
import type { Prefs } from './store/labStore';

const KEY = 'misstep.prefs';

export function loadPrefs(): Partial<Prefs> {
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Record<string, unknown>;
    const out: Partial<Prefs> = {};
    if (typeof raw.smoothing === 'number' && raw.smoothing >= 0 && raw.smoothing <= 0.99) out.smoothing = raw.smoothing;
    if (raw.colorBy === 'logprob' || raw.colorBy === 'advantage') out.colorBy = raw.colorBy;
    const r = raw.retention as Record<string, unknown> | undefined;
    if (r && typeof r === 'object') {
      try {
        out.retention = checkRetention({ keepLast: r.keepLast as number, keepEvery: r.keepEvery as number });
      } catch {
        // a bad stored setting: the default
      }
    }
    return out;
  } catch {
    return {};
  }
}

export function savePrefs(p: Prefs): void {
  try {
    localStorage.setItem(KEY, JSON.stringify({ smoothing: p.smoothing, colorBy: p.colorBy, retention: p.retention }));
  } catch {
    // storage full or disabled: preferences just do not persist
  }
}
