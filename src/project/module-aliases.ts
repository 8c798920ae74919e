// Non-relative imports that still point into the project: tsconfig/jsconfig `paths` (with
// `baseUrl` and `extends`), and the names of the project's own workspace packages.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Unrecognised } from '../map/model.js';
import { ts } from '../typescript.js';

export interface PathAlias {
  /** Folder the config applies to (relative to the root, '' for the root). */
  scope: string;
  /** `@app/*` → prefix '@app/', wildcard true. */
  prefix: string;
  wildcard: boolean;
  /** Targets relative to the root, with '*' where the wildcard goes. */
  targets: string[];
}

interface CompilerPaths {
  baseUrl?: string;
  paths?: Record<string, string[]>;
}

const CONFIG_NAMES = new Set(['tsconfig.json', 'jsconfig.json']);

export async function readPathAliases(
  root: string,
  files: string[],
  notes: Unrecognised[],
): Promise<PathAlias[]> {
  const aliases: PathAlias[] = [];
  for (const file of files) {
    if (!CONFIG_NAMES.has(path.posix.basename(file))) continue;
    const options = await compilerPaths(root, file, notes, 0);
    if (!options.paths) continue;
    const scope = path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file);
    const base = options.baseUrl ?? scope;
    for (const [pattern, targets] of Object.entries(options.paths)) {
      const wildcard = pattern.endsWith('*');
      aliases.push({
        scope,
        prefix: wildcard ? pattern.slice(0, -1) : pattern,
        wildcard,
        targets: targets.map((target) => path.posix.normalize(path.posix.join(base, target))),
      });
    }
  }
  // Longest prefix first, so `@app/db/*` wins over `@app/*`.
  return aliases.sort((a, b) => b.prefix.length - a.prefix.length);
}

/** `baseUrl` and `paths` of a config, following `extends` to local files. */
async function compilerPaths(
  root: string,
  file: string,
  notes: Unrecognised[],
  depth: number,
): Promise<CompilerPaths> {
  if (depth > 5) return {};
  const text = await readFile(path.join(root, file), 'utf8').catch(() => undefined);
  if (text === undefined) return {};
  const parsed = ts.parseConfigFileTextToJson(file, text);
  if (parsed.error) {
    notes.push({
      kind: 'unreadable-tsconfig',
      message: ts.flattenDiagnosticMessageText(parsed.error.messageText, ' '),
      at: { file, line: 1 },
    });
    return {};
  }
  const config = parsed.config as { extends?: string; compilerOptions?: CompilerPaths };
  const dir = path.posix.dirname(file);
  let inherited: CompilerPaths = {};
  if (typeof config.extends === 'string' && config.extends.startsWith('.')) {
    const parent = path.posix.normalize(path.posix.join(dir, config.extends));
    inherited = await compilerPaths(
      root,
      parent.endsWith('.json') ? parent : `${parent}.json`,
      notes,
      depth + 1,
    );
  }
  const own = config.compilerOptions ?? {};
  return {
    ...inherited,
    ...(own.baseUrl !== undefined
      ? { baseUrl: path.posix.normalize(path.posix.join(dir, own.baseUrl)) }
      : {}),
    ...(own.paths ? { paths: own.paths } : {}),
    // paths without their own baseUrl resolve against the config that declares them.
    ...(own.paths && own.baseUrl === undefined && inherited.baseUrl === undefined
      ? { baseUrl: dir === '.' ? '' : dir }
      : {}),
  };
}

/** Where an aliased specifier may point: candidate paths relative to the root, best first. */
export function aliasCandidates(
  aliases: readonly PathAlias[],
  fromFile: string,
  specifier: string,
): string[] {
  const candidates: string[] = [];
  for (const alias of aliases) {
    if (alias.scope !== '' && !fromFile.startsWith(`${alias.scope}/`)) continue;
    if (alias.wildcard ? !specifier.startsWith(alias.prefix) : specifier !== alias.prefix) continue;
    const rest = alias.wildcard ? specifier.slice(alias.prefix.length) : '';
    candidates.push(...alias.targets.map((target) => target.replace('*', rest)));
  }
  return candidates;
}
