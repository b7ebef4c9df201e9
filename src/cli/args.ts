// Tiny argument parsing for the CLI entry points: --key value, --key=value, --flag, repeated --set k=v.
export interface ParsedArgs {
  flags: Map<string, string | true>;
  sets: [string, string][];
}

export function parseArgs(argv: string[]): ParsedArgs {
  const flags = new Map<string, string | true>();
  const sets: [string, string][] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${JSON.stringify(a)} (options start with --)`);
    let key = a.slice(2);
    let value: string | true = true;
    const eq = key.indexOf('=');
    if (eq >= 0) { value = key.slice(eq + 1); key = key.slice(0, eq); }
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) value = argv[++i];
    if (key === 'set') {
      if (value === true || !value.includes('=')) throw new Error('--set needs key=value');
      const j = value.indexOf('=');
      sets.push([value.slice(0, j), value.slice(j + 1)]);
    } else flags.set(key, value);
  }
  return { flags, sets };
}

export function stringFlag(a: ParsedArgs, key: string, fallback?: string): string | undefined {
  const v = a.flags.get(key);
  if (v === true) throw new Error(`--${key} needs a value`);
  return v ?? fallback;
}

export function intFlag(a: ParsedArgs, key: string, fallback?: number): number | undefined {
  const v = stringFlag(a, key);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${key} must be a non-negative integer, got ${JSON.stringify(v)}`);
  return n;
}
