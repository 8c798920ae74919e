// knex: query chains such as `db('users').where(…).first()`, `db.insert(row).into('orders')`,
// `db('stock').forUpdate()`, raw SQL through `db.raw(sql)`, and `db.transaction(async (trx) => …)`
// whose queries share one transaction.
import type * as TS from 'typescript';
import { ts } from '../typescript.js';
import { callbackOf, methodCall, nameOf, propertyOf } from './analysis/calls.js';
import { callExpressionsOf } from './analysis/file-nodes.js';
import { findDeclaration } from './analysis/scope.js';
import { unwrap } from './analysis/values.js';
import { DRIVER_DATABASES, installedDatabase } from './database-driver.js';
import { reportSqlText } from './pg.js';
import type { DetectContext, Detector, SqlFact } from './types.js';

const WRITES: Record<string, SqlFact['action']> = {
  insert: 'insert',
  update: 'update',
  increment: 'update',
  decrement: 'update',
  del: 'delete',
  delete: 'delete',
  truncate: 'delete',
};
const UPSERT = new Set(['onConflict', 'upsert']);

export const knexDetector: Detector = {
  name: 'knex',
  enabledBy: ['knex'],
  detect(ctx) {
    const visit = (node: TS.Node): void => {
      if (ts.isCallExpression(node) && isChainEnd(node)) readChain(ctx, node);
    };
    for (const node of callExpressionsOf(ctx.file.ast)) visit(node);
  },
};

/** The outermost call of a chain: `db('t').where(…).first()` is read once, from its end. */
function isChainEnd(call: TS.CallExpression): boolean {
  const parent = call.parent;
  return !(
    ts.isPropertyAccessExpression(parent) &&
    parent.expression === call &&
    ts.isCallExpression(parent.parent)
  );
}

interface Chain {
  root: TS.Expression;
  links: { method: string; call: TS.CallExpression }[];
  /** `db('users')`: the call that names the table. */
  tableCall?: TS.CallExpression;
}

function chainOf(ctx: DetectContext, call: TS.CallExpression, depth = 0): Chain {
  const links: Chain['links'] = [];
  let current: TS.Expression = call;
  let tableCall: TS.CallExpression | undefined;
  for (;;) {
    const node = unwrap(current);
    const link = methodCall(node);
    // `fastify.knex('tasks')`: a knex instance held by a member is called, not a method.
    const calledInstance = link && !tableCall && isKnexInstance(ctx, link.call.expression);
    if (link && !calledInstance) {
      links.unshift({ method: link.method, call: link.call });
      current = link.receiver;
      continue;
    }
    if (ts.isCallExpression(node)) {
      tableCall = node;
      current = node.expression;
      continue;
    }
    // `const query = db('tasks').select('*'); … await query.limit(10)`: the chain goes on from
    // where the constant's chain ended.
    const continued = ts.isIdentifier(node) && depth < 4 ? chainHeldBy(node) : undefined;
    if (continued) {
      const earlier = chainOf(ctx, continued, depth + 1);
      return { ...earlier, links: [...earlier.links, ...links] };
    }
    return { root: node, links, ...(tableCall ? { tableCall } : {}) };
  }
}

function chainHeldBy(identifier: TS.Identifier): TS.CallExpression | undefined {
  const declaration = findDeclaration(identifier, NO_IMPORTS);
  if (declaration?.kind !== 'variable' || declaration.path.length > 0) return undefined;
  const isConst = (declaration.node.parent.flags & ts.NodeFlags.Const) !== 0;
  const initializer = declaration.node.initializer && unwrap(declaration.node.initializer);
  return isConst && initializer && ts.isCallExpression(initializer) ? initializer : undefined;
}

const NO_IMPORTS = new Map<string, never>();

/** The instance `knex({ … })` made, and not a builder or method reached from it. */
function isKnexInstance(ctx: DetectContext, expression: TS.Expression): boolean {
  const value = ctx.values.valueOf(expression);
  return value?.kind === 'library' && value.module === 'knex' && value.path.join(',') === '()';
}

function isKnex(
  ctx: DetectContext,
  expression: TS.Expression,
): { site: TS.Node | undefined } | undefined {
  const value = ctx.values.valueOf(expression);
  if (value?.kind === 'library' && value.module === 'knex') return { site: value.site };
  return callbackOf(expression, 'transaction')
    ? { site: callbackOf(expression, 'transaction') }
    : undefined;
}

function readChain(ctx: DetectContext, end: TS.CallExpression): void {
  const chain = chainOf(ctx, end);
  const client = isKnex(ctx, chain.root);
  if (!client) return;
  const raw = chain.links.find((link) => link.method === 'raw');
  // `select(db.raw('count(*) OVER() as total'))`: a fragment of another query, not a statement.
  if (raw && isArgumentOfCall(end)) return;
  if (raw?.call.arguments[0]) {
    reportSqlText(ctx, {
      driver: 'knex',
      dialect: 'postgresql',
      call: raw.call,
      textArgument: raw.call.arguments[0],
      connection: client.site,
      known: true,
    });
    return;
  }
  const table = tableOf(ctx, chain);
  if (!table) return;
  const write = chain.links.map((link) => WRITES[link.method]).find(Boolean);
  const upsert = chain.links.some((link) => UPSERT.has(link.method));
  const lock = chain.links.some((link) => link.method === 'forUpdate')
    ? 'for-update'
    : chain.links.some((link) => link.method === 'forShare')
      ? 'for-share'
      : undefined;
  const action: SqlFact['action'] = write === 'insert' && upsert ? 'upsert' : (write ?? 'select');
  const connection = client.site;
  const technology = technologyOf(ctx, client.site);
  ctx.report({
    kind: 'sql',
    driver: 'knex',
    ...(technology ? { technology } : {}),
    action,
    table,
    ...(lock && action === 'select' ? { lock } : {}),
    connection,
    node: nameOf(end),
  });
  if (callbackOf(chain.root, 'transaction'))
    ctx.report({ kind: 'transaction', statement: 'begin', connection, node: chain.root });
}

function isArgumentOfCall(node: TS.Node): boolean {
  const parent = node.parent;
  return ts.isCallExpression(parent) && parent.arguments.includes(node as TS.Expression);
}

/** `db('users')`, `db.from('users')`, `db.insert(row).into('users')`, `db.table('users')`. */
function tableOf(ctx: DetectContext, chain: Chain): string | undefined {
  const named =
    chain.tableCall?.arguments[0] ??
    chain.links.find((link) => ['from', 'into', 'table'].includes(link.method))?.call.arguments[0];
  const text = named && ctx.strings.literal(named);
  // `'users as u'` names the table users.
  return text?.split(/\s+as\s+|\s+/i)[0];
}

/** `knex({ client: 'mysql2' })`; when the instance cannot be seen, the driver the package has. */
function technologyOf(ctx: DetectContext, site: TS.Node | undefined): string | undefined {
  const config = site && ts.isCallExpression(site) ? site.arguments[0] : undefined;
  const client =
    config && ts.isObjectLiteralExpression(unwrap(config))
      ? propertyOf(unwrap(config), 'client')
      : undefined;
  const name = client && ctx.strings.literal(client);
  if (name && DRIVER_DATABASES[name]) return DRIVER_DATABASES[name];
  return installedDatabase(ctx.file.source.package);
}
