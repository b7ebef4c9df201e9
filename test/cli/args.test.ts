// The flag parser every CLI entry point shares (src/cli/args.ts), in-process; test/cli/flags.test.ts runs
// the commands themselves.
import { describe, expect, it } from 'vitest';
import { UsageError, editDistance, formatFlags, nearest, parseFlags, wantsHelp } from '../../src/cli/args';

const FLAGS = {
  steps: { kind: 'int', value: 'N', help: 'steps', default: 100 },
  seed: { kind: 'int', value: 'S', help: 'seed' },
  lr: { kind: 'number', value: 'X', help: 'learning rate' },
  backend: { kind: 'string', value: 'B', help: 'backend', choices: ['cpu', 'webgpu'], default: 'cpu' },
  out: { kind: 'string', value: 'DIR', help: 'folder' },
  'report-only': { kind: 'boolean', help: 'report only' },
  set: { kind: 'pairs', value: 'key=value', help: 'field', keys: ['groupSize', 'evalEvery'] },
} as const;

const refused = (argv: string[]) => {
  try {
    parseFlags(argv, FLAGS);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error(`accepted ${argv.join(' ')}`);
};

describe('parseFlags', () => {
  it('reads every kind, in both spellings, with defaults for the rest', () => {
    const v = parseFlags(['--seed=7', '--lr', '0.5', '--report-only', '--set', 'groupSize=8', '--set=evalEvery=2', '--out', 'runs/a'], FLAGS);
    expect(v).toEqual({ steps: 100, seed: 7, lr: 0.5, backend: 'cpu', out: 'runs/a', 'report-only': true, set: [['groupSize', '8'], ['evalEvery', '2']] });
    expect(parseFlags([], FLAGS)).toEqual({ steps: 100, seed: undefined, lr: undefined, backend: 'cpu', out: undefined, 'report-only': false, set: [] });
  });

  it('accepts a flag repeated with the same value', () => {
    expect(parseFlags(['--seed', '3', '--seed=3', '--report-only', '--report-only'], FLAGS).seed).toBe(3);
  });

  it('refuses unknown flags, suggesting the nearest or listing all', () => {
    expect(refused(['--step', '5'])).toBe('unknown option --step: did you mean --steps?');
    expect(refused(['--sede', '5'])).toBe('unknown option --sede: did you mean --seed?');
    expect(refused(['--report'])).toBe('unknown option --report: did you mean --report-only?');
    expect(refused(['--bogus'])).toBe('unknown option --bogus: expected one of --steps, --seed, --lr, --backend, --out, --report-only, --set');
    expect(refused(['-seed', '1'])).toMatch(/unexpected argument "-seed": options start with -- \(did you mean --seed\?\)/);
    expect(refused(['runs/a'])).toMatch(/unexpected argument "runs\/a"/);
    expect(refused(['--constructor'])).toMatch(/unknown option --constructor/);
  });

  it('refuses a flag given twice with different values, and a --set field likewise', () => {
    expect(refused(['--seed', '1', '--seed', '2'])).toBe('--seed given twice, as "1" and "2": give it once');
    expect(refused(['--set', 'groupSize=4', '--set', 'groupSize=8'])).toMatch(/--set groupSize given twice/);
  });

  it('names the flag whose value is missing, empty or not a number', () => {
    expect(refused(['--out'])).toBe('--out needs a value (DIR)');
    expect(refused(['--out', '--seed', '1'])).toBe('--out needs a value (DIR)');
    expect(refused(['--seed='])).toMatch(/^--seed needs a value/);
    for (const bad of ['ten', '1.5', '-1', '0x10', '1e3', ' 3']) expect(refused(['--seed', bad])).toMatch(/^--seed must be a whole number >= 0/);
    for (const bad of ['x', '-0.5', 'Infinity']) expect(refused(['--lr', bad])).toMatch(/^--lr must be a number >= 0/);
    expect(refused(['--report-only=yes'])).toMatch(/--report-only takes no value/);
  });

  it('refuses a value outside the choices and a --set field it does not know', () => {
    expect(refused(['--backend', 'webgpo'])).toBe('--backend must be one of cpu, webgpu, got "webgpo" (did you mean webgpu?)');
    expect(refused(['--set', 'groupsize=4'])).toBe('--set: unknown field groupsize: did you mean groupSize?');
    expect(refused(['--set', 'groupSize'])).toMatch(/--set needs key=value/);
  });
});

describe('help from the same table', () => {
  it('lists every flag with its value, choices and default', () => {
    const help = formatFlags(FLAGS);
    for (const name of Object.keys(FLAGS)) expect(help).toContain(`--${name}`);
    expect(help).toMatch(/--backend B +backend \(cpu \| webgpu; default cpu\)/);
    expect(wantsHelp(['--seed', '1', '--help'])).toBe(true);
    expect(wantsHelp(['--seed', '1'])).toBe(false);
  });
});

describe('nearest', () => {
  it('counts a swap of neighbours as one edit and ignores far names', () => {
    expect(editDistance('stpes', 'steps')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(nearest('quik', ['quick', 'out'])).toBe('quick');
    expect(nearest('bogus', ['quick', 'out'])).toBeUndefined();
  });
});
