// Writing a suite into a folder the user owns: a file seamtest wrote before and the user has
// edited since is left alone unless forced; files seamtest no longer generates are removed only
// when untouched. The manifest remembers what was written, by content hash.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { EmittedFile } from './dialect.js';

export const MANIFEST = 'seamtest-manifest.json';

export interface WriteReport {
  written: string[];
  unchanged: string[];
  /** Edited by the user since seamtest wrote them: kept as they are. */
  kept: string[];
  removed: string[];
}

export function hash(content: string): string {
  return createHash('sha256').update(content).digest('hex');
}

export function previousHashes(dir: string): Record<string, string> {
  const path = join(dir, MANIFEST);
  if (!existsSync(path)) return {};
  try {
    return (
      (JSON.parse(readFileSync(path, 'utf8')) as { files?: Record<string, string> }).files ?? {}
    );
  } catch {
    return {};
  }
}

export async function writeOwnedFiles(
  dir: string,
  files: EmittedFile[],
  force: boolean,
): Promise<WriteReport> {
  const before = previousHashes(dir);
  const report: WriteReport = { written: [], unchanged: [], kept: [], removed: [] };
  for (const file of files) {
    const path = join(dir, file.path);
    if (existsSync(path)) {
      const current = hash(readFileSync(path, 'utf8'));
      if (current === hash(file.content)) {
        report.unchanged.push(file.path);
        continue;
      }
      // The manifest is seamtest's own record, never a user's file.
      if (!force && file.path !== MANIFEST && before[file.path] !== current) {
        report.kept.push(file.path);
        continue;
      }
    }
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.content);
    report.written.push(file.path);
  }
  const now = new Set(files.map((file) => file.path));
  for (const [path, written] of Object.entries(before)) {
    if (now.has(path) || path === MANIFEST) continue;
    const full = join(dir, path);
    if (!existsSync(full)) continue;
    if (force || hash(readFileSync(full, 'utf8')) === written) {
      await rm(full);
      report.removed.push(path);
    } else report.kept.push(path);
  }
  return report;
}
