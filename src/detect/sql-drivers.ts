// MySQL through mysql2 and SQLite through better-sqlite3 or sqlite3: the SQL of each query with
// the tables it reads and writes, and the transactions the drivers' own methods open.
import type * as TS from 'typescript';
import { ts } from '../typescript.js';
import { forEachMethodCall, nameOf, propertyOf } from './analysis/calls.js';
import { unwrap } from './analysis/values.js';
import { reportSqlText } from './pg.js';
import type { DetectContext, Detector } from './types.js';

interface Driver {
  modules: string[];
  dialect: 'mysql' | 'sqlite';
  /** Methods whose first argument is SQL text. */
  query: Set<string>;
}

const DRIVERS: Driver[] = [
  {
    modules: ['mysql2', 'mysql2/promise', 'mysql'],
    dialect: 'mysql',
    query: new Set(['query', 'execute']),
  },
  { modules: ['better-sqlite3'], dialect: 'sqlite', query: new Set(['prepare', 'exec']) },
  {
    modules: ['sqlite3', 'sqlite'],
    dialect: 'sqlite',
    query: new Set(['run', 'get', 'all', 'each', 'exec', 'prepare']),
  },
];

export const sqlDriversDetector: Detector = {
  name: 'sql-drivers',
  enabledBy: DRIVERS.flatMap((driver) => driver.modules),
  detect(ctx) {
    forEachMethodCall(ctx.file.ast, (call, method, receiver) => read(ctx, call, method, receiver));
  },
};

function driverOf(
  ctx: DetectContext,
  receiver: TS.Expression,
): { driver: Driver; site: TS.Node | undefined } | undefined {
  const value = ctx.values.valueOf(receiver);
  if (value?.kind !== 'library') return undefined;
  const driver = DRIVERS.find((candidate) => candidate.modules.includes(value.module));
  return driver ? { driver, site: value.site } : undefined;
}

function read(
  ctx: DetectContext,
  call: TS.CallExpression,
  method: string,
  receiver: TS.Expression,
): void {
  const found = driverOf(ctx, receiver);
  if (!found) return;
  const { driver, site } = found;
  if (driver.query.has(method) && call.arguments[0]) {
    const first = unwrap(call.arguments[0]);
    // mysql2 also takes `{ sql, values }`.
    const textArgument = ts.isObjectLiteralExpression(first) ? propertyOf(first, 'sql') : first;
    if (textArgument) {
      reportSqlText(ctx, {
        driver: driver.modules[0] as string,
        dialect: driver.dialect,
        call,
        textArgument,
        connection: site,
        known: true,
      });
    }
  } else if (method === 'beginTransaction' || method === 'commit' || method === 'rollback') {
    const statement = method === 'beginTransaction' ? 'begin' : method;
    ctx.report({ kind: 'transaction', statement, connection: site, node: nameOf(call) });
  } else if (method === 'transaction' && driver.dialect === 'sqlite') {
    // better-sqlite3 `db.transaction(fn)`: what fn runs is one transaction.
    const fn = call.arguments[0] && unwrap(call.arguments[0]);
    if (fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) {
      ctx.report({ kind: 'transaction', statement: 'begin', connection: site, node: fn.body });
    }
  }
}
