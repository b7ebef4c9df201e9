// The four CLI entry points, run as a user runs them (npm run <script> -- ...): unknown flags refused with
// the nearest known one, a flag given twice with different values refused, missing values and bad numbers
// named, and `--out` onto an existing run refused. Refusals come before any work (exit 2, nothing written).
// Each test uses its own temporary folders, so they run side by side.
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { npmRun, type CliResult } from './npmRun';

// a run small enough to train in a second or two
const TINY = ['--steps', '1', '--set', 'evalProblems=4', '--set', 'evalSamples=1', '--set', 'promptsPerStep=1', '--set', 'groupSize=2'];
const tmp = () => mkdtempSync(join(tmpdir(), 'misstep-cli-'));
const snapshot = (dir: string) => Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f)).toString('base64')]));

/** A usage refusal: exit code 2, the message on stderr, nothing else done. */
function expectRefused(r: CliResult, message: RegExp) {
  expect(r.timedOut, `the command ran on instead of refusing:\n${r.stderr.slice(-500)}`).toBe(false);
  expect(r.stderr).toMatch(message);
  expect(r.status).toBe(2);
}

describe.concurrent('npm run train', { timeout: 120_000 }, () => {
  it('refuses a mistyped flag and names the nearest one', async () => {
    const out = join(tmp(), 'run');
    expectRefused(await npmRun('train', ['--step', '100', '--out', out]), /unknown option --step: did you mean --steps\?/);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses an unknown --set field and names the nearest one', async () => {
    expectRefused(await npmRun('train', ['--set', 'lrr=1e-4', ...TINY, '--out', join(tmp(), 'run')]), /--set: unknown field lrr: did you mean lr\?/);
  });

  it('refuses a flag, or a --set field, given twice with different values', async () => {
    expectRefused(await npmRun('train', [...TINY, '--seed', '1', '--seed', '2', '--out', join(tmp(), 'run')]), /--seed given twice, as "1" and "2"/);
    expectRefused(await npmRun('train', [...TINY, '--set', 'lr=1e-4', '--set', 'lr=2e-4', '--out', join(tmp(), 'run')]), /--set lr given twice/);
  });

  it('names the flag whose value is missing or not a number', async () => {
    expectRefused(await npmRun('train', [...TINY, '--seed=', '--out', join(tmp(), 'run')]), /--seed needs a value/);
    expectRefused(await npmRun('train', [...TINY, '--seed', '0x10', '--out', join(tmp(), 'run')]), /--seed must be a whole number >= 0, got "0x10"/);
  });

  it('will not write over a run in --out: names --resume, and --overwrite replaces it', async () => {
    const out = join(tmp(), 'run');
    const first = await npmRun('train', [...TINY, '--out', out]);
    expect(first.status, first.stderr).toBe(0);
    const before = snapshot(out);
    expect(Object.keys(before)).toEqual(['checkpoint.safetensors', 'config.json', 'metrics.jsonl', 'traces.jsonl']);

    const again = await npmRun('train', [...TINY, '--seed', '2', '--out', out]);
    expectRefused(again, new RegExp(`--out ${out} already holds a run .*--resume ${out}.*--overwrite`));
    expect(snapshot(out)).toEqual(before); // not a byte changed

    const replaced = await npmRun('train', [...TINY, '--seed', '2', '--out', out, '--overwrite']);
    expect(replaced.status, replaced.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).seed).toBe(2);
  });

  it('refuses flags that --resume would ignore', async () => {
    expectRefused(await npmRun('train', ['--resume', join(tmp(), 'run'), '--steps', '5', '--seed', '3']), /--resume continues a run .*--seed cannot be combined/);
  });
});

describe.concurrent('npm run experiment', { timeout: 120_000 }, () => {
  it('refuses an unknown flag, listing the known ones when none is near', async () => {
    const runs = tmp();
    expectRefused(await npmRun('experiment', ['--suite', 'smoke', '--runs', runs, '--bogus']), /unknown option --bogus: expected one of --suite, --workers, --runs, --out, --report-only/);
    expect(readdirSync(runs)).toEqual([]);
  });

  it('suggests the nearest suite, and refuses a flag given twice', async () => {
    expectRefused(await npmRun('experiment', ['--suite', 'nosiy']), /--suite must be one of .*got "nosiy" \(did you mean noisy\?\)/);
    const runs = tmp();
    expectRefused(await npmRun('experiment', ['--suite', 'smoke', '--runs', runs, '--out', runs, '--workers', '0', '--workers', '2']), /--workers given twice/);
  });
});

describe.concurrent('npm run bench', { timeout: 120_000 }, () => {
  it('refuses a mistyped flag before measuring anything', async () => {
    const out = join(tmp(), 'bench.json');
    expectRefused(await npmRun('bench', ['--quik', '--backend', 'cpu', '--no-browser', '--no-tfjs', '--out', out]), /unknown option --quik: did you mean --quick\?/);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a flag given twice and an empty number', async () => {
    const out = join(tmp(), 'bench.json');
    expectRefused(await npmRun('bench', ['--quick', '--backend', 'cpu', '--backend', 'webgpu', '--no-browser', '--out', out]), /--backend given twice/);
    expectRefused(await npmRun('bench', ['--quick', '--backend', 'cpu', '--no-browser', '--soak=', '--out', out]), /--soak needs a value/);
  });

  it("refuses an unknown preset, backend or too short a window for the lab page, naming the flag", async () => {
    const out = join(tmp(), 'bench.json');
    expectRefused(await npmRun('bench', ['--lab-page-only', '--lab-page-preset', 'grop', '--out', out]), /--lab-page-preset must be one of grpo, .*got "grop" \(did you mean grpo\?\)/);
    expectRefused(await npmRun('bench', ['--lab-page-only', '--lab-page-backend', 'gpu', '--out', out]), /--lab-page-backend must be one of webgpu, cpu/);
    expectRefused(await npmRun('bench', ['--lab-page-only', '--lab-page-minutes', '0.05', '--out', out]), /--lab-page-minutes must be at least 0\.1 \(got 0\.05\)/);
    expect(existsSync(out)).toBe(false);
  });
});

describe.concurrent('npm run make-checkpoints', { timeout: 120_000 }, () => {
  it('refuses a mistyped flag and a flag given twice before pretraining', async () => {
    const out = join(tmp(), 'checkpoints');
    expectRefused(await npmRun('make-checkpoints', ['--task', 'addition', '--stpes', '5', '--out', out]), /unknown option --stpes: did you mean --steps\?/);
    expectRefused(await npmRun('make-checkpoints', ['--task', 'addition', '--task', 'chain', '--steps', '1', '--out', out]), /--task given twice/);
    expect(existsSync(out)).toBe(false);
  });

  it('is not run before npm run train', async () => {
    const r = await npmRun('train', ['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Usage:\n {2}npm run train --/);
    expect(r.stdout + r.stderr).not.toMatch(/pretrain|make-checkpoints/);
  });
});
