// App-wide auth hooks often wave some requests through before checking anything:
// `if (request.url.startsWith('/api/auth/login')) return`, or check only some methods:
// `if (c.req.method !== 'GET') { …check… } else { await next() }`. Those routes are not
// protected by the hook, so the hook must not count for them.
import type * as TS from 'typescript';
import { ts } from '../../typescript.js';
import type { ValueResolver } from './values.js';

type Exemption = { match: 'prefix' | 'exact'; path: string } | { match: 'method'; method: string };

/** Properties of a request that hold its path. */
const URL_PROPERTIES = new Set(['url', 'path', 'originalUrl', 'routerPath', 'pathname']);

const cache = new WeakMap<TS.Node, Exemption[]>();

/** Whether the hook `fn` lets requests for `method path` through without doing anything. */
export function hookSkips(
  fn: TS.Expression,
  method: string,
  path: string,
  values: ValueResolver,
): boolean {
  const value = values.valueOf(fn);
  if (value?.kind !== 'function') return false;
  let exemptions = cache.get(value.node);
  if (!exemptions) {
    exemptions = exemptionsOf(value.node);
    cache.set(value.node, exemptions);
  }
  return exemptions.some((exemption) => {
    if (exemption.match === 'method') return exemption.method === method;
    return exemption.match === 'exact' ? path === exemption.path : path.startsWith(exemption.path);
  });
}

function exemptionsOf(fn: TS.FunctionLikeDeclaration): Exemption[] {
  const body = fn.body;
  if (!body || !ts.isBlock(body)) return [];
  const found: Exemption[] = [];
  // Only the guards at the top, before the check itself.
  for (const statement of body.statements) {
    if (!ts.isIfStatement(statement)) break;
    // `if (c.req.method !== 'GET') { check } else { await next() }`: GET goes straight on.
    if (statement.elseStatement && onlyContinues(statement.elseStatement)) {
      const methods = methodTests(statement.expression);
      if (methods?.negated) found.push(...methods.methods.map(methodExemption));
      break;
    }
    if (!returnsAtOnce(statement.thenStatement)) break;
    found.push(...urlTests(statement.expression));
    const methods = methodTests(statement.expression);
    if (methods && !methods.negated) found.push(...methods.methods.map(methodExemption));
  }
  return found;
}

function methodExemption(method: string): Exemption {
  return { match: 'method', method };
}

/** `await next()`, `return next()` or a block of just that: the request goes on unchecked. */
function onlyContinues(statement: TS.Statement): boolean {
  const statements = ts.isBlock(statement) ? statement.statements : [statement];
  if (statements.length !== 1) return false;
  const only = statements[0] as TS.Statement;
  const expression = ts.isReturnStatement(only)
    ? only.expression
    : ts.isExpressionStatement(only)
      ? only.expression
      : undefined;
  const call = expression && ts.isAwaitExpression(expression) ? expression.expression : expression;
  return (
    call !== undefined &&
    ts.isCallExpression(call) &&
    ts.isIdentifier(call.expression) &&
    call.expression.text === 'next'
  );
}

/** `req.method === 'GET'` (or `!==`, or `['GET', 'HEAD'].includes(req.method)`): which methods. */
function methodTests(
  condition: TS.Expression,
): { methods: string[]; negated: boolean } | undefined {
  const expression = unwrapParentheses(condition);
  if (
    ts.isBinaryExpression(expression) &&
    [
      ts.SyntaxKind.EqualsEqualsEqualsToken,
      ts.SyntaxKind.EqualsEqualsToken,
      ts.SyntaxKind.ExclamationEqualsEqualsToken,
      ts.SyntaxKind.ExclamationEqualsToken,
    ].includes(expression.operatorToken.kind)
  ) {
    const literal = isMethod(expression.left)
      ? literalOf(expression.right)
      : isMethod(expression.right)
        ? literalOf(expression.left)
        : undefined;
    const negated =
      expression.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
      expression.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsToken;
    return literal === undefined ? undefined : { methods: [literal.toUpperCase()], negated };
  }
  const listed = literalsIncluding(expression, isMethod);
  if (listed) return { methods: listed.map((method) => method.toUpperCase()), negated: false };
  return undefined;
}

/** The strings of `['a', 'b'].includes(x)` when `x` passes `test`. */
function literalsIncluding(
  expression: TS.Expression,
  test: (subject: TS.Expression) => boolean,
): string[] | undefined {
  if (
    !ts.isCallExpression(expression) ||
    !ts.isPropertyAccessExpression(expression.expression) ||
    expression.expression.name.text !== 'includes' ||
    !ts.isArrayLiteralExpression(expression.expression.expression) ||
    !expression.arguments[0] ||
    !test(expression.arguments[0])
  ) {
    return undefined;
  }
  return expression.expression.expression.elements.flatMap((element) => {
    const literal = literalOf(element);
    return literal === undefined ? [] : [literal];
  });
}

function isMethod(expression: TS.Expression): boolean {
  const target = unwrapParentheses(expression);
  return ts.isPropertyAccessExpression(target) && target.name.text === 'method';
}

/** `return`, `return next()`, `{ next(); return }`, `{ return done() }`. */
function returnsAtOnce(statement: TS.Statement): boolean {
  if (ts.isReturnStatement(statement)) return true;
  if (!ts.isBlock(statement)) return false;
  const last = statement.statements.at(-1);
  return (
    last !== undefined &&
    ts.isReturnStatement(last) &&
    statement.statements.slice(0, -1).every(ts.isExpressionStatement)
  );
}

function urlTests(condition: TS.Expression): Exemption[] {
  const expression = unwrapParentheses(condition);
  if (
    ts.isBinaryExpression(expression) &&
    expression.operatorToken.kind === ts.SyntaxKind.BarBarToken
  ) {
    return [...urlTests(expression.left), ...urlTests(expression.right)];
  }
  // `req.url.startsWith('/health')`
  if (
    ts.isCallExpression(expression) &&
    ts.isPropertyAccessExpression(expression.expression) &&
    expression.expression.name.text === 'startsWith' &&
    isUrl(expression.expression.expression)
  ) {
    const literal = literalOf(expression.arguments[0]);
    return literal === undefined ? [] : [{ match: 'prefix', path: literal }];
  }
  // `req.url === '/login'`
  if (
    ts.isBinaryExpression(expression) &&
    (expression.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken ||
      expression.operatorToken.kind === ts.SyntaxKind.EqualsEqualsToken)
  ) {
    const literal = isUrl(expression.left)
      ? literalOf(expression.right)
      : isUrl(expression.right)
        ? literalOf(expression.left)
        : undefined;
    return literal === undefined ? [] : [{ match: 'exact', path: literal }];
  }
  // `['/login', '/health'].includes(req.path)`
  const listed = literalsIncluding(expression, isUrl);
  if (listed) return listed.map((path) => ({ match: 'exact' as const, path }));
  return [];
}

function isUrl(expression: TS.Expression): boolean {
  const target = unwrapParentheses(expression);
  return ts.isPropertyAccessExpression(target) && URL_PROPERTIES.has(target.name.text);
}

function literalOf(expression: TS.Expression | undefined): string | undefined {
  return expression && ts.isStringLiteralLike(expression) ? expression.text : undefined;
}

function unwrapParentheses(expression: TS.Expression): TS.Expression {
  let current = expression;
  while (ts.isParenthesizedExpression(current)) current = current.expression;
  return current;
}
