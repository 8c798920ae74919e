// `seamtest generate` given something it cannot work with: through the real executable, each
// case exits non-zero, prints one line on stderr that names the problem and the fix (no stack
// trace), prints nothing on stdout, and writes nothing: not to --out, not next to it, not in the
// folder it runs from.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot, runSeamtest } from './helpers.js';

const shop = path.join(repoRoot, 'examples/shop');

interface Case {
  name: string;
  /** Arguments after `generate`; `dir` is the case's own empty temporary folder. */
  args(dir: string): string[];
  /** Files to create in `dir` before the run. */
  files?: Record<string, string>;
  env?: Record<string, string>;
  /** What the line must say; an empty list for cases where any clear line will do. */
  says: RegExp[];
  /** Text the line must not contain (a password, say). */
  hides?: string[];
}

const cases: Case[] = [
  {
    name: 'an unknown --framework',
    args: (dir) => [shop, '--framework', 'mocha', '--out', path.join(dir, 'suite')],
    says: [/unknown framework 'mocha'/, /--framework with one of vitest/],
  },
  {
    name: 'no --framework',
    args: (dir) => [shop, '--out', path.join(dir, 'suite')],
    says: [/--framework is required/, /pass one of vitest/],
  },
  {
    name: 'no --out',
    args: () => [shop, '--framework', 'vitest'],
    says: [/--out is required/, /pass the folder/],
  },
  {
    name: '--out inside a node_modules folder',
    args: (dir) => [shop, '--framework', 'vitest', '--out', path.join(dir, 'node_modules/suite')],
    says: [/inside node_modules/, /pick a folder of your own/],
  },
  {
    name: '--out naming an existing file',
    files: { 'suite.txt': 'not a folder\n' },
    args: (dir) => [shop, '--framework', 'vitest', '--out', path.join(dir, 'suite.txt')],
    says: [/suite\.txt is a file/, /pass a folder/],
  },
  {
    name: 'a folder that is not a project',
    files: { 'notes/readme.txt': 'no package.json here\n' },
    args: (dir) => [
      path.join(dir, 'notes'),
      '--framework',
      'vitest',
      '--out',
      path.join(dir, 'suite'),
    ],
    says: [/has no package\.json/, /pass the root folder of a Node\.js project/],
  },
  {
    name: 'a folder that does not exist',
    args: (dir) => [
      path.join(dir, 'missing'),
      '--framework',
      'vitest',
      '--out',
      path.join(dir, 'suite'),
    ],
    says: [/missing does not exist/, /pass the folder of a project/],
  },
  {
    name: 'a project whose only source has a syntax error',
    files: {
      'project/package.json': JSON.stringify({
        name: 'broken',
        version: '1.0.0',
        type: 'module',
        scripts: { start: 'node src/server.ts' },
      }),
      'project/src/server.ts': 'export function start( {\n  return 1;\n',
    },
    args: (dir) => [
      path.join(dir, 'project'),
      '--framework',
      'vitest',
      '--out',
      path.join(dir, 'suite'),
    ],
    says: [],
  },
  {
    name: 'a project with nothing to test',
    files: {
      'project/package.json': JSON.stringify({
        name: 'quiet',
        version: '1.0.0',
        type: 'module',
        scripts: { start: 'node src/index.js' },
      }),
      'project/src/index.js': "console.log('hello');\n",
    },
    args: (dir) => [
      path.join(dir, 'project'),
      '--framework',
      'vitest',
      '--out',
      path.join(dir, 'suite'),
    ],
    says: [],
  },
  {
    name: 'a Redis that is down',
    env: { SEAMTEST_REDIS_URL: 'redis://127.0.0.1:1' },
    args: (dir) => [shop, '--framework', 'vitest', '--out', path.join(dir, 'suite')],
    says: [/\bredis\b/, /redis:\/\/127\.0\.0\.1:1\b/, /start it or set SEAMTEST_REDIS_URL/],
  },
  {
    name: 'a PostgreSQL URL with a closed port',
    env: { SEAMTEST_ORDERS_DB_URL: 'postgres://postgres:hunter2@127.0.0.1:1/postgres' },
    args: (dir) => [shop, '--framework', 'vitest', '--out', path.join(dir, 'suite')],
    says: [/\borders-db\b/, /127\.0\.0\.1:1\b/, /start it or set SEAMTEST_ORDERS_DB_URL/],
    hides: ['hunter2'],
  },
];

/** Every file and folder under dir, with the content of files. */
async function contents(dir: string): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    const name = path.relative(dir, full);
    found[name] = entry.isDirectory() ? '(folder)' : await readFile(full, 'utf8');
  }
  return found;
}

/** A line of a stack trace, or a message that went through `String(error)`. */
const stackFrame = /^\s+at\s|^\[\w+\]|^\w*Error: /;

describe('seamtest generate with bad input', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it.each(cases)('rejects $name in one clear line and writes nothing', async (item) => {
    dir = await mkdtemp(path.join(tmpdir(), 'seamtest-bad-input-'));
    for (const [file, content] of Object.entries(item.files ?? {})) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), content);
    }
    const before = await contents(dir);
    const args = ['generate', ...item.args(dir)];

    // With --json there is no progress output: the error must be the only line.
    const machine = await runSeamtest([...args, '--json'], { cwd: dir, env: item.env ?? {} });
    const report = `exit ${machine.code}\nstdout: ${machine.stdout}\nstderr: ${machine.stderr}`;
    expect(machine.code, report).not.toBe(0);
    expect(machine.code, report).not.toBe(70); // the exit code of an internal error
    expect(machine.stdout, report).toBe('');
    const lines = machine.stderr.trimEnd().split('\n');
    expect(lines, report).toHaveLength(1);
    const line = lines[0] ?? '';
    expect(line).toMatch(/^seamtest( generate)?: \S/);
    expect(line).not.toMatch(stackFrame);
    for (const pattern of item.says) expect(line).toMatch(pattern);
    for (const secret of item.hides ?? []) expect(line).not.toContain(secret);

    // Without --json, progress lines may come first; the error is the same last line.
    const human = await runSeamtest(args, { cwd: dir, env: item.env ?? {} });
    const humanReport = `exit ${human.code}\nstdout: ${human.stdout}\nstderr: ${human.stderr}`;
    expect(human.code, humanReport).toBe(machine.code);
    expect(human.stdout, humanReport).toBe('');
    const humanLines = human.stderr.trimEnd().split('\n');
    expect(humanLines.at(-1), humanReport).toBe(line);
    for (const each of humanLines) {
      expect(each, humanReport).toMatch(/^seamtest/);
      expect(each, humanReport).not.toMatch(stackFrame);
    }

    expect(await contents(dir)).toEqual(before);
  });
});
