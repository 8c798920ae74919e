// Prisma: `prisma.user.findMany()` and the like on a `new PrismaClient()`, mapped to the table
// the model is stored in (`@@map("users")` in schema.prisma, or the model's name), and the
// interactive `$transaction(async (tx) => …)` whose queries share one transaction.
import type * as TS from 'typescript';
import { ts } from '../typescript.js';
import { callbackOf, methodCall, nameOf, propertyOf } from './analysis/calls.js';
import { callExpressionsOf } from './analysis/file-nodes.js';
import { unwrap } from './analysis/values.js';
import type { DetectContext, Detector, SqlFact } from './types.js';

const ACTIONS: Record<string, SqlFact['action']> = {
  findMany: 'select',
  findUnique: 'select',
  findUniqueOrThrow: 'select',
  findFirst: 'select',
  findFirstOrThrow: 'select',
  count: 'select',
  aggregate: 'select',
  groupBy: 'select',
  create: 'insert',
  createMany: 'insert',
  createManyAndReturn: 'insert',
  update: 'update',
  updateMany: 'update',
  upsert: 'upsert',
  delete: 'delete',
  deleteMany: 'delete',
};

export const prismaDetector: Detector = {
  name: 'prisma',
  enabledBy: ['@prisma/client', 'prisma'],
  detect(ctx) {
    const visit = (node: TS.Node): void => {
      const call = methodCall(node);
      const action = call && ACTIONS[call.method];
      if (call && action && ts.isPropertyAccessExpression(call.receiver)) {
        const client = call.receiver.expression;
        const model = call.receiver.name.text;
        if (isPrismaClient(ctx, client) && !model.startsWith('$')) {
          const related = relatedQueries(ctx, model, call.call.arguments[0]);
          // Prisma runs a write and its nested writes in one transaction of its own.
          const atomic = related.some((query) => query.action !== 'select');
          const interactive = callbackOf(client, '$transaction');
          const connection = interactive ?? (atomic ? call.call : undefined);
          ctx.report({
            kind: 'sql',
            driver: 'prisma',
            action,
            table: tableOf(ctx, model),
            // Queries on the `tx` of an interactive transaction share it.
            connection,
            node: nameOf(call.call),
          });
          for (const query of related) {
            ctx.report({
              kind: 'sql',
              driver: 'prisma',
              action: query.action,
              table: query.table ?? tableOf(ctx, query.model),
              connection,
              node: query.node,
            });
          }
          if (connection) {
            ctx.report({
              kind: 'transaction',
              statement: 'begin',
              connection,
              // Placed before the query so that the query and its nested writes follow it.
              node: interactive ? client : call.receiver,
            });
          }
        }
      }
    };
    for (const node of callExpressionsOf(ctx.file.ast)) visit(node);
  },
};

function isPrismaClient(ctx: DetectContext, expression: TS.Expression): boolean {
  if (callbackOf(expression, '$transaction')) return true;
  const value = ctx.values.valueOf(expression);
  if (value?.kind === 'library') return value.module === '@prisma/client';
  // NestJS's recipe: `class PrismaService extends PrismaClient`, injected where it is used.
  if (value?.kind === 'instance') return extendsPrismaClient(ctx, value.node);
  // An untyped or global client (`global.prisma || new PrismaClient()`): go by its name.
  return !value && /prisma|db/i.test(expression.getText());
}

function extendsPrismaClient(ctx: DetectContext, owner: TS.ClassLikeDeclaration): boolean {
  return (owner.heritageClauses ?? []).some(
    (clause) =>
      clause.token === ts.SyntaxKind.ExtendsKeyword &&
      clause.types.some((type) => {
        const base = ctx.values.valueOf(type.expression);
        return base?.kind === 'library' && base.module === '@prisma/client';
      }),
  );
}

/** `user` → the table of model User: its `@@map` name, or the model name itself. */
function tableOf(ctx: DetectContext, model: string): string {
  return (
    ctx.index.project.prismaTables.get(model.toLowerCase()) ??
    model.charAt(0).toUpperCase() + model.slice(1)
  );
}

interface RelatedQuery {
  action: SqlFact['action'];
  model: string;
  /** A table that is not the model's own: the join table of a many-to-many relation. */
  table?: string;
  node: TS.Node;
}

/** What nested writes on a many-to-many relation do to its join table. */
const JOIN_WRITES: Record<string, SqlFact['action'][]> = {
  connect: ['insert'],
  connectOrCreate: ['insert'],
  create: ['insert'],
  disconnect: ['delete'],
  delete: ['delete'],
  deleteMany: ['delete'],
  set: ['delete', 'insert'],
};

const NESTED_WRITES: Record<string, SqlFact['action']> = {
  create: 'insert',
  createMany: 'insert',
  connectOrCreate: 'insert',
  update: 'update',
  updateMany: 'update',
  upsert: 'upsert',
  delete: 'delete',
  deleteMany: 'delete',
};

/**
 * The related models a query also touches, by the relation fields of schema.prisma: `include`
 * and relation fields in `select` read them; nested `create`/`update`/`delete` in `data` write.
 */
function relatedQueries(
  ctx: DetectContext,
  model: string,
  argument: TS.Expression | undefined,
): RelatedQuery[] {
  const args = argument && unwrap(argument);
  if (!args) return [];
  return [
    ...selection(ctx, model, propertyOf(args, 'include')),
    ...selection(ctx, model, propertyOf(args, 'select')),
    ...['data', 'create', 'update'].flatMap((key) => writes(ctx, model, propertyOf(args, key))),
  ];
}

function relationsOf(ctx: DetectContext, model: string): Map<string, string> | undefined {
  return ctx.index.project.prismaRelations.get(model.toLowerCase());
}

function joinTableOf(ctx: DetectContext, model: string, field: string): string | undefined {
  return ctx.index.project.prismaJoinTables.get(model.toLowerCase())?.get(field);
}

function selection(
  ctx: DetectContext,
  model: string,
  expression: TS.Expression | undefined,
  depth = 0,
): RelatedQuery[] {
  const found: RelatedQuery[] = [];
  for (const { name, value } of properties(expression)) {
    // `_count: { select: { posts: true } }` counts related rows: a read of them too.
    if (name.text === '_count' && depth < 8) {
      const counted = value && ts.isObjectLiteralExpression(value) ? value : undefined;
      found.push(...selection(ctx, model, propertyOf(counted, 'select'), depth + 1));
      continue;
    }
    const related = relationsOf(ctx, model)?.get(name.text);
    if (!related || value?.kind === ts.SyntaxKind.FalseKeyword) continue;
    found.push({ action: 'select', model: related, node: name });
    const join = joinTableOf(ctx, model, name.text);
    if (join) found.push({ action: 'select', model: related, table: join, node: name });
    if (value && ts.isObjectLiteralExpression(value) && depth < 8) {
      found.push(
        ...selection(ctx, related, propertyOf(value, 'include'), depth + 1),
        ...selection(ctx, related, propertyOf(value, 'select'), depth + 1),
      );
    }
  }
  return found;
}

function writes(
  ctx: DetectContext,
  model: string,
  expression: TS.Expression | undefined,
  depth = 0,
): RelatedQuery[] {
  const found: RelatedQuery[] = [];
  for (const { name, value } of properties(expression)) {
    const related = relationsOf(ctx, model)?.get(name.text);
    if (!related || depth > 8) continue;
    const join = joinTableOf(ctx, model, name.text);
    for (const nested of properties(value)) {
      for (const joinAction of join ? (JOIN_WRITES[nested.name.text] ?? []) : []) {
        found.push({ action: joinAction, model: related, table: join, node: nested.name });
      }
      const action = NESTED_WRITES[nested.name.text];
      if (!action) continue;
      found.push({ action, model: related, node: nested.name });
      // A nested create can itself create related rows: `create: { items: { create: [...] } }`.
      const created = nested.value && unwrap(nested.value);
      const records =
        created && ts.isArrayLiteralExpression(created)
          ? created.elements
          : created
            ? [created]
            : [];
      if (nested.name.text === 'create') {
        for (const record of records) found.push(...writes(ctx, related, record, depth + 1));
      }
    }
  }
  return found;
}

/** The `name: value` properties of an object literal (shorthand ones have no value here). */
function properties(
  expression: TS.Expression | undefined,
): { name: TS.Identifier | TS.StringLiteral; value: TS.Expression | undefined }[] {
  const object = expression && unwrap(expression);
  if (!object || !ts.isObjectLiteralExpression(object)) return [];
  return object.properties.flatMap((property) => {
    const name = property.name;
    if (!name || !(ts.isIdentifier(name) || ts.isStringLiteral(name))) return [];
    const value = ts.isPropertyAssignment(property) ? unwrap(property.initializer) : undefined;
    return [{ name, value }];
  });
}
