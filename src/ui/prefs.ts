// The person's chart and inspector preferences, kept in localStorage (bad or missing values: defaults).
import type { Prefs } from './store/labStore';

const KEY = 'misstep.prefs';

export function loadPrefs(): Partial<Prefs> {
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Record<string, unknown>;
    const out: Partial<Prefs> = {};
    if (typeof raw.smoothing === 'number' && raw.smoothing >= 0 && raw.smoothing <= 0.99) out.smoothing = raw.smoothing;
    if (raw.colorBy === 'logprob' || raw.colorBy === 'advantage') out.colorBy = raw.colorBy;
    return out;
  } catch {
    return {};
  }
}

export function savePrefs(p: Prefs): void {
  try {
    localStorage.setItem(KEY, JSON.stringify({ smoothing: p.smoothing, colorBy: p.colorBy }));
  } catch {
    // storage full or disabled: preferences just do not persist
  }
}
