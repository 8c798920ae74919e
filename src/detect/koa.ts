// Koa with @koa/router (or koa-router): routers with a `prefix` option or `router.prefix()`,
// routes with their middleware, nested routers (`router.use('/x', other.routes())`), and the app
// that mounts them (`app.use(router.routes())`).
import type * as TS from 'typescript';
import { ts } from '../typescript.js';
import { methodCall, nameOf, propertyOf } from './analysis/calls.js';
import { nodesOfKinds } from './analysis/file-nodes.js';
import { unwrap } from './analysis/values.js';
import { flattenHandlers, HTTP_METHODS, routePath } from './http-routes.js';
import type { DetectContext, Detector } from './types.js';

const ROUTER_MODULES = new Set(['@koa/router', 'koa-router']);

/** The only kinds of node `visit` reads. */
const VISITED = new Set([ts.SyntaxKind.CallExpression, ts.SyntaxKind.NewExpression]);

export const koaDetector: Detector = {
  name: 'koa',
  enabledBy: ['koa', ...ROUTER_MODULES],
  detect(ctx) {
    const visit = (node: TS.Node): void => {
      const call = methodCall(node);
      if (call) read(ctx, call.call, call.method, call.receiver);
      reportConstructorPrefix(ctx, node);
    };
    for (const node of nodesOfKinds(ctx.file.ast, VISITED)) visit(node);
  },
};

/** The `new Router()` or `new Koa()` a value was made by, and which of the two it is. */
function siteOf(
  ctx: DetectContext,
  expression: TS.Expression,
): { site: TS.Node | undefined; kind: 'router' | 'app' } | undefined {
  // `router.get(…).post(…)`: route methods, `use` and `prefix` return the router itself.
  let target = unwrap(expression);
  for (let chained = methodCall(target); chained && CHAINABLE.has(chained.method); ) {
    target = unwrap(chained.receiver);
    chained = methodCall(target);
  }
  const value = ctx.values.valueOf(target);
  if (value?.kind !== 'library') return undefined;
  const made = value.path.join(',');
  // @koa/router also makes a router when called without `new`: `require('@koa/router')()`.
  if (
    ROUTER_MODULES.has(value.module) &&
    (made === 'new' || made === '()' || made === 'default,new')
  )
    return { site: value.site, kind: 'router' };
  if (value.module === 'koa' && value.path.at(-1) === 'new')
    return { site: value.site, kind: 'app' };
  return undefined;
}

const CHAINABLE = new Set([...HTTP_METHODS, 'use', 'prefix', 'param', 'all']);

function read(
  ctx: DetectContext,
  call: TS.CallExpression,
  method: string,
  receiver: TS.Expression,
): void {
  const owner = siteOf(ctx, receiver);
  if (!owner) return;
  const args = call.arguments;
  if (owner.kind === 'router' && HTTP_METHODS.has(method) && args.length >= 2 && args[0]) {
    // `router.get('name', '/path', handler)`: a named route puts its name first.
    const named =
      args.length >= 3 && ctx.strings.literal(args[1] as TS.Expression)?.startsWith('/');
    const pathArgument = (named ? args[1] : args[0]) as TS.Expression;
    const path = routePath(ctx, pathArgument);
    if (path === undefined) return;
    ctx.report({
      kind: 'route',
      framework: 'koa',
      method: method.toUpperCase(),
      path,
      owner: owner.site,
      handlers: flattenHandlers(args.slice(named ? 2 : 1)),
      node: nameOf(call),
    });
  } else if (method === 'use') {
    const prefix = args[0] && ctx.strings.literal(args[0]);
    for (const argument of prefix === undefined ? args : args.slice(1)) {
      const mounted = routesOf(ctx, argument);
      if (mounted) {
        ctx.report({
          kind: 'mount',
          prefix: prefix ?? '',
          parent: owner.site,
          child: mounted,
          node: nameOf(call),
        });
      } else if (prefix === undefined) {
        ctx.report({ kind: 'hook', owner: owner.site, fn: argument, node: nameOf(call) });
      }
    }
  } else if (method === 'prefix' && owner.kind === 'router' && args[0]) {
    const prefix = ctx.strings.literal(args[0]);
    if (prefix !== undefined)
      ctx.report({ kind: 'router-prefix', owner: owner.site, prefix, node: nameOf(call) });
  } else if (method === 'listen' && owner.kind === 'app') {
    ctx.report({ kind: 'listen', node: nameOf(call) });
  }
}

/** `other.routes()` / `other.middleware()`: the router it serves. */
function routesOf(ctx: DetectContext, argument: TS.Expression): TS.Node | undefined {
  const call = methodCall(unwrap(argument));
  if (!call || (call.method !== 'routes' && call.method !== 'middleware')) return undefined;
  const owner = siteOf(ctx, call.receiver);
  return owner?.kind === 'router' ? owner.site : undefined;
}

/** `new Router({ prefix: '/api' })`: the router's own prefix, before every route on it. */
function reportConstructorPrefix(ctx: DetectContext, node: TS.Node): void {
  if (!ts.isNewExpression(node)) return;
  const value = ctx.values.valueOf(node);
  if (value?.kind !== 'library' || !ROUTER_MODULES.has(value.module)) return;
  const prefix = propertyOf(node.arguments?.[0] && unwrap(node.arguments[0]), 'prefix');
  const text = prefix && ctx.strings.literal(prefix);
  if (text) ctx.report({ kind: 'router-prefix', owner: node, prefix: text, node });
}
