// The seeded faults of the example system (examples/shop/faults), which `npm run faults` applies
// one at a time to judge a generated suite. Here only their upkeep is checked, not the fault loop:
// faults.json and the .patch files match one to one, every patch still applies to the example as
// it is now, and the patched services still compile (orders typechecks, inventory parses).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as TS from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { ts } from '../../src/typescript.js';

interface Fault {
  id: string;
  patch: string;
  category: string;
  description: string;
  detectableBy: string;
}

const repo = fileURLToPath(new URL('../../', import.meta.url));
const shop = path.join(repo, 'examples', 'shop');
const faultsDir = path.join(shop, 'faults');
const faults = JSON.parse(readFileSync(path.join(faultsDir, 'faults.json'), 'utf8')) as Fault[];

const CATEGORIES = [
  'auth',
  'context propagation',
  'data transformation',
  'error translation',
  'transactions/partial failure',
  'eventual consistency',
  'side effects',
  'timeouts',
  'retries',
  'race conditions',
];

/** Patches name repository paths (examples/shop/...); -p3 strips a/examples/shop/. */
const PREFIX = 'examples/shop/';

/** Scratch copies live inside the repository, so their imports resolve to its node_modules. */
const scratch = path.join(repo, '.seamtest', `faults-check-${randomBytes(4).toString('hex')}`);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function patchText(fault: Fault): string {
  return readFileSync(path.join(faultsDir, fault.patch), 'utf8');
}

/** The files a patch touches, relative to examples/shop. */
function touched(fault: Fault): string[] {
  const files = new Set<string>();
  for (const line of patchText(fault).split('\n')) {
    const match = /^(?:---|\+\+\+) [ab]\/(.+)$/.exec(line);
    if (match?.[1]) files.add(match[1]);
  }
  return [...files];
}

function git(args: string[]) {
  return spawnSync('git', args, { cwd: repo, encoding: 'utf8' });
}

// Library files and node_modules are the same for every patch: parsed once, shared by programs.
const sourceCache = new Map<string, TS.SourceFile>();

function typecheck(tsconfig: string): { files: string[]; problems: string[] } {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    tsconfig,
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  if (!parsed) throw new Error(`cannot read ${tsconfig}`);
  const options = { ...parsed.options, noEmit: true };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language, onError) => {
    const shared = file.includes(`${path.sep}node_modules${path.sep}`) || !file.startsWith(scratch);
    if (!shared) return getSourceFile(file, language, onError);
    let source = sourceCache.get(file);
    if (!source) {
      source = getSourceFile(file, language, onError);
      if (source) sourceCache.set(file, source);
    }
    return source;
  };
  const program = ts.createProgram({ rootNames: parsed.fileNames, options, host });
  const problems = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (!diagnostic.file || diagnostic.start === undefined) return message;
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `${path.relative(scratch, diagnostic.file.fileName)}:${line + 1}: ${message}`;
  });
  return { files: parsed.fileNames, problems };
}

describe('examples/shop/faults', () => {
  it('faults.json describes each fault: id, its patch, a category of the spec, what breaks and how to see it', () => {
    expect(faults.length).toBeGreaterThanOrEqual(16);
    const ids = faults.map((fault) => fault.id);
    expect(new Set(ids).size).toBe(ids.length);
    faults.forEach((fault, index) => {
      // `needs` marks a fault that waits for a capability seamtest does not have yet.
      expect(
        Object.keys(fault)
          .filter((key) => key !== 'needs')
          .sort(),
      ).toEqual(['category', 'description', 'detectableBy', 'id', 'patch'].sort());
      expect(fault.id).toMatch(/^\d{2}-[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(fault.id.slice(0, 2), 'numbered in order from 01').toBe(
        String(index + 1).padStart(2, '0'),
      );
      expect(fault.patch).toBe(`${fault.id}.patch`);
      expect(CATEGORIES).toContain(fault.category);
      expect(fault.description.trim().length).toBeGreaterThan(20);
      expect(fault.detectableBy.trim().length).toBeGreaterThan(20);
    });
    // Every category of the spec has at least one fault.
    expect([...new Set(faults.map((fault) => fault.category))].sort()).toEqual(
      [...CATEGORIES].sort(),
    );
  });

  it('faults.json lists every .patch file, and every patch it lists exists', () => {
    const onDisk = readdirSync(faultsDir)
      .filter((file) => file.endsWith('.patch'))
      .sort();
    expect(faults.map((fault) => fault.patch).sort()).toEqual(onDisk);
  });

  describe.each(faults)('$id', (fault) => {
    it('is a git diff of the example alone, headed by a line naming the fault', () => {
      const text = patchText(fault);
      expect(text.split('\n')[0]).toMatch(new RegExp(`^# ${fault.id} \\(${fault.category}\\): `));
      expect(text).toMatch(/^diff --git a\//m);
      const files = touched(fault);
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) {
        expect(file.startsWith(PREFIX), file).toBe(true);
        expect(file.startsWith(`${PREFIX}faults/`), file).toBe(false);
      }
    });

    it('applies cleanly to the current example', () => {
      const result = git(['apply', '--check', path.join(faultsDir, fault.patch)]);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    });

    it('leaves the services compiling: orders typechecks, inventory parses', () => {
      const copy = path.join(scratch, fault.id);
      mkdirSync(copy, { recursive: true });
      for (const service of ['orders', 'inventory']) {
        cpSync(path.join(shop, service), path.join(copy, service), {
          recursive: true,
          filter: (file) => !file.split(path.sep).includes('node_modules'),
        });
      }
      const applied = git([
        'apply',
        `-p${PREFIX.split('/').length}`,
        `--directory=${path.relative(repo, copy)}`,
        path.join(faultsDir, fault.patch),
      ]);
      expect(applied.stderr).toBe('');
      expect(applied.status).toBe(0);

      const files = touched(fault).map((file) => file.slice(PREFIX.length));
      for (const file of files) {
        // The copy really is patched.
        expect(readFileSync(path.join(copy, file), 'utf8')).not.toBe(
          readFileSync(path.join(shop, file), 'utf8'),
        );
      }
      if (files.some((file) => file.startsWith('orders/') && file.endsWith('.ts'))) {
        const { files: checked, problems } = typecheck(path.join(copy, 'orders', 'tsconfig.json'));
        for (const file of files.filter((name) => name.startsWith('orders/src/'))) {
          expect(checked).toContain(path.join(copy, file));
        }
        expect(problems).toEqual([]);
      }
      for (const file of files.filter((name) => name.endsWith('.js'))) {
        const parsed = spawnSync(process.execPath, ['--check', path.join(copy, file)], {
          encoding: 'utf8',
        });
        expect(parsed.stderr).toBe('');
        expect(parsed.status).toBe(0);
      }
    });
  });
});
