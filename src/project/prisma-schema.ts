// Prisma schemas: which table each model is stored in, and its relation fields. The schema
// language is line-based: a `model X {` line opens a model, `@@map("x")` inside it names its
// table, and a field whose type is another model (`items OrderItem[]`) is a relation.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export interface PrismaSchema {
  /** Lower-cased model name (as the client spells it, `prisma.orderItem`) → table. */
  tables: Map<string, string>;
  /** Lower-cased model name → relation field → the related model's name. */
  relations: Map<string, Map<string, string>>;
  /**
   * Lower-cased model name → relation field → the table Prisma keeps an implicit many-to-many
   * relation in: `_<RelationName>`, or `_<A>To<B>` with the two models in alphabetical order.
   */
  joinTables: Map<string, Map<string, string>>;
}

interface Field {
  model: string;
  field: string;
  type: string;
  list: boolean;
  relationName?: string;
}

export async function readPrismaSchema(root: string, files: string[]): Promise<PrismaSchema> {
  const tables = new Map<string, string>();
  const fields: Field[] = [];
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
      } else if (model && first && second && /^\w+$/.test(first)) {
        const relationName = /@relation\(\s*(?:name:\s*)?"([^"]+)"/.exec(line)?.[1];
        fields.push({
          model,
          field: first,
          type: second.replace(/(\[\]|\?)$/, ''),
          list: second.endsWith('[]'),
          ...(relationName ? { relationName } : {}),
        });
      }
    }
  }
  const relations = new Map<string, Map<string, string>>();
  for (const { model, field, type } of fields) {
    if (!tables.has(type.toLowerCase())) continue;
    const own = relations.get(model.toLowerCase()) ?? new Map<string, string>();
    own.set(field, type);
    relations.set(model.toLowerCase(), own);
  }
  return { tables, relations, joinTables: implicitJoinTables(fields, tables) };
}

/** A list field whose other side is a list too, under the same relation name, is many-to-many. */
function implicitJoinTables(
  fields: readonly Field[],
  tables: ReadonlyMap<string, string>,
): Map<string, Map<string, string>> {
  const joinTables = new Map<string, Map<string, string>>();
  for (const field of fields) {
    if (!field.list || !tables.has(field.type.toLowerCase())) continue;
    const other = fields.find(
      (candidate) =>
        candidate !== field &&
        candidate.model === field.type &&
        candidate.type === field.model &&
        candidate.list &&
        candidate.relationName === field.relationName,
    );
    if (!other) continue;
    const name = field.relationName ?? [field.model, field.type].sort().join('To');
    const own = joinTables.get(field.model.toLowerCase()) ?? new Map<string, string>();
    own.set(field.field, `_${name}`);
    joinTables.set(field.model.toLowerCase(), own);
  }
  return joinTables;
}
