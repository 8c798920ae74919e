// Generated files are formatted with Biome (BIOME_CONFIG) before they are
// hashed and written: a rerun then compares like with like, and the user's formatter agrees.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { EmittedFile } from './dialect.js';

export const BIOME_CONFIG = {
  formatter: { enabled: true, indentStyle: 'space', indentWidth: 2, lineWidth: 100 },
  javascript: { formatter: { quoteStyle: 'single' } },
  json: { formatter: { enabled: true } },
};

/** Formats TypeScript and JSON with Biome; files stay as they are when Biome is not installed. */
export function formatFiles(files: EmittedFile[]): EmittedFile[] {
  let biome: string;
  try {
    biome = createRequire(import.meta.url).resolve('@biomejs/biome/bin/biome');
  } catch {
    return files;
  }
  const dir = mkdtempSync(join(tmpdir(), 'seamtest-format-'));
  try {
    const formattable = files.filter((file) => /\.(ts|json|md)$/.test(file.path));
    for (const file of formattable) {
      mkdirSync(dirname(join(dir, file.path)), { recursive: true });
      writeFileSync(join(dir, file.path), file.content);
    }
    writeFileSync(join(dir, 'biome.json'), JSON.stringify({ root: true, ...BIOME_CONFIG }));
    // Biome 2 settles some call chains only on a second pass: format twice.
    for (let pass = 0; pass < 2; pass++) {
      spawnSync(process.execPath, [biome, 'format', '--write', '--config-path', dir, dir], {
        encoding: 'utf8',
      });
    }
    return files.map((file) =>
      formattable.includes(file)
        ? { ...file, content: readFileSync(join(dir, file.path), 'utf8') }
        : file,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
