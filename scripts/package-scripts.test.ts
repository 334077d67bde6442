/**
 * Every package.json script still works as wired: each `&&` step of its command is checked the
 * cheapest honest way — a tsx script runs with `--help` (scripts/lib/cli-help.ts exits 0 before
 * starting anything), `vitest run` must find test files, `npm run x` must name a script, `bash f.sh`
 * must parse, `tsc -p f` / `eslint .` need their config files. Nothing heavy runs (no suite, no build).
 * A script added to package.json without a row in COVERED fails here, so the check cannot rot silently.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');
const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** The scripts this test knows, with what they are for; a new script needs a row (and a step kind below if new). */
const COVERED: Record<string, string> = {
  setup: 'installs influxd and the npm dependencies',
  build: 'compiles to dist/ and builds the web application',
  'build:web': 'builds web/ into web/dist',
  typecheck: 'tsc without output',
  lint: 'eslint over the repository',
  test: 'setup with PostgreSQL, lint, typecheck, then both vitest projects',
  'test:unit': 'the unit vitest project only',
  demo: 'influxd + hub + simulated home',
  bench: 'decoder benchmark',
  'bench:ingest': 'ingest benchmark',
  'bench:alerts': 'alert engine benchmark',
  'bench:api': 'dashboard API benchmark',
  'bench:audit': 'audit trail benchmark (journal cost)',
  'bench:gateway': 'gateway benchmark',
  'bench:attribution': 'cost of deciding who measured (attribution) on the ingest hot path',
  'bench:web': 'web application in headless Chromium',
  'web:api-types': 'regenerates the web application API types from the OpenAPI document',
  'bench:backtest': 'back-test benchmark',
  'bench:fleet': 'fleet connection-scale and reconnect-storm benchmark',
};

type Step =
  | { kind: 'tsx'; file: string }
  | { kind: 'bash'; file: string }
  | { kind: 'config'; file: string }
  | { kind: 'npm-run'; name: string }
  | { kind: 'vitest'; project: string | undefined };

/** One `&&` step of a script command → what to check; throws for a shape this test does not know. */
function classifyStep(step: string): Step {
  const words = step.trim().split(/\s+/);
  const [cmd, ...args] = words;
  const firstFile = (re: RegExp): string | undefined => args.find((a) => re.test(a));
  if (cmd === 'tsx') return { kind: 'tsx', file: args[0]! };
  if (cmd === 'node') {
    const ts = firstFile(/\.ts$/);
    if (ts && args.includes('tsx')) return { kind: 'tsx', file: ts };
    // A built script (dist/x.js) is run from its source so the check needs no build.
    const built = firstFile(/^dist\/.+\.js$/);
    if (built) return { kind: 'tsx', file: built.replace(/^dist\//, '').replace(/\.js$/, '.ts') };
  }
  if (cmd === 'bash' && args[0]?.endsWith('.sh')) return { kind: 'bash', file: args[0] };
  if (cmd === 'tsc' && args[0] === '-p' && args[1]) return { kind: 'config', file: args[1] };
  if (cmd === 'eslint') return { kind: 'config', file: 'eslint.config.js' };
  if (cmd === 'vite' && args[0] === 'build' && args[1] === '--config' && args[2]) return { kind: 'config', file: args[2] };
  if (cmd === 'npm' && args[0] === 'run' && args[1]) return { kind: 'npm-run', name: args[1] };
  if (cmd === 'vitest' && args[0] === 'run') {
    const at = args.indexOf('--project');
    return { kind: 'vitest', project: at >= 0 ? args[at + 1] : undefined };
  }
  throw new Error(`package-scripts.test.ts does not know how to check the step "${step}"`);
}

async function check(step: Step): Promise<void> {
  switch (step.kind) {
    case 'tsx': {
      expect(existsSync(join(ROOT, step.file)), `${step.file} exists`).toBe(true);
      const { stdout } = await run(process.execPath, ['--import', 'tsx', step.file, '--help'], { cwd: ROOT, timeout: 20_000 });
      expect(stdout.trim().length, `${step.file} --help prints its usage`).toBeGreaterThan(0);
      return;
    }
    case 'bash':
      expect(existsSync(join(ROOT, step.file)), `${step.file} exists`).toBe(true);
      await run('bash', ['-n', step.file], { cwd: ROOT }); // rejects on a syntax error
      return;
    case 'config':
      expect(existsSync(join(ROOT, step.file)), `${step.file} exists`).toBe(true);
      return;
    case 'npm-run':
      expect(Object.keys(scripts), `npm run ${step.name} names a script`).toContain(step.name);
      return;
    case 'vitest': {
      // --filesOnly globs the projects' files without collecting tests or starting the global setup.
      const projectArgs = step.project ? ['--project', step.project] : [];
      const vitest = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
      const { stdout } = await run(process.execPath, [vitest, 'list', '--filesOnly', ...projectArgs], { cwd: ROOT, timeout: 20_000 });
      const files = stdout.split('\n').filter((l) => /\.test\.ts$/.test(l.trim()));
      expect(files.length, `vitest ${projectArgs.join(' ')} finds test files`).toBeGreaterThan(0);
      if (step.project) for (const f of files) expect(f).toContain(`[${step.project}]`);
      return;
    }
  }
}

describe('package.json scripts', () => {
  it('every script has a row in COVERED (add one when adding a script)', () => {
    expect(Object.keys(scripts).filter((name) => !(name in COVERED))).toEqual([]);
    expect(Object.keys(COVERED).filter((name) => !(name in scripts))).toEqual([]);
  });

  it('an unknown step shape is refused, not passed', () => {
    expect(() => classifyStep('python3 bench.py')).toThrow(/does not know/);
    expect(classifyStep('node --max-semi-space-size=32 dist/scripts/demo.js')).toEqual({ kind: 'tsx', file: 'scripts/demo.ts' });
  });

  it.each(Object.entries(scripts))('%s: every step is wired', async (_name, command) => {
    const steps = command.split('&&').map(classifyStep);
    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps) await check(step);
  }, 45_000);
});
