// Hono: apps made with `new Hono()` (and `.basePath('/api')`), routes with their middleware,
// sub-apps mounted with `app.route('/prefix', sub)`, middleware on path patterns
// (`app.use('/admin/*', jwt({ secret }))`) and hono/jwt and bearer-auth as auth checks.
import type * as TS from 'typescript';
import { ts } from '../typescript.js';
import { methodCall, nameOf, propertyOf } from './analysis/calls.js';
import { callExpressionsOf } from './analysis/file-nodes.js';
import { unwrap } from './analysis/values.js';
import { configured } from './configured.js';
import { flattenHandlers, HTTP_METHODS, routePath } from './http-routes.js';
import type { DetectContext, Detector } from './types.js';

const AUTH_MIDDLEWARE: Record<string, string> = {
  'hono/jwt': 'jwt',
  'hono/bearer-auth': 'bearerAuth',
  'hono/basic-auth': 'basicAuth',
};

export const honoDetector: Detector = {
  name: 'hono',
  enabledBy: ['hono'],
  detect(ctx) {
    const visit = (node: TS.Node): void => {
      const call = methodCall(node);
      if (call) read(ctx, call.call, call.method, call.receiver);
      if (ts.isCallExpression(node)) reportAuthMiddleware(ctx, node);
    };
    for (const node of callExpressionsOf(ctx.file.ast)) visit(node);
  },
};

/** The `new Hono()` an app was made by, through `basePath()` calls that return a new app. */
function appOf(ctx: DetectContext, expression: TS.Expression): TS.Node | undefined | false {
  const value = ctx.values.valueOf(expression);
  if (value?.kind !== 'library' || value.module !== 'hono') return false;
  const path = value.path.filter((step) => step !== 'basePath' && step !== '()');
  return path.join(',') === 'Hono,new' ? value.site : false;
}

function read(
  ctx: DetectContext,
  call: TS.CallExpression,
  method: string,
  receiver: TS.Expression,
): void {
  const owner = appOf(ctx, receiver);
  if (owner === false) return;
  const args = call.arguments;
  if (HTTP_METHODS.has(method) && args.length >= 2 && args[0]) {
    const path = routePath(ctx, args[0]);
    if (path === undefined) return;
    ctx.report({
      kind: 'route',
      framework: 'hono',
      method: method.toUpperCase(),
      path,
      owner,
      handlers: flattenHandlers(args.slice(1)),
      node: nameOf(call),
    });
  } else if (method === 'route' && args[0] && args[1]) {
    const prefix = ctx.strings.literal(args[0]);
    const child = appOf(ctx, args[1]);
    if (prefix !== undefined && child !== false) {
      ctx.report({ kind: 'mount', prefix, parent: owner, child, node: nameOf(call) });
    }
  } else if (method === 'basePath' && args[0]) {
    const prefix = ctx.strings.literal(args[0]);
    // basePath() returns a new app; the call is what that app's routes are registered on.
    if (prefix !== undefined)
      ctx.report({ kind: 'router-prefix', owner: call, prefix, node: nameOf(call) });
  } else if (method === 'use') {
    // `app.use('/admin/*', mw)` applies to the routes under that pattern; `app.use(mw)` to all.
    const pattern = args[0] && ctx.strings.literal(args[0]);
    for (const argument of pattern === undefined ? args : args.slice(1)) {
      ctx.report({
        kind: 'hook',
        owner,
        fn: argument,
        ...(pattern ? { pattern } : {}),
        bubbles: true,
        node: nameOf(call),
      });
    }
  }
}

/** `jwt({ secret })`, `bearerAuth({ token })`: the factory call is the check. */
function reportAuthMiddleware(ctx: DetectContext, call: TS.CallExpression): void {
  const value = ctx.values.valueOf(call.expression);
  if (value?.kind !== 'library' || AUTH_MIDDLEWARE[value.module] !== value.path.join('.')) return;
  const options = call.arguments[0] && unwrap(call.arguments[0]);
  const secretArgument = propertyOf(options, 'secret') ?? propertyOf(options, 'token');
  const secret = secretArgument && configured(ctx, secretArgument);
  ctx.report({
    kind: 'auth',
    library: value.module,
    mechanism:
      value.module === 'hono/jwt'
        ? 'jwt-bearer'
        : value.module === 'hono/basic-auth'
          ? 'basic'
          : 'api-key',
    ...(secret ? { secret } : {}),
    claims: [],
    fn: undefined,
    node: call,
  });
}
