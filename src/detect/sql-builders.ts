// Type-safe query builders: Kysely (`db.selectFrom('person')`, `insertInto`, `updateTable`,
// `deleteFrom`, `.forUpdate()`) and Drizzle (`db.select().from(users)`, `db.insert(users)`,
// `db.update(users)`, `db.delete(users)` on tables declared with `pgTable('users', …)`), with
// the transactions they run callbacks in.
import type * as TS from 'typescript';
import { ts } from '../typescript.js';
import { callbackOf, forEachMethodCall, methodCall, nameOf } from './analysis/calls.js';
import { definitionOf } from './analysis/definitions.js';
import { unwrap } from './analysis/values.js';
import { installedDatabase } from './database-driver.js';
import type { DetectContext, Detector, SqlFact } from './types.js';

const KYSELY: Record<string, SqlFact['action']> = {
  selectFrom: 'select',
  insertInto: 'insert',
  replaceInto: 'upsert',
  updateTable: 'update',
  deleteFrom: 'delete',
  mergeInto: 'upsert',
};

const DRIZZLE: Record<string, SqlFact['action']> = {
  insert: 'insert',
  update: 'update',
  delete: 'delete',
};
const DRIZZLE_TABLES = new Set(['pgTable', 'mysqlTable', 'sqliteTable']);

export const sqlBuildersDetector: Detector = {
  name: 'sql-builders',
  enabledBy: ['kysely', 'drizzle-orm'],
  detect(ctx) {
    forEachMethodCall(ctx.file.ast, (call, method, receiver) => read(ctx, call, method, receiver));
  },
};

function read(
  ctx: DetectContext,
  call: TS.CallExpression,
  method: string,
  receiver: TS.Expression,
): void {
  const [first] = call.arguments;
  if (!first) return;
  const kysely = KYSELY[method];
  if (kysely && isBuilder(ctx, receiver, 'kysely')) {
    const table = ctx.strings.literal(first)?.split(/\s+as\s+/i)[0];
    if (table) report(ctx, call, receiver, kysely, table, lockAfter(call));
    return;
  }
  const drizzle = method === 'from' ? 'select' : DRIZZLE[method];
  if (!drizzle || !isBuilder(ctx, receiver, 'drizzle-orm')) return;
  const table = drizzleTable(ctx, first);
  if (table)
    report(
      ctx,
      call,
      receiver,
      drizzle === 'insert' && chainHas(call, 'onConflictDoUpdate') ? 'upsert' : drizzle,
      table,
      lockAfter(call),
    );
}

function report(
  ctx: DetectContext,
  call: TS.CallExpression,
  receiver: TS.Expression,
  action: SqlFact['action'],
  table: string,
  lock: SqlFact['lock'],
): void {
  const transaction =
    callbackOf(rootOf(receiver), 'transaction') ?? callbackOf(rootOf(receiver), 'execute');
  const technology = installedDatabase(ctx.file.source.package);
  ctx.report({
    kind: 'sql',
    driver: 'query-builder',
    ...(technology ? { technology } : {}),
    action,
    table,
    ...(lock && action === 'select' ? { lock } : {}),
    connection: transaction,
    node: nameOf(call),
  });
  if (transaction)
    ctx.report({
      kind: 'transaction',
      statement: 'begin',
      connection: transaction,
      node: rootOf(receiver),
    });
}

/** A Kysely instance (`new Kysely(…)`), a Drizzle database (`drizzle(…)`), or a transaction of one. */
function isBuilder(ctx: DetectContext, expression: TS.Expression, module: string): boolean {
  const root = rootOf(expression);
  if (callbackOf(root, 'transaction') || callbackOf(root, 'execute')) return true;
  const value = ctx.values.valueOf(root);
  return value?.kind === 'library' && value.module.startsWith(module);
}

/** The object a chain starts from: `db` in `db.select().from(…)`. */
function rootOf(expression: TS.Expression): TS.Expression {
  let current = unwrap(expression);
  for (let link = methodCall(current); link; link = methodCall(current))
    current = unwrap(link.receiver);
  return current;
}

/** `users` → the name given to `pgTable('users', …)` where it was declared. */
function drizzleTable(ctx: DetectContext, argument: TS.Expression): string | undefined {
  const definition = definitionOf(ctx.index, unwrap(argument));
  if (!definition || !ts.isCallExpression(definition)) return undefined;
  const callee = definition.expression;
  const name = ts.isIdentifier(callee)
    ? callee.text
    : ts.isPropertyAccessExpression(callee)
      ? callee.name.text
      : '';
  if (!DRIZZLE_TABLES.has(name) || !definition.arguments[0]) return undefined;
  return ctx.strings.literal(definition.arguments[0]);
}

/** `.forUpdate()` / `.for('update')` later in the same chain. */
function lockAfter(call: TS.CallExpression): SqlFact['lock'] {
  return chainHas(call, 'forUpdate')
    ? 'for-update'
    : chainHas(call, 'forShare')
      ? 'for-share'
      : undefined;
}

function chainHas(call: TS.CallExpression, method: string): boolean {
  for (
    let node: TS.Node = call;
    ts.isPropertyAccessExpression(node.parent) && ts.isCallExpression(node.parent.parent);
    node = node.parent.parent
  ) {
    if (node.parent.name.text === method) return true;
  }
  return false;
}
