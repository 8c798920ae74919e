// Prisma: `prisma.user.findMany()` and the like on a `new PrismaClient()`, mapped to the table
// the model is stored in (`@@map("users")` in schema.prisma, or the model's name), and the
// interactive `$transaction(async (tx) => …)` whose queries share one transaction.
import type * as TS from 'typescript';
import { ts } from '../typescript.js';
import { callbackOf, methodCall, nameOf } from './analysis/calls.js';
import { callExpressionsOf } from './analysis/file-nodes.js';
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
          ctx.report({
            kind: 'sql',
            driver: 'prisma',
            action,
            table: tableOf(ctx, model),
            // Queries on the `tx` of an interactive transaction share it.
            connection: callbackOf(client, '$transaction'),
            node: nameOf(call.call),
          });
          if (callbackOf(client, '$transaction')) {
            ctx.report({
              kind: 'transaction',
              statement: 'begin',
              connection: callbackOf(client, '$transaction'),
              node: client,
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
  // An untyped or global client (`global.prisma || new PrismaClient()`): go by its name.
  return !value && /prisma|db/i.test(expression.getText());
}

/** `user` → the table of model User: its `@@map` name, or the model name itself. */
function tableOf(ctx: DetectContext, model: string): string {
  return (
    ctx.index.project.prismaTables.get(model.toLowerCase()) ??
    model.charAt(0).toUpperCase() + model.slice(1)
  );
}
