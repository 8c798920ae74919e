// Generation with no PostgreSQL server at hand: every SEAMTEST_*_URL and DATABASE_URL is removed
// from the environment, so each worker's database is an embedded engine (PGlite) started by the
// suite's own stack. Generation must still observe and verify the system, and the suite it writes
// must pass when run again on its own. Preflight still refuses what cannot be embedded.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SeamtestError } from '../../src/errors.js';
import { preflight } from '../../src/observe/preflight.js';
import type { DependencySpec, SystemSpec } from '../../src/runtime/system.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const fixture = path.join(repo, 'fixtures', 'generate-pg-embedded');
/** Inside the repository (gitignored), so the suite's imports resolve to its node_modules. */
const suiteDir = path.join(repo, '.seamtest', `embedded-pg-${randomBytes(4).toString('hex')}`);

/** The environment of someone with no PostgreSQL: no server URL of any kind, not inside Vitest. */
function envWithoutServers(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^SEAMTEST_.*_URL$/.test(name) || name === 'DATABASE_URL' || name.startsWith('VITEST'))
      continue;
    env[name] = value;
  }
  return env;
}

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

const running = new Set<ChildProcess>();

/** Runs a command in its own process group, so everything it starts can be ended with it. */
function run(command: string, args: string[], cwd: string, timeoutMs: number): Promise<Finished> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd,
      env: envWithoutServers(),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = `${stderr}${chunk.toString()}`.slice(-20_000);
    });
    const timer = setTimeout(() => killGroup(child), timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Processes still running in the fixture or the suite (services, migrations, runners). */
function leftOver(): string[] {
  if (!existsSync('/proc/self/cwd')) return [];
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      const inside = (dir: string) => cwd === dir || cwd.startsWith(`${dir}${path.sep}`);
      if (inside(fixture) || inside(suiteDir) || cmdline.includes(suiteDir))
        found.push(`${pid} ${cmdline}`);
    } catch {
      // Ended while being read, or not ours to read.
    }
  }
  return found;
}

afterAll(() => {
  for (const child of running) killGroup(child);
  rmSync(suiteDir, { recursive: true, force: true });
});

describe('generate with no PostgreSQL server: the embedded engine', () => {
  it('generates a suite that observes and verifies the system on embedded PostgreSQL', async () => {
    const generation = await run(
      process.execPath,
      [
        'bin/seamtest.js',
        'generate',
        fixture,
        '--framework',
        'vitest',
        '--out',
        suiteDir,
        '--json',
      ],
      repo,
      170_000,
    );
    expect(generation.code, generation.stderr).toBe(0);
    const result = JSON.parse(generation.stdout) as {
      tests: number;
      verification: { passed: number; failed: number; durationMs: number };
    };
    expect(result.verification.failed, generation.stderr).toBe(0);
    expect(result.verification.passed).toBeGreaterThan(0);
    // Every test of the default run passed; the rest are findings (the fixture's API, like many,
    // has no listener for a dropped database connection and dies when its database goes down).
    const manifest = JSON.parse(
      readFileSync(path.join(suiteDir, 'seamtest-manifest.json'), 'utf8'),
    ) as { scenarios: { file: string | null; finding: boolean }[] };
    const findings = manifest.scenarios.filter((scenario) => scenario.file && scenario.finding);
    expect(result.verification.passed).toBe(result.tests - findings.length);
    expect(existsSync(path.join(suiteDir, 'support', 'kit', 'embedded-postgres.ts'))).toBe(true);
    // The suite installs the PGlite seamtest itself is tested with.
    const root = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8'));
    const suite = JSON.parse(readFileSync(path.join(suiteDir, 'package.json'), 'utf8'));
    expect(suite.devDependencies['@electric-sql/pglite']).toBe(
      root.dependencies['@electric-sql/pglite'],
    );
    // A test that writes: the embedded database took the row and gave it back on cleanup.
    const writes = readFileSync(
      path.join(suiteDir, 'boundaries', 'bookmarks-api-bookmarks-api-db.test.ts'),
      'utf8',
    );
    expect(writes).toContain('inserted:');
    expect(leftOver()).toEqual([]);
  }, 180_000);

  it('the generated suite passes when run again on its own', async () => {
    expect(existsSync(path.join(suiteDir, 'package.json'))).toBe(true);
    const suiteRun = await run(
      path.join(repo, 'node_modules', '.bin', 'vitest'),
      ['run'],
      suiteDir,
      170_000,
    );
    expect(suiteRun.code, `${suiteRun.stdout}\n${suiteRun.stderr}`).toBe(0);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes
    const plain = suiteRun.stdout.replace(/\u001b\[[0-9;]*m/g, '');
    const [, passed, total] = /Tests\s+(\d+) passed \((\d+)\)/.exec(plain) ?? [];
    expect(Number(passed), plain).toBeGreaterThan(0);
    expect(passed).toBe(total);
    expect(leftOver()).toEqual([]);
  }, 180_000);
});

describe('preflight without server URLs', () => {
  const spec = (technology: DependencySpec['technology'], id: string, own: string): SystemSpec => ({
    name: 'app',
    services: [],
    dependencies: [{ id, technology, urlVariables: [`SEAMTEST_${id.toUpperCase()}_URL`, own] }],
    thirdParties: [],
    cacheKeys: [],
    exchanges: [],
  });

  it('accepts PostgreSQL without a URL: the embedded engine stands in', async () => {
    await expect(preflight(spec('postgresql', 'db', 'DATABASE_URL'), {})).resolves.toBeUndefined();
  });

  it.each([
    ['redis', 'cache', 'REDIS_URL'],
    ['rabbitmq', 'broker', 'AMQP_URL'],
  ] as const)(
    'still refuses %s without a URL, naming the variable',
    async (technology, id, own) => {
      const error = await preflight(spec(technology, id, own), {}).catch((caught) => caught);
      expect(error).toBeInstanceOf(SeamtestError);
      expect(error.code).toBe('dependency-down');
      expect(error.message).toContain(`SEAMTEST_${id.toUpperCase()}_URL`);
      expect(error.message).not.toContain('\n');
    },
  );

  it('still refuses a PostgreSQL URL that is set but does not answer, naming the variable', async () => {
    const error = await preflight(spec('postgresql', 'db', 'DATABASE_URL'), {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/postgres',
    }).catch((caught) => caught);
    expect(error).toBeInstanceOf(SeamtestError);
    expect(error.code).toBe('dependency-down');
    expect(error.message).toMatch(/from DATABASE_URL does not answer/);
    expect(error.message).not.toContain('\n');
  });
});
