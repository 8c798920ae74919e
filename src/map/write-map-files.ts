// `map --out DIR`: writes integration-map.json and integration-map.md side by side.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { IntegrationMap } from './model.js';
import { renderMarkdown } from './render-markdown.js';
import { serialiseMap } from './serialise.js';

/** `projectDir` is where the map's paths are relative to, so the Markdown links resolve. */
export async function writeMapFiles(
  map: IntegrationMap,
  outDir: string,
  projectDir: string,
): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const written = [
    [path.join(outDir, 'integration-map.json'), serialiseMap(map)],
    [
      path.join(outDir, 'integration-map.md'),
      renderMarkdown(map, { linkBase: linkBase(outDir, projectDir) }),
    ],
  ] as const;
  // Render both before writing either, so a failure leaves nothing half-written.
  for (const [file, content] of written) await writeFile(file, content);
  return written.map(([file]) => file);
}

function linkBase(outDir: string, projectDir: string): string {
  const relative = path
    .relative(path.resolve(outDir), path.resolve(projectDir))
    .split(path.sep)
    .join('/');
  return relative === '' ? '' : `${relative}/`;
}
