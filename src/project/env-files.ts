// `.env`, `.env.example` and their kin: the names of the variables a service expects. Only names
// and lines are read; values never leave the file (they may be real secrets).
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface EnvFile {
  /** Relative to the project root. */
  file: string;
  /** Its folder, '' for the root. */
  dir: string;
  names: { name: string; line: number }[];
}

const ENV_FILE = /^\.env(\.[\w.-]+)?$/;
const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/;
/** Templates first: they are written to be complete, where a local `.env` may not be. */
const PREFERENCE = ['.env.example', '.env.sample', '.env.template', '.env.defaults', '.env'];

export function readEnvFiles(root: string, files: readonly string[]): EnvFile[] {
  const found: EnvFile[] = [];
  for (const file of files) {
    if (!ENV_FILE.test(path.posix.basename(file))) continue;
    let text: string;
    try {
      text = readFileSync(path.join(root, file), 'utf8');
    } catch {
      continue;
    }
    const names: EnvFile['names'] = [];
    for (const [index, line] of text.split('\n').entries()) {
      const name = ASSIGNMENT.exec(line)?.[1];
      if (name && !names.some((known) => known.name === name))
        names.push({ name, line: index + 1 });
    }
    const dir = path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file);
    found.push({ file, dir, names });
  }
  return found.sort((a, b) => rank(a.file) - rank(b.file) || a.file.localeCompare(b.file));
}

function rank(file: string): number {
  const position = PREFERENCE.indexOf(path.posix.basename(file));
  return position < 0 ? PREFERENCE.length : position;
}
