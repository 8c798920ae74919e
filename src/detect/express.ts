// Express 4 and 5: apps and routers, routes with their middleware (arrays flattened), chained
// `route()`, and routers mounted under prefixes with `use()`.
import ts from 'typescript';
import { isCallOn, nameOf } from './analysis/calls.js';
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

/** Express tells error handlers apart by their four parameters `(err, req, res, next)`. */
function isErrorHandler(ctx: DetectContext, argument: ts.Expression): boolean {
  const value = ctx.values.valueOf(argument);
  return value?.kind === 'function' && value.node.parameters.length === 4;
}

/** The `route(path)` call at the start of `router.route(path).get(…).post(…)`, if any. */
function routeChain(receiver: ts.Expression) {
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
    const routerSite = (expression: ts.Expression): ts.Node | undefined | false => {
      const value = ctx.values.valueOf(expression);
      if (value?.kind !== 'library' || value.module !== 'express') return false;
      return ROUTER_PATHS.has(value.path.join(',')) ? value.site : false;
    };
    const visit = (node: ts.Node): void => {
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
      ts.forEachChild(node, visit);
    };

    const reportRoute = (call: ts.CallExpression, method: string, receiver: ts.Expression) => {
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

    const reportMount = (call: ts.CallExpression, receiver: ts.Expression) => {
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

    visit(ctx.file.ast);
  },
};
