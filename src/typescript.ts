// The TypeScript compiler, loaded with `require`: importing its 9 MB CommonJS build from ESM
// makes Node scan all of it for export names and module syntax first, about half a second a run.
// Types come from `import type * as TS from 'typescript'` where they are needed.
//
// Compiling those 9 MB is then most of what loading costs (about 0.25 s of every run), so the
// compiled code is cached on disk: Node 22 does it with `module.enableCompileCache`; on Node 20
// the same V8 code cache is kept by hand. A missing, stale or corrupt cache only costs the compile.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { homedir } from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import type * as TS from 'typescript';

const require = createRequire(import.meta.url);

function cacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache');
  return path.join(base, 'seamtest');
}

function loadTypeScript(): typeof TS {
  const withCache = Module as unknown as { enableCompileCache?: (dir: string) => unknown };
  if (process.env.SEAMTEST_NO_COMPILE_CACHE) return require('typescript');
  if (withCache.enableCompileCache) {
    withCache.enableCompileCache(cacheDir());
    return require('typescript');
  }
  try {
    return loadWithCodeCache();
  } catch {
    return require('typescript');
  }
}

/** Node 20: run typescript.js as `require` would, handing V8 the code it compiled last time. */
function loadWithCodeCache(): typeof TS {
  const file = require.resolve('typescript');
  const { version } = require('typescript/package.json') as { version: string };
  const cacheFile = path.join(
    cacheDir(),
    `typescript-${version}-node${process.version}-${process.arch}.v8cache`,
  );
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(readFileSync(file, 'utf8')), {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const module = { exports: {} as typeof TS };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(
    module.exports,
    module.exports,
    createRequire(file),
    module,
    file,
    path.dirname(file),
  );
  if (!cachedData || script.cachedDataRejected) {
    // Written at exit, so the cache also holds the parser functions this run compiled lazily.
    process.once('exit', () => writeAtomically(cacheFile, () => script.createCachedData()));
  }
  return module.exports;
}

function writeAtomically(file: string, content: () => Buffer): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, content());
    renameSync(temporary, file);
  } catch {
    // A cache that cannot be written is only a slower next run.
  }
}

export const ts: typeof TS = loadTypeScript();
