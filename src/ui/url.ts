// The experiment in the URL: every config field that differs from the schema's default, plus the seed, so a
// link reproduces the run. Reading is forgiving: an unknown or bad field gives a notice and its default. A
// link that names any field or a preset is explicit, even when every field in it is bad: it means its own
// experiment over the defaults, never a run this browser stored. Links are capped at MAX_QUERY_CHARS both
// ways (servers refuse long request lines before the page could say anything).
import { ConfigError, coerceField, configFields, parseRunConfig, RunConfigSchema, type RunConfig, type RunConfigInput } from '../run/config';
import { PRESETS } from '../run/presets';
import type { BackendChoice } from '../worker/protocol';
import { SCHEMA_DEFAULTS } from './config';

export interface UrlState {
  config: RunConfig;
  notices: string[];
  /** The link named at least one config field or a preset, valid or not (else the device's defaults apply). */
  explicit: boolean;
  /** The link's preset, when it names a known one. */
  preset: string | null;
  backend: BackendChoice | null;
}

/** The longest query string the lab writes or reads (the whole experiment takes well under 1000). */
export const MAX_QUERY_CHARS = 2000;

const BACKENDS: readonly BackendChoice[] = ['auto', 'webgpu', 'cpu'];
const shape = RunConfigSchema.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;
const fieldInfo = new Map(configFields().map((f) => [f.key, f]));

export function readUrl(search: string, base: RunConfigInput = {}): UrlState {
  const query = search.startsWith('?') ? search.slice(1) : search;
  if (query.length > MAX_QUERY_CHARS) {
    const notice = `This link is ${query.length} characters long; the lab reads links up to ${MAX_QUERY_CHARS}, so it was ignored and the defaults are used.`;
    return { config: parseRunConfig(base), notices: [notice], explicit: true, preset: null, backend: null };
  }
  const params = new URLSearchParams(query);
  const notices: string[] = [];
  const input: Record<string, unknown> = { ...base };
  let explicit = false;
  let presetName: string | null = null;
  let backend: BackendChoice | null = null;

  const preset = params.get('preset');
  if (preset !== null) {
    explicit = true;
    const p = PRESETS.find((x) => x.name === preset);
    if (p) {
      Object.assign(input, p.config);
      presetName = p.name;
    } else notices.push(`The link names an unknown preset "${preset}"; expected one of ${PRESETS.map((x) => x.name).join(', ')}.`);
  }
  for (const [key, raw] of params) {
    if (key === 'preset') continue;
    if (key === 'backend') {
      if ((BACKENDS as readonly string[]).includes(raw)) backend = raw as BackendChoice;
      else notices.push(`The link's backend "${raw}" is not one of ${BACKENDS.join(', ')}; the lab picks one itself.`);
      continue;
    }
    const info = fieldInfo.get(key);
    explicit = true;
    if (!info) {
      notices.push(`The link has an unknown field "${key}"; it was ignored.`);
      continue;
    }
    let value: unknown;
    try {
      value = coerceField(key, raw);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      value = undefined;
    }
    if (value === undefined || !shape[key].safeParse(value).success) {
      const fallback = key in input ? input[key] : info.default;
      notices.push(`The link's ${key} = "${raw}" is not allowed (expected ${info.allowed}); ${JSON.stringify(fallback)} is used instead.`);
      continue;
    }
    input[key] = value;
  }
  let config: RunConfig;
  try {
    config = parseRunConfig(input);
  } catch (e) {
    const problems = e instanceof ConfigError ? e.problems.join('; ') : String(e);
    notices.push(`The link's experiment is not valid (${problems}); the defaults are used.`);
    config = parseRunConfig(base);
  }
  return { config, notices, explicit, preset: presetName, backend };
}

/** The query string (without '?') that reproduces the config. */
export function writeUrl(config: RunConfig, backend: BackendChoice | null = null): string {
  const params = new URLSearchParams();
  for (const key of Object.keys(SCHEMA_DEFAULTS) as (keyof RunConfig)[]) {
    if (key === 'seed' || config[key] !== SCHEMA_DEFAULTS[key]) params.set(key, String(config[key]));
  }
  if (backend !== null && backend !== 'auto') params.set('backend', backend);
  return params.toString();
}
