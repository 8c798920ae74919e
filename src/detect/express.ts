// Express 4 and 5: apps and routers, routes with their middleware (arrays flattened), chained
// `route()`, and routers mounted under prefixes with `use()`.
import type * as TS from 'typescript';
import { ts } from '../typescript.js';
import { isCallOn, methodCall, nameOf, propertyOf } from './analysis/calls.js';
import { callExpressionsOf } from './analysis/file-nodes.js';
import type { ImportBinding } from './analysis/imports.js';
import { findDeclaration } from './analysis/scope.js';
import { unwrap } from './analysis/values.js';
import { flattenHandlers, HTTP_METHODS, routePath } from './http-routes.js';
import type { DetectContext, Detector } from './types.js';

/** Value paths of express objects that take routes: `express()`, `Router()` and typed params. */
const ROUTER_PATHS = new Set([
  '()',
  'Router,()',
  'Router,new',
  'Express,new',
  'Application,new',
  'IRouter,new',
  'new',
]);

/**
 * The expression that made a router, seen through chained `use()`/route calls (which return the
 * router they were called on) and the constants holding such chains: `const api = Router().use(a)`.
 */
function creation(
  expression: TS.Expression,
  imports: ReadonlyMap<string, ImportBinding>,
  depth = 0,
): TS.Expression {
  const target = unwrap(expression);
  const chained = methodCall(target);
  if (chained && (chained.method === 'use' || HTTP_METHODS.has(chained.method))) {
    return creation(chained.receiver, imports, depth);
  }
  if (ts.isIdentifier(target) && depth < 8) {
    const declaration = findDeclaration(target, imports);
    const init =
      declaration?.kind === 'variable' && declaration.path.length === 0
        ? declaration.node.initializer
        : undefined;
    if (init && methodCall(unwrap(init))) return creation(init, imports, depth + 1);
  }
  return target;
}

/**
 * When `expression` is `entry.key` and `entry` walks a written-out list of objects (a `forEach`
 * callback's parameter or a `for…of` variable), a reader per object: what `entry.<key>` is there.
 */
function loopEntries(
  ctx: DetectContext,
  expression: TS.Expression,
): ((member: TS.Expression) => TS.Expression | undefined)[] | undefined {
  const access = unwrap(expression);
  if (!ts.isPropertyAccessExpression(access) || !ts.isIdentifier(access.expression))
    return undefined;
  const declaration = findDeclaration(access.expression, ctx.file.imports);
  if (!declaration || (declaration.kind !== 'parameter' && declaration.kind !== 'variable'))
    return undefined;
  const list = listWalked(ctx, declaration.node);
  if (!list) return undefined;
  const name = access.expression.text;
  return list.elements.flatMap((element) => {
    const object = unwrap(element);
    if (!ts.isObjectLiteralExpression(object)) return [];
    return [
      (member: TS.Expression) => {
        const target = unwrap(member);
        return ts.isPropertyAccessExpression(target) &&
          ts.isIdentifier(target.expression) &&
          target.expression.text === name
          ? propertyOf(object, target.name.text)
          : undefined;
      },
    ];
  });
}

/** The array literal a `forEach` callback's parameter or a `for…of` variable walks. */
function listWalked(
  ctx: DetectContext,
  declaration: TS.Node,
): TS.ArrayLiteralExpression | undefined {
  let source: TS.Expression | undefined;
  const fn = declaration.parent;
  if (ts.isParameter(declaration) && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) {
    const call = fn.parent;
    if (
      ts.isCallExpression(call) &&
      ts.isPropertyAccessExpression(call.expression) &&
      call.expression.name.text === 'forEach' &&
      call.arguments[0] === fn
    )
      source = call.expression.expression;
  } else if (ts.isVariableDeclaration(declaration)) {
    const loop = declaration.parent.parent;
    if (ts.isForOfStatement(loop)) source = loop.expression;
  }
  const target = source && unwrap(source);
  if (target && ts.isIdentifier(target)) {
    const held = findDeclaration(target, ctx.file.imports);
    const initializer =
      held?.kind === 'variable' && held.path.length === 0 ? held.node.initializer : undefined;
    return initializer && ts.isArrayLiteralExpression(unwrap(initializer))
      ? (unwrap(initializer) as TS.ArrayLiteralExpression)
      : undefined;
  }
  return target && ts.isArrayLiteralExpression(target) ? target : undefined;
}

/** Express tells error handlers apart by their four parameters `(err, req, res, next)`. */
function isErrorHandler(ctx: DetectContext, argument: TS.Expression): boolean {
  const value = ctx.values.valueOf(argument);
  return value?.kind === 'function' && value.node.parameters.length === 4;
}

/** The `route(path)` call at the start of `router.route(path).get(…).post(…)`, if any. */
function routeChain(receiver: TS.Expression) {
  let current = receiver;
  for (;;) {
    const route = isCallOn(current, 'route');
    if (route) return route;
    if (!ts.isCallExpression(current) || !ts.isPropertyAccessExpression(current.expression))
      return undefined;
    if (!HTTP_METHODS.has(current.expression.name.text)) return undefined;
    current = current.expression.expression;
  }
}

export const expressDetector: Detector = {
  name: 'express',
  enabledBy: ['express'],
  detect(ctx) {
    const routerSite = (expression: TS.Expression): TS.Node | undefined | false => {
      // `Router().use(a).use(b)`: use() and route methods return the router they were called on.
      const value = ctx.values.valueOf(creation(expression, ctx.file.imports));
      if (value?.kind !== 'library' || value.module !== 'express') return false;
      return ROUTER_PATHS.has(value.path.join(',')) ? value.site : false;
    };
    const visit = (node: TS.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
        const method = node.expression.name.text;
        const receiver = node.expression.expression;
        if (HTTP_METHODS.has(method) && (node.arguments.length >= 2 || routeChain(receiver))) {
          reportRoute(node, method, receiver);
        } else if (method === 'use') {
          reportMount(node, receiver);
        } else if (method === 'listen' && routerSite(receiver) !== false) {
          ctx.report({ kind: 'listen', node: nameOf(node) });
        }
      }
    };

    const reportRoute = (call: TS.CallExpression, method: string, receiver: TS.Expression) => {
      // `router.route('/x').get(handler)`: the path lives on the `route()` call.
      const chained = routeChain(receiver);
      const owner = chained ? routerSite(chained.receiver) : routerSite(receiver);
      if (owner === false) return;
      const pathArgument = chained ? chained.call.arguments[0] : call.arguments[0];
      const handlers = flattenHandlers(chained ? call.arguments : call.arguments.slice(1));
      const path = pathArgument && routePath(ctx, pathArgument);
      if (path === undefined) return;
      ctx.report({
        kind: 'route',
        framework: 'express',
        method: method.toUpperCase(),
        path,
        owner,
        handlers,
        node: nameOf(call),
      });
    };

    const reportMount = (call: TS.CallExpression, receiver: TS.Expression) => {
      const parent = routerSite(receiver);
      if (parent === false) return;
      const [first, ...rest] = call.arguments;
      if (!first) return;
      // `routes.forEach((route) => router.use(route.path, route.router))`: one mount per entry.
      const entries = loopEntries(ctx, first);
      if (entries) {
        for (const entry of entries) {
          const prefix = ctx.strings.literal(entry(first) ?? first);
          for (const argument of flattenHandlers(rest.map((each) => entry(each) ?? each))) {
            const child = routerSite(argument);
            if (prefix !== undefined && child !== false)
              ctx.report({ kind: 'mount', prefix, parent, child, node: nameOf(call) });
          }
        }
        return;
      }
      const prefix = ctx.strings.literal(first);
      const mounted = prefix === undefined ? call.arguments : rest;
      for (const argument of flattenHandlers(mounted)) {
        const child = routerSite(argument);
        if (child !== false) {
          ctx.report({ kind: 'mount', prefix: prefix ?? '', parent, child, node: nameOf(call) });
        } else if (isErrorHandler(ctx, argument)) {
          ctx.report({ kind: 'error-handler', owner: parent, fn: argument, node: nameOf(call) });
        } else if (prefix === undefined) {
          ctx.report({ kind: 'hook', owner: parent, fn: argument, node: nameOf(call) });
        }
      }
    };

    for (const node of callExpressionsOf(ctx.file.ast)) visit(node);
  },
};
