// node-postgres (`pg`): `query(text, values)` and `query({ text })` on a Pool, a Client or a
// client checked out with `pool.connect()`; tables read and written, row locks, and the
// BEGIN/COMMIT/ROLLBACK that make a transaction on one checked-out client.
import type * as TS from 'typescript';
import { ts } from '../typescript.js';
import { nameOf } from './analysis/calls.js';
import { callExpressionsOf } from './analysis/file-nodes.js';
import { analyseSql } from './analysis/sql.js';
import { analyseOtherSql } from './analysis/sql-other.js';
import { unwrap } from './analysis/values.js';
import type { DetectContext, Detector } from './types.js';

export const pgDetector: Detector = {
  name: 'pg',
  enabledBy: ['pg', 'pg-pool'],
  detect(ctx) {
    const visit = (node: TS.Node): void => {
      if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        node.expression.name.text === 'query'
      ) {
        reportQuery(ctx, node, node.expression.expression);
      }
    };
    for (const node of callExpressionsOf(ctx.file.ast)) visit(node);
  },
};

function reportQuery(ctx: DetectContext, call: TS.CallExpression, receiver: TS.Expression): void {
  const value = ctx.values.valueOf(receiver);
  // A receiver known to come from another library is not a pg connection.
  if (value?.kind === 'library' && value.module !== 'pg' && value.module !== 'pg-pool') return;
  const textArgument = sqlTextArgument(call);
  if (!textArgument) return;
  reportSqlText(ctx, {
    driver: 'pg',
    dialect: 'postgresql',
    call,
    textArgument,
    connection: value?.kind === 'library' ? value.site : undefined,
    known: value?.kind === 'library',
  });
}

export interface SqlCall {
  driver: string;
  dialect: 'postgresql' | 'mysql' | 'sqlite';
  call: TS.CallExpression;
  textArgument: TS.Expression;
  /** The object the query ran on, to tell which queries share a transaction. */
  connection: TS.Node | undefined;
  /** The receiver is known to be the driver's; otherwise only text that parses counts. */
  known: boolean;
}

/** Reads the SQL text of a driver call and reports what it does to which tables. */
export function reportSqlText(ctx: DetectContext, sql: SqlCall): void {
  const { call, textArgument, connection, known } = sql;
  if (readsFile(textArgument)) {
    ctx.report({ kind: 'sql-file', node: nameOf(call) });
    return;
  }
  const text = ctx.strings.evaluate(textArgument);
  const node = nameOf(call);
  if (!text) {
    if (known) ctx.unrecognised('dynamic-sql', 'SQL text is built at run time', textArgument);
    return;
  }
  const analysis =
    sql.dialect === 'postgresql' ? analyseSql(text) : analyseOtherSql(text, sql.dialect);
  if (analysis.kind === 'not-sql') {
    if (known)
      ctx.unrecognised(
        'unparsed-sql',
        `SQL the parser does not accept: ${analysis.reason}`,
        textArgument,
      );
    return;
  }
  if (analysis.kind === 'dynamic') {
    ctx.unrecognised('dynamic-sql', analysis.reason, textArgument);
  } else if (analysis.kind === 'transaction') {
    ctx.report({ kind: 'transaction', statement: analysis.statement, connection, node });
  } else {
    for (const access of analysis.accesses) {
      ctx.report({ kind: 'sql', driver: sql.driver, ...access, connection, node });
    }
  }
}

/** `await readFile(path, 'utf8')`, `fs.readFileSync(…)`: SQL kept in files (migrations). */
function readsFile(argument: TS.Expression): boolean {
  const expression = unwrap(argument);
  if (!ts.isCallExpression(expression)) return false;
  const callee = expression.expression;
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : callee.getText();
  return name === 'readFile' || name === 'readFileSync';
}

function sqlTextArgument(call: TS.CallExpression): TS.Expression | undefined {
  const [first] = call.arguments;
  if (!first) return undefined;
  if (ts.isObjectLiteralExpression(first)) {
    const text = first.properties.find(
      (property): property is TS.PropertyAssignment =>
        ts.isPropertyAssignment(property) && property.name.getText() === 'text',
    );
    return text?.initializer;
  }
  return first;
}
