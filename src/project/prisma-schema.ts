// Prisma schemas: which table each model is stored in. The schema language is line-based: a
// `model X {` line opens a model and `@@map("x")` inside it names its table.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** Lower-cased model name (as the client spells it, `prisma.orderItem`) → table. */
export async function readPrismaTables(
  root: string,
  files: string[],
): Promise<Map<string, string>> {
  const tables = new Map<string, string>();
  for (const file of files.filter((candidate) => candidate.endsWith('.prisma'))) {
    let model: string | undefined;
    for (const line of (await readFile(path.join(root, file), 'utf8')).split('\n')) {
      const [first, second] = line.trim().split(/\s+/);
      if (first === 'model' && second) {
        model = second;
        tables.set(model.toLowerCase(), model);
      } else if (
        first === 'provider' &&
        model === undefined &&
        /^"(postgresql|mysql|sqlite|sqlserver|mongodb|cockroachdb)"$/.test(
          line.split('=')[1]?.trim() ?? '',
        )
      ) {
        // The datasource's provider, kept under a key no model can have.
        tables.set('$provider', line.split('=')[1]?.trim().replace(/"/g, '') ?? '');
      } else if (model && first?.startsWith('@@map(')) {
        tables.set(model.toLowerCase(), first.slice('@@map('.length).replace(/["')]/g, ''));
      } else if (first === '}') {
        model = undefined;
      }
    }
  }
  return tables;
}
