// The experiment form's rules, pure so the tests check exactly what the panel does: a field being edited is
// a draft until the whole config parses (field by field, then the schema's cross-field rules), Start is off
// while any draft is pending and says why, a preset is a complete config over the lab's defaults, and run
// names tell two runs of the same experiment apart.
import { coerceField, ConfigError, parseRunConfig, RunConfigSchema, type RunConfig } from '../run/config';
import { getPreset, PRESETS } from '../run/presets';
import type { BackendInfo } from '../worker/protocol';
import { deviceDefaults } from './config';
import { fieldKind, knobsFor, MAIN_FIELDS, type FieldKey } from './fields';

/** A field whose shown value is not (yet) in the config: what the person typed or picked, and why. */
export interface FieldDraft {
  text: string;
  value: unknown; // the typed value when the field alone is valid (a cross-field rule failed), else undefined
  error: string;
}
export type Drafts = Partial<Record<FieldKey, FieldDraft>>;

const shape = RunConfigSchema.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;

/** The label a person sees for a field (its key for the fields under "All settings"). */
export function fieldLabel(key: FieldKey, config: RunConfig): string {
  return [...MAIN_FIELDS, ...knobsFor(config)].find((f) => f.key === key)?.label ?? key;
}

function fieldError(key: FieldKey): string {
  const k = fieldKind(key);
  if (k.kind === 'number') return `${k.integer ? 'an integer' : 'a number'} from ${k.min} to ${k.max}`;
  if (k.kind === 'enum') return `one of ${k.options.join(', ')}`;
  return 'true or false';
}

/**
 * Edit one field. `raw` is the text of a number box, or the value of a select or a checkbox. When every
 * field (drafts included) parses, the config takes them all and no draft is left; otherwise the edited
 * field becomes a draft with the reason, and the config (what Start would run) stays as it was.
 */
export function editField(config: RunConfig, drafts: Drafts, key: FieldKey, raw: unknown): { config: RunConfig; drafts: Drafts } {
  const text = String(raw);
  let value: unknown;
  try {
    value = typeof raw === 'string' ? coerceField(key, raw) : raw;
  } catch {
    value = undefined;
  }
  const rest: Drafts = { ...drafts };
  delete rest[key];
  if (value === undefined || !shape[key].safeParse(value).success) {
    return { config, drafts: { ...rest, [key]: { text, value: undefined, error: fieldError(key) } } };
  }
  const pending = Object.entries(rest).filter(([, d]) => d.value !== undefined).map(([k, d]) => [k, d.value]);
  const individuallyBad = Object.entries(rest).some(([, d]) => d.value === undefined);
  try {
    const next = parseRunConfig({ ...config, ...Object.fromEntries(pending), [key]: value });
    if (individuallyBad) return { config, drafts: { ...rest, [key]: { text, value, error: 'waits for the other fields' } } };
    return { config: next, drafts: {} };
  } catch (e) {
    const error = e instanceof ConfigError ? e.problems.join('; ') : String(e);
    return { config, drafts: { ...rest, [key]: { text, value, error } } };
  }
}

/** Why Start (and Step) cannot run now; empty when they can. */
export function startBlockers(s: { config: RunConfig; drafts: Drafts; step: number; readOnly: boolean }): string[] {
  const out: string[] = [];
  if (s.readOnly) out.push('This run is open for training in another tab: take it over to train it here.');
  for (const [key, d] of Object.entries(s.drafts) as [FieldKey, FieldDraft][]) {
    out.push(`${fieldLabel(key, s.config)} is "${d.text}": ${d.error}.`);
  }
  if (s.config.steps === 0) out.push('Steps is 0: there is nothing to train. Set Steps to 1 or more.');
  else if (s.step >= s.config.steps) out.push(`The run is finished (${s.step} / ${s.config.steps}): Reset to begin a new one (it stays saved).`);
  return out;
}

/** A preset: the lab's defaults for this device, then the preset's fields. The same every time. */
export function presetConfig(name: string, info: BackendInfo | null): RunConfig {
  return parseRunConfig({ ...deviceDefaults(info), ...getPreset(name).config });
}

/** The preset a config is exactly, if any. */
export function matchPreset(config: RunConfig, info: BackendInfo | null): string | null {
  for (const p of PRESETS) {
    const c = presetConfig(p.name, info);
    if ((Object.keys(c) as (keyof RunConfig)[]).every((k) => c[k] === config[k])) return p.name;
  }
  return null;
}

/** What the preset selector says: the preset, "Custom (from <preset>)" after a hand edit, or "Custom". */
export function presetLabel(config: RunConfig, base: string | null, info: BackendInfo | null): { exact: string | null; label: string } {
  const exact = matchPreset(config, info);
  if (exact) return { exact, label: getPreset(exact).title };
  const from = base ? PRESETS.find((p) => p.name === base) : undefined;
  return { exact: null, label: from ? `Custom (from ${from.title})` : 'Custom' };
}

/** A new run's name: what it is, its seed, and a number that tells it from earlier runs of the same. */
export function runName(label: string, seed: number, existing: readonly string[]): string {
  const head = `${label} · seed ${seed} · #`;
  const taken = existing.filter((n) => n.startsWith(head)).map((n) => Number.parseInt(n.slice(head.length), 10)).filter(Number.isFinite);
  return `${head}${Math.max(0, ...taken) + 1}`;
}

/** A name from elsewhere (an imported file) inside text: isolated, so right-to-left text cannot reorder ours. */
export const isolate = (name: string): string => `\u2068${name}\u2069`;
