// Loads a project from disk: every package.json below the root is a package (a monorepo's
// services each have one), and every JavaScript or TypeScript file belongs to the nearest one.
import { readFileSync, statSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { SeamtestError } from '../errors.js';
import type { Unrecognised } from '../map/model.js';
import { readCompose } from './compose.js';
import { loadConfig } from './config.js';
import { readEnvFiles } from './env-files.js';
import { readPathAliases } from './module-aliases.js';
import { readOpenApi } from './openapi.js';
import { readPrismaSchema } from './prisma-schema.js';
import type { PackageManifest, Project, ProjectPackage, SourceFile } from './types.js';
import { walkFiles } from './walk.js';

const SOURCE_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx']);
/** Larger files are almost always generated or bundled; parsing them costs much and tells little. */
export const MAX_SOURCE_BYTES = 1024 * 1024;

export async function loadProject(dir: string): Promise<Project> {
  const root = path.resolve(dir);
  await assertIsProject(dir, root);
  const notes: Unrecognised[] = [];
  const relativePaths: string[] = [];
  for await (const file of walkFiles(root)) relativePaths.push(file);

  const packages = await readPackages(root, relativePaths, notes);
  const files: SourceFile[] = [];
  for (const file of relativePaths) {
    if (!SOURCE_EXTENSIONS.has(path.extname(file)) || file.endsWith('.d.ts') || isTestFile(file))
      continue;
    const owner = owningPackage(packages, file);
    const text = readSource(root, file, notes);
    if (owner && text !== undefined) files.push(describeSource(file, text, owner));
  }
  const rootPackage = packages.find((candidate) => candidate.dir === '');
  const sqlFiles = relativePaths.filter((file) => path.extname(file) === '.sql');
  const pathAliases = await readPathAliases(root, relativePaths, notes);
  const { config } = await loadConfig(root);
  const compose = await readCompose(root, relativePaths, notes);
  const prisma = await readPrismaSchema(root, relativePaths);
  const envFiles = readEnvFiles(root, relativePaths);
  const openApi = await readOpenApi(root, relativePaths, notes);
  return {
    root,
    name: rootPackage?.name ?? path.basename(root),
    packages,
    files,
    sqlFiles,
    pathAliases,
    prismaTables: prisma.tables,
    prismaRelations: prisma.relations,
    prismaJoinTables: prisma.joinTables,
    envFiles,
    openApi,
    compose,
    config,
    notes,
  };
}

/** Tests exercise the system; their servers and stubs are not part of it. */
const TEST_FOLDERS = new Set(['test', 'tests', '__tests__', '__mocks__', 'e2e']);

function isTestFile(file: string): boolean {
  const parts = file.split('/');
  const name = parts.at(-1) ?? '';
  return (
    parts.slice(0, -1).some((part) => TEST_FOLDERS.has(part)) ||
    /\.(test|spec)\.[cm]?[jt]sx?$/.test(name)
  );
}

async function assertIsProject(dir: string, root: string): Promise<void> {
  const info = await stat(root).catch(() => undefined);
  if (!info) {
    throw new SeamtestError('not-a-project', `${dir} does not exist; pass the folder of a project`);
  }
  if (!info.isDirectory()) {
    throw new SeamtestError(
      'not-a-project',
      `${dir} is not a folder; pass the folder of a project`,
    );
  }
  const manifest = await stat(path.join(root, 'package.json')).catch(() => undefined);
  // Services side by side, each with its own package.json and none at the top, are a system too.
  if (!manifest && !(await hasNestedPackage(root))) {
    throw new SeamtestError(
      'not-a-project',
      `${dir} has no package.json; pass the root folder of a Node.js project`,
    );
  }
}

/** A package.json one or two folders down (`orders/`, `services/orders/`). */
async function hasNestedPackage(root: string): Promise<boolean> {
  const folders = async (dir: string) =>
    (await readdir(dir, { withFileTypes: true }).catch(() => []))
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
      .filter((entry) => entry.name !== 'node_modules')
      .map((entry) => path.join(dir, entry.name));
  for (const first of await folders(root)) {
    for (const dir of [first, ...(await folders(first))]) {
      if (await stat(path.join(dir, 'package.json')).catch(() => undefined)) return true;
    }
  }
  return false;
}

async function readPackages(
  root: string,
  relativePaths: string[],
  notes: Unrecognised[],
): Promise<ProjectPackage[]> {
  const packages: ProjectPackage[] = [];
  for (const file of relativePaths) {
    if (path.posix.basename(file) !== 'package.json') continue;
    const dir = path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file);
    const text = await readFile(path.join(root, file), 'utf8');
    let manifest: PackageManifest;
    try {
      manifest = JSON.parse(text) as PackageManifest;
    } catch (error) {
      notes.push({
        kind: 'unreadable-package-json',
        message: `not valid JSON: ${(error as Error).message}`,
        at: { file, line: 1 },
      });
      continue;
    }
    const dependencies = new Set([
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.devDependencies ?? {}),
    ]);
    packages.push({
      dir,
      name: manifest.name ?? (dir || path.basename(root)),
      manifest,
      dependencies,
    });
  }
  // Deepest first, so the nearest package wins when a file is looked up.
  return packages.sort((a, b) => b.dir.length - a.dir.length);
}

function owningPackage(packages: ProjectPackage[], file: string): ProjectPackage | undefined {
  return packages.find((candidate) => candidate.dir === '' || file.startsWith(`${candidate.dir}/`));
}

// Read synchronously: a thousand small reads, each awaited in turn, cost a quarter of a second
// in hops through the thread pool, and nothing else runs meanwhile.
function readSource(root: string, file: string, notes: Unrecognised[]): string | undefined {
  const absolute = path.join(root, file);
  const { size } = statSync(absolute);
  if (size > MAX_SOURCE_BYTES) {
    notes.push({
      kind: 'skipped-large-file',
      message: `skipped: ${(size / 1024 / 1024).toFixed(1)} MB is over the ${MAX_SOURCE_BYTES / 1024 / 1024} MB limit for source files (usually generated code)`,
      at: { file, line: 1 },
    });
    return undefined;
  }
  const buffer = readFileSync(absolute);
  if (buffer.subarray(0, 8192).includes(0)) {
    notes.push({
      kind: 'skipped-binary-file',
      message: 'skipped: binary content',
      at: { file, line: 1 },
    });
    return undefined;
  }
  return buffer.toString('utf8');
}

function describeSource(file: string, text: string, owner: ProjectPackage): SourceFile {
  const extension = path.extname(file);
  const language = ['.ts', '.mts', '.cts', '.tsx'].includes(extension)
    ? 'typescript'
    : 'javascript';
  let moduleSystem: SourceFile['moduleSystem'] =
    owner.manifest.type === 'module' ? 'esm' : 'commonjs';
  if (extension === '.mjs' || extension === '.mts') moduleSystem = 'esm';
  if (extension === '.cjs' || extension === '.cts') moduleSystem = 'commonjs';
  return { path: file, text, package: owner, language, moduleSystem };
}
