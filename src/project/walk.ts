// Lists a project's files without following symlinks (so a link loop cannot trap it) and without
// descending into folders that hold installed or built code.
import { readdir } from 'node:fs/promises';
import path from 'node:path';

const SKIPPED_FOLDERS = new Set([
  'node_modules',
  '.git',
  'dist',
  'build',
  'coverage',
  '.next',
  '.turbo',
  '.cache',
  '.seamtest',
]);

/** Yields paths relative to `root`, with forward slashes. */
export async function* walkFiles(root: string, relative = ''): AsyncGenerator<string> {
  const entries = await readdir(path.join(root, relative), { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const child = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name)) {
      yield* walkFiles(root, child);
    } else if (entry.isFile()) {
      yield child;
    }
  }
}
