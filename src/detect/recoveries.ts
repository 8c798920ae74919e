// Where the code catches a failure at a boundary, and what it does about it: undo what earlier
// steps did (compensation), answer with its own error, or log and carry on. `try`/`catch`
// statements and promise `.catch()` handlers, each with the effects it protects.
import type * as TS from 'typescript';
import { ts } from '../typescript.js';
import { nodesOfKinds } from './analysis/file-nodes.js';
import { locationOf } from './analysis/locate.js';
import type { ProjectIndex } from './analysis/project-index.js';
import type { Reach } from './analysis/reach.js';
import type { Fact, Location } from './types.js';

export interface Recovery {
  style: 'catch' | 'promise-catch';
  /** Effects (calls, queries, cache commands, publishes) of the protected code. */
  protects: Fact[];
  /** Effects of the handler: compensation when not empty. */
  compensates: Fact[];
  /** The status the handler answers with, when it throws an HTTP error of its own. */
  status?: number;
  /** The handler neither rethrows nor throws: the failure is absorbed. */
  swallows: boolean;
  at: Location;
}

const EFFECTS = new Set<Fact['kind']>(['http-call', 'sql', 'cache', 'publish']);

/** The only kinds of node `visit` reads. */
const VISITED = new Set([ts.SyntaxKind.TryStatement, ts.SyntaxKind.CallExpression]);

export function findRecoveries(index: ProjectIndex, reach: Reach): Recovery[] {
  const recoveries: Recovery[] = [];
  for (const file of index.files) {
    const visit = (node: TS.Node): void => {
      if (ts.isTryStatement(node) && node.catchClause) {
        const recovery = describe(
          'catch',
          node.tryBlock,
          node.catchClause.block,
          node.catchClause,
          reach,
        );
        if (recovery) recoveries.push(recovery);
      }
      if (isPromiseCatch(node)) {
        const handler = node.arguments[0];
        const recovery =
          handler &&
          describe(
            'promise-catch',
            node.expression.expression,
            handler,
            node.expression.name,
            reach,
          );
        if (recovery) recoveries.push(recovery);
      }
    };
    for (const node of nodesOfKinds(file.ast, VISITED)) visit(node);
  }
  return recoveries;
}

function isPromiseCatch(
  node: TS.Node,
): node is TS.CallExpression & { expression: TS.PropertyAccessExpression } {
  return (
    ts.isCallExpression(node) &&
    ts.isPropertyAccessExpression(node.expression) &&
    node.expression.name.text === 'catch' &&
    node.arguments.length === 1
  );
}

function describe(
  style: Recovery['style'],
  guarded: TS.Node,
  handler: TS.Node,
  where: TS.Node,
  reach: Reach,
): Recovery | undefined {
  const effects = (node: TS.Node) =>
    [...reach.ofNode(node)].filter((fact) => EFFECTS.has(fact.kind));
  const protects = effects(guarded);
  if (protects.length === 0) return undefined;
  const compensates = effects(handler).filter((fact) => !protects.includes(fact));
  const thrown = throwsIn(handler);
  return {
    style,
    protects,
    compensates,
    ...(thrown.status ? { status: thrown.status } : {}),
    swallows: !thrown.any,
    at: locationOf(where),
  };
}

/** Whether a handler throws, and the status of an HTTP error it throws (`new HttpError(503, …)`). */
function throwsIn(handler: TS.Node): { any: boolean; status?: number } {
  let any = false;
  let status: number | undefined;
  const visit = (node: TS.Node): void => {
    if (ts.isThrowStatement(node)) {
      any = true;
      const thrown = node.expression;
      const first = ts.isNewExpression(thrown) ? thrown.arguments?.[0] : undefined;
      if (first && ts.isNumericLiteral(first)) status ??= Number(first.text);
    }
    // A nested function's throws (a `.catch` inside the handler) are not the handler's.
    if (node !== handler && ts.isFunctionLike(node)) return;
    ts.forEachChild(node, visit);
  };
  visit(handler);
  return status === undefined ? { any } : { any, status };
}
