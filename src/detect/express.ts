// Express 4 and 5: apps and routers, routes with their middleware (arrays flattened), chained
// `route()`, and routers mounted under prefixes with `use()`.
import type * as TS from 'typescript';
import { ts } from '../typescript.js';
import { isCallOn, methodCall, nameOf } from './analysis/calls.js';
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
