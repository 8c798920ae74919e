// `map --out DIR`: writes integration-map.json and integration-map.md side by side.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { IntegrationMap } from './model.js';
import { renderMarkdown } from './render-markdown.js';
import { serialiseMap } from './serialise.js';

export async function writeMapFiles(map: IntegrationMap, outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const written = [
    [path.join(outDir, 'integration-map.json'), serialiseMap(map)],
    [path.join(outDir, 'integration-map.md'), renderMarkdown(map)],
  ] as const;
  // Render both before writing either, so a failure leaves nothing half-written.
  for (const [file, content] of written) await writeFile(file, content);
  return written.map(([file]) => file);
}
