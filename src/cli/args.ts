// The flag parser of every CLI entry point (train, experiment, bench, make-checkpoints). Each declares its
// flags once, in a table; --help is written from the same table, so what --help lists is what is accepted.
// Refused, with the flag named: an unknown flag (with the nearest known one suggested), a flag given twice
// with different values, a missing value, a value that is not a number, a value outside a flag's choices.

export class UsageError extends Error {}

interface Described {
  help: string;
}
/** --name VALUE. */
export interface StringFlag extends Described {
  kind: 'string';
  value: string;
  default?: string;
  choices?: readonly string[];
}
/** --name N, a whole number >= 0. */
export interface IntFlag extends Described {
  kind: 'int';
  value: string;
  default?: number;
}
/** --name X, a finite number >= 0. */
export interface NumberFlag extends Described {
  kind: 'number';
  value: string;
  default?: number;
}
/** --name, on or off; takes no value. */
export interface BooleanFlag extends Described {
  kind: 'boolean';
}
/** --name key=value, repeatable; each key one of `keys`, once. */
export interface PairsFlag extends Described {
  kind: 'pairs';
  value: string;
  keys: readonly string[];
}
export type FlagSpec = StringFlag | IntFlag | NumberFlag | BooleanFlag | PairsFlag;
export type FlagTable = Record<string, FlagSpec>;

type ValueOf<S extends FlagSpec> = S extends BooleanFlag
  ? boolean
  : S extends PairsFlag
    ? [string, string][]
    : S extends StringFlag
      ? S extends { default: string } ? string : string | undefined
      : S extends { default: number } ? number : number | undefined;
export type FlagValues<T extends FlagTable> = { [K in keyof T]: ValueOf<T[K]> };

/** True when --help (or -h) is among the arguments: the entry point prints its help and nothing else. */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

/** Parse argv against a flag table; throws UsageError naming the flag at the first problem. */
export function parseFlags<T extends FlagTable>(argv: readonly string[], table: T): FlagValues<T> {
  const names = Object.keys(table);
  const given = new Map<string, string>(); // flag -> its raw value (boolean: '')
  const pairs = new Map<string, Map<string, string>>(); // pairs flag -> key -> value
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      const near = arg.startsWith('-') ? nearest(arg.replace(/^-+/, ''), names) : undefined;
      // `npm run x --flag v` keeps --flag for npm itself and passes only v on
      const why = near ? ` (did you mean --${near}?)` : ' (npm keeps options written before a lone -- for itself: npm run <script> -- --option value)';
      throw new UsageError(`unexpected argument ${JSON.stringify(arg)}: options start with --${why}`);
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq >= 0 ? eq : undefined);
    const spec = Object.hasOwn(table, name) ? table[name] : undefined;
    if (!spec) throw new UsageError(unknown(`option --${name}`, name, names, '--'));
    let raw: string;
    if (spec.kind === 'boolean') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value (got ${JSON.stringify(arg.slice(eq + 1))})`);
      raw = '';
    } else {
      const next = argv[i + 1];
      if (eq >= 0) raw = arg.slice(eq + 1);
      else if (next === undefined || next.startsWith('--')) throw new UsageError(`--${name} needs a value (${spec.value})`);
      else raw = argv[++i];
      if (raw === '') throw new UsageError(`--${name} needs a value (${spec.value}), got an empty one`);
    }
    if (spec.kind === 'pairs') {
      const j = raw.indexOf('=');
      if (j <= 0) throw new UsageError(`--${name} needs ${spec.value}, got ${JSON.stringify(raw)}`);
      const key = raw.slice(0, j);
      const value = raw.slice(j + 1);
      if (!spec.keys.includes(key)) throw new UsageError(`--${name}: ${unknown(`field ${key}`, key, spec.keys, '')}`);
      const seen = pairs.get(name) ?? new Map<string, string>();
      const before = seen.get(key);
      if (before !== undefined && before !== value) throw new UsageError(`--${name} ${key} given twice, as ${JSON.stringify(before)} and ${JSON.stringify(value)}: give it once`);
      seen.set(key, value);
      pairs.set(name, seen);
      continue;
    }
    const before = given.get(name);
    if (before !== undefined && before !== raw) throw new UsageError(`--${name} given twice, as ${JSON.stringify(before)} and ${JSON.stringify(raw)}: give it once`);
    given.set(name, raw);
  }

  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(table)) {
    const raw = given.get(name);
    if (spec.kind === 'boolean') values[name] = raw !== undefined;
    else if (spec.kind === 'pairs') values[name] = [...(pairs.get(name) ?? new Map<string, string>())];
    else if (raw === undefined) values[name] = spec.default;
    else if (spec.kind === 'string') {
      if (spec.choices && !spec.choices.includes(raw)) {
        const near = nearest(raw, spec.choices);
        throw new UsageError(`--${name} must be one of ${spec.choices.join(', ')}, got ${JSON.stringify(raw)}${near ? ` (did you mean ${near}?)` : ''}`);
      }
      values[name] = raw;
    } else if (spec.kind === 'int') {
      if (!/^[0-9]+$/.test(raw) || !Number.isSafeInteger(Number(raw))) throw new UsageError(`--${name} must be a whole number >= 0, got ${JSON.stringify(raw)}`);
      values[name] = Number(raw);
    } else {
      const x = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(x) || x < 0) throw new UsageError(`--${name} must be a number >= 0, got ${JSON.stringify(raw)}`);
      values[name] = x;
    }
  }
  return values as FlagValues<T>;
}

/** The options part of a --help text, one line per flag, from the table. */
export function formatFlags(table: FlagTable): string {
  const left = (name: string, s: FlagSpec) => `--${name}${s.kind === 'boolean' ? '' : ` ${s.value}`}`;
  const width = Math.max(...Object.entries(table).map(([n, s]) => left(n, s).length)) + 2;
  return Object.entries(table).map(([name, s]) => {
    const notes = [
      ...(s.kind === 'string' && s.choices ? [s.choices.join(' | ')] : []),
      ...('default' in s && s.default !== undefined ? [`default ${s.default}`] : []),
    ];
    return `  ${left(name, s).padEnd(width)}${s.help}${notes.length ? ` (${notes.join('; ')})` : ''}`;
  }).join('\n');
}

/** "unknown option --step: did you mean --steps?", or the whole list when nothing is near. */
function unknown(what: string, typed: string, known: readonly string[], prefix: string): string {
  const near = nearest(typed, known);
  if (near) return `unknown ${what}: did you mean ${prefix}${near}?`;
  return `unknown ${what}: expected one of ${known.map((k) => prefix + k).join(', ')}`;
}

/** The known name closest to a typo (edit distance with transpositions), or undefined when none is close. */
export function nearest(typed: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(typed.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) { best = k; bestDistance = d; }
  }
  if (best !== undefined && bestDistance <= Math.max(1, Math.min(3, Math.floor(typed.length / 3)))) return best;
  // a clipped name (--report for --report-only) when it starts exactly one known name
  const starting = typed.length >= 3 ? known.filter((k) => k.startsWith(typed)) : [];
  return starting.length === 1 ? starting[0] : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * Run an entry point's main. A usage error exits 2 with a pointer to --help; any other failure exits 1.
 * main's number is the exit code (0 when it returns nothing).
 */
export function runMain(script: string, main: () => Promise<number | void>, opts: { stack?: boolean } = {}): void {
  main().then((code) => process.exit(code ?? 0), (e: unknown) => {
    if (e instanceof UsageError) {
      console.error(`${script}: ${e.message}\n(npm run ${script} -- --help lists the options)`);
      process.exit(2);
    }
    const message = e instanceof Error ? (opts.stack ? e.stack ?? e.message : e.message) : String(e);
    console.error(`${script} failed: ${message}`);
    process.exit(1);
  });
}
