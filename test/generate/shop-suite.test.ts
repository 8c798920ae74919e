// One real `seamtest generate` of examples/shop, against the local PostgreSQL, Redis and
// RabbitMQ, and what the suite it writes must be: complete (every boundary, every category),
// clean (headers, strict types, formatted, no secrets of the project), repeatable (it passes
// again and leaves the services as it found them) and the user's to edit (reruns keep edits).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIOME_CONFIG } from '../../src/emit/format.js';
import { SCENARIO_CATEGORIES } from '../../src/plan/model.js';
import { childEnv, type Ran, repoRoot, runProgram, runSeamtest, serviceEnv } from './helpers.js';
import { brokerLeftovers, changes, servicesState } from './services-state.js';

const suiteRelative = '.seamtest/generate-shop-suite';
const suiteDir = path.join(repoRoot, suiteRelative);
const generateArgs = [
  'generate',
  'examples/shop',
  '--framework',
  'vitest',
  '--out',
  suiteRelative,
  '--json',
];

interface Summary {
  outDir: string;
  tests: number;
  verification: { passed: number; failed: number };
  skipped: { scenario: string; why: string }[];
  files: { written: string[]; unchanged: string[]; kept: string[]; removed: string[] };
}

interface Manifest {
  scenarios: { id: string; categories: string[]; boundaries: string[]; file: string | null }[];
  files: Record<string, string>;
}

async function generate(...extra: string[]): Promise<{ ran: Ran; summary: Summary }> {
  const ran = await runSeamtest([...generateArgs, ...extra]);
  if (ran.code !== 0) {
    throw new Error(`seamtest generate exited ${ran.code}:\n${ran.stderr}\n${ran.stdout}`);
  }
  return { ran, summary: JSON.parse(ran.stdout) as Summary };
}

/** The suite's files, relative to it; not what its runs install or leave behind. */
async function suiteFiles(): Promise<string[]> {
  const entries = await readdir(suiteDir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(suiteDir, path.join(entry.parentPath, entry.name)))
    .filter((file) => !/^(node_modules|\.seamtest-run|\.seamtest-probe)(\/|$)/.test(file))
    .sort();
}

const tail = (text: string, lines = 60) => text.trimEnd().split('\n').slice(-lines).join('\n');

describe('seamtest generate examples/shop', () => {
  let first: Summary;
  let manifest: Manifest;

  beforeAll(async () => {
    await rm(suiteDir, { recursive: true, force: true });
    first = (await generate()).summary;
    manifest = JSON.parse(
      await readFile(path.join(suiteDir, 'seamtest-manifest.json'), 'utf8'),
    ) as Manifest;
  }, 240_000);

  it('verified the suite it wrote: nothing failed, at least 40 tests passed', () => {
    expect(first.outDir).toBe(suiteDir);
    expect(first.verification.failed, JSON.stringify(first.skipped, null, 2)).toBe(0);
    expect(first.verification.passed).toBeGreaterThanOrEqual(40);
    expect(first.files.written).toContain('seamtest-manifest.json');
  });

  it('places a scenario for every boundary of the map and for every category', () => {
    const map = JSON.parse(
      readFileSync(path.join(repoRoot, 'examples/shop/integration-map.expected.json'), 'utf8'),
    ) as { boundaries: { id: string }[] };
    const placed = manifest.scenarios.filter((scenario) => scenario.file !== null);
    for (const scenario of placed)
      expect(existsSync(path.join(suiteDir, scenario.file as string))).toBe(true);

    const boundaries = map.boundaries.map((boundary) => boundary.id);
    expect(boundaries.length).toBeGreaterThan(0);
    const uncovered = boundaries.filter(
      (id) => !placed.some((scenario) => scenario.boundaries.includes(id)),
    );
    expect(uncovered, `boundaries without a placed scenario: ${uncovered.join(', ')}`).toEqual([]);

    const missing = SCENARIO_CATEGORIES.filter(
      (category) => !placed.some((scenario) => scenario.categories.includes(category)),
    );
    expect(missing, `categories without a placed scenario: ${missing.join(', ')}`).toEqual([]);
  });

  it('injects every fault that applies to a boundary on that boundary', () => {
    const map = JSON.parse(
      readFileSync(path.join(repoRoot, 'examples/shop/integration-map.expected.json'), 'utf8'),
    ) as {
      components: { id: string; kind: string }[];
      boundaries: {
        id: string;
        from: string;
        to: string;
        protocol: string;
        operations: {
          kind: string;
          timeoutMs?: unknown;
          retry?: unknown;
          transaction?: boolean;
          action?: string;
        }[];
      }[];
    };
    const kind = (id: string) => map.components.find((component) => component.id === id)?.kind;
    const placed = manifest.scenarios.filter((scenario) => scenario.file !== null);
    const on = (boundary: string, category: string) =>
      placed.some(
        (scenario) =>
          scenario.boundaries.includes(boundary) && scenario.categories.includes(category),
      );
    const expected: [string, string][] = [];
    for (const boundary of map.boundaries) {
      const internal = kind(boundary.from) === 'service' && kind(boundary.to) !== 'third-party';
      const calls = boundary.operations.filter((operation) => operation.kind === 'http-call');
      if (internal && boundary.from !== 'client') expected.push([boundary.id, 'outage']);
      if (calls.some((call) => call.timeoutMs)) expected.push([boundary.id, 'timeouts']);
      if (calls.some((call) => call.retry)) expected.push([boundary.id, 'retries']);
      const writes = boundary.operations.filter(
        (operation) =>
          operation.transaction && ['insert', 'update', 'delete'].includes(operation.action ?? ''),
      );
      if (boundary.protocol === 'sql' && writes.length >= 2)
        expected.push([boundary.id, 'partial-failure']);
      if (boundary.operations.some((operation) => operation.kind === 'consume'))
        expected.push([boundary.id, 'eventual-consistency']);
    }
    expect(expected.length).toBeGreaterThan(8);
    const missing = expected.filter(([boundary, category]) => !on(boundary, category));
    expect(missing, `missing: ${missing.map((pair) => pair.join(' ')).join('; ')}`).toEqual([]);
    // Races on the routes that act on one resource, and no test waits with a fixed sleep.
    expect(
      placed.filter((scenario) => scenario.categories.includes('race-condition')).length,
    ).toBeGreaterThanOrEqual(3);
    for (const file of new Set(placed.map((scenario) => scenario.file as string)))
      expect(readFileSync(path.join(suiteDir, file), 'utf8')).not.toMatch(/setTimeout\(|sleep\(/);
  });

  it('starts every TypeScript file with the seamtest header', async () => {
    const files = (await suiteFiles()).filter((file) => file.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(10);
    const without: string[] = [];
    for (const file of files) {
      const firstLine = (await readFile(path.join(suiteDir, file), 'utf8')).split('\n')[0] ?? '';
      if (!firstLine.startsWith('// Generated by seamtest')) without.push(`${file}: ${firstLine}`);
    }
    expect(without, `files without the header:\n${without.join('\n')}`).toEqual([]);
  });

  it('typechecks under strict', async () => {
    const tsconfig = JSON.parse(await readFile(path.join(suiteDir, 'tsconfig.json'), 'utf8')) as {
      compilerOptions: { strict?: boolean };
    };
    expect(tsconfig.compilerOptions.strict).toBe(true);
    const tsc = await runProgram(
      path.join(repoRoot, 'node_modules/.bin/tsc'),
      ['-p', path.join(suiteDir, 'tsconfig.json')],
      { timeoutMs: 120_000 },
    );
    expect(tsc.code, tail(`${tsc.stdout}\n${tsc.stderr}`)).toBe(0);
  }, 120_000);

  it('is formatted as seamtest formats what it writes (Biome, BIOME_CONFIG)', async () => {
    // With a config of its own, Biome neither looks for the repository's nor skips the folder
    // that .gitignore lists. The summary reporter lists the files that need formatting.
    const configDir = mkdtempSync(path.join(tmpdir(), 'seamtest-biome-'));
    writeFileSync(
      path.join(configDir, 'biome.json'),
      JSON.stringify({ root: true, ...BIOME_CONFIG }),
    );
    const biome = await runProgram(
      path.join(repoRoot, 'node_modules/.bin/biome'),
      ['format', '--reporter=summary', '--config-path', configDir, '.'],
      { cwd: suiteDir, timeoutMs: 60_000 },
    );
    rmSync(configDir, { recursive: true, force: true });
    expect(biome.code, `${biome.stdout}\n${biome.stderr}`).toBe(0);
  });

  it('holds none of the secrets in examples/shop/.env.example', async () => {
    const secrets = readFileSync(path.join(repoRoot, 'examples/shop/.env.example'), 'utf8')
      .split('\n')
      .map((line) => /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line))
      .filter((match) => match !== null)
      .filter(([, name, value]) => /SECRET|KEY|PASSWORD/.test(name ?? '') && value !== '')
      .map(([, name, value]) => ({ name: name as string, value: value as string }));
    expect(secrets.map((secret) => secret.name)).toContain('JWT_SECRET');
    const leaks: string[] = [];
    for (const file of await suiteFiles()) {
      const content = await readFile(path.join(suiteDir, file), 'utf8');
      for (const secret of secrets)
        if (content.includes(secret.value)) leaks.push(`${file} holds ${secret.name}`);
    }
    expect(leaks).toEqual([]);
  });

  it('passes when run again and leaves PostgreSQL, Redis and RabbitMQ as they were', async () => {
    // A Redis database of its own, so keys other runs on this server make and delete meanwhile
    // cannot blur the comparison; the databases, queues and exchanges of other runs carry their
    // own run id and are told apart by it.
    const redisUrl = new URL(serviceEnv.SEAMTEST_REDIS_URL as string);
    redisUrl.pathname = '/13';
    const postgresUrls = [
      serviceEnv.SEAMTEST_ORDERS_DB_URL as string,
      serviceEnv.SEAMTEST_INVENTORY_DB_URL as string,
    ];
    const before = await servicesState(postgresUrls, redisUrl.toString());

    // The suite's global setup writes where each copy of the system runs; read it while the
    // suite runs, to know this run's id and the broker names it used.
    const stateFile = path.join(suiteDir, '.seamtest-run/stacks.json');
    let stacks: { names: Record<string, string>; dependencies: Record<string, string> }[] = [];
    const watcher = setInterval(() => {
      if (stacks.length > 0 || !existsSync(stateFile)) return;
      try {
        stacks = JSON.parse(readFileSync(stateFile, 'utf8'));
      } catch {
        // Half written; the next tick reads it again.
      }
    }, 100);
    let run: Ran;
    try {
      run = await runProgram(path.join(repoRoot, 'node_modules/.bin/vitest'), ['run'], {
        cwd: suiteDir,
        env: childEnv({ SEAMTEST_REDIS_URL: redisUrl.toString() }),
        timeoutMs: 180_000,
      });
    } finally {
      clearInterval(watcher);
    }
    expect(run.code, tail(`${run.stdout}\n${run.stderr}`)).toBe(0);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes
    const plain = run.stdout.replace(/\u001b\[[0-9;]*m/g, '');
    expect(plain).toMatch(new RegExp(`Tests\\s+${first.verification.passed} passed`));

    expect(stacks.length, 'the suite never wrote .seamtest-run/stacks.json').toBeGreaterThan(0);
    const names = stacks.flatMap((stack) => Object.values(stack.names));
    const runId = /\.st-([0-9a-f]{6})-\d+$/.exec(names[0] ?? '')?.[1];
    expect(runId, `no run id in ${JSON.stringify(names)}`).toBeDefined();

    const after = await servicesState(postgresUrls, redisUrl.toString());
    expect(changes(before.databases, after.databases, runId), 'PostgreSQL databases').toEqual({
      added: [],
      removed: [],
    });
    expect(after.redis, 'Redis DBSIZE and keys').toEqual(before.redis);
    if (before.queues && after.queues) {
      expect(changes(before.queues, after.queues, runId), 'RabbitMQ queues').toEqual({
        added: [],
        removed: [],
      });
      expect(changes(before.exchanges, after.exchanges, runId), 'RabbitMQ exchanges').toEqual({
        added: [],
        removed: [],
      });
    }
    // Also by name, which needs no rabbitmqctl: no per-run name is left as an exchange or a queue.
    expect(names.length).toBeGreaterThan(0);
    expect(
      await brokerLeftovers(serviceEnv.SEAMTEST_RABBITMQ_URL as string, {
        exchanges: names,
        queues: names,
      }),
    ).toEqual([]);
    expect(existsSync(path.join(suiteDir, '.seamtest-run'))).toBe(false);
  }, 240_000);

  // Two reruns, not three: the first both shows a rerun writes nothing (every file unchanged)
  // and keeps the one file edited by hand; each rerun observes and verifies again (~40 s).
  it('writes nothing on a rerun but keeps a file edited by hand, and overwrites it with --force', async () => {
    const files = await suiteFiles();
    const edited = manifest.scenarios.find((scenario) => scenario.file !== null)?.file as string;
    const generated = await readFile(path.join(suiteDir, edited), 'utf8');
    const byHand = `${generated}\n// A note added by hand.\n`;
    await writeFile(path.join(suiteDir, edited), byHand);

    const rerun = (await generate()).summary;
    const rerunReport = JSON.stringify({ ...rerun.files, skipped: rerun.skipped }, null, 2);
    expect(rerun.files.written, `a rerun wrote files: ${rerunReport}`).toEqual([]);
    expect(rerun.files.kept, rerunReport).toEqual([edited]);
    expect(rerun.files.removed, rerunReport).toEqual([]);
    expect([...rerun.files.unchanged].sort(), rerunReport).toEqual(
      files.filter((file) => file !== edited),
    );
    expect(await readFile(path.join(suiteDir, edited), 'utf8')).toBe(byHand);

    const forced = (await generate('--force')).summary;
    const forcedReport = JSON.stringify({ ...forced.files, skipped: forced.skipped }, null, 2);
    expect(forced.files.written, forcedReport).toEqual([edited]);
    expect(forced.files.kept, forcedReport).toEqual([]);
    expect(await readFile(path.join(suiteDir, edited), 'utf8')).toBe(generated);
  }, 360_000);
});
