// Fastify: routes by shorthand (`app.post(url, opts, handler)`) and by `route({ … })`, their
// hooks (onRequest, preValidation, preHandler) and JSON schemas, plugins registered under a
// prefix, instance-wide hooks (`addHook`) and the error handler.
import type * as TS from 'typescript';
import { ts } from '../typescript.js';
import { methodCall, nameOf, propertyOf } from './analysis/calls.js';
import { callExpressionsOf } from './analysis/file-nodes.js';
import { jsonLiteral } from './analysis/json-literal.js';
import { findDeclaration } from './analysis/scope.js';
import { unwrap } from './analysis/values.js';
import { isAutoload, reportAutoload } from './fastify-autoload.js';
import { flattenHandlers, HTTP_METHODS, routePath } from './http-routes.js';
import { objectLiteral } from './sent-headers.js';
import type { DetectContext, Detector, Shape } from './types.js';

const HOOKS = ['onRequest', 'preParsing', 'preValidation', 'preHandler'];

export const fastifyDetector: Detector = {
  name: 'fastify',
  enabledBy: ['fastify'],
  detect(ctx) {
    const visit = (node: TS.Node): void => {
      const call = methodCall(node);
      if (call) {
        const owner = instanceOwner(ctx, call.receiver);
        if (owner !== false) readInstanceCall(ctx, call.call, call.method, owner);
      }
    };
    for (const node of callExpressionsOf(ctx.file.ast)) visit(node);
  },
};

/**
 * The instance a call is made on: the `Fastify()` call that made it, or the plugin function whose
 * first parameter it is (each plugin is its own encapsulated context).
 */
function instanceOwner(ctx: DetectContext, receiver: TS.Expression): TS.Node | undefined | false {
  const expression = unwrap(receiver);
  if (ts.isIdentifier(expression)) {
    const declaration = findDeclaration(expression, ctx.file.imports);
    if (declaration?.kind === 'parameter' && declaration.path.length === 0) {
      const fn = declaration.node.parent;
      if (ts.isFunctionLike(fn) && fn.parameters[0] === declaration.node && isPluginShaped(fn))
        return fn;
    }
  }
  const value = ctx.values.valueOf(expression);
  if (value?.kind !== 'library' || value.module !== 'fastify') return false;
  const last = value.path.at(-1);
  return last === '()' || last === 'new' ? value.site : false;
}

/** `async (app, opts) => {…}` or `(app, opts, done) => {…}`. */
function isPluginShaped(fn: TS.SignatureDeclaration): boolean {
  return fn.parameters.length >= 1 && fn.parameters.length <= 3;
}

function readInstanceCall(
  ctx: DetectContext,
  call: TS.CallExpression,
  method: string,
  owner: TS.Node | undefined,
) {
  const args = call.arguments;
  if (HTTP_METHODS.has(method) && args.length >= 2) {
    const [url, second, third] = args;
    const options = third ? second : undefined;
    const handler = third ?? second;
    if (url && handler) reportRoute(ctx, call, method, url, options, handler, owner);
  } else if (method === 'route' && args[0]) {
    const options = unwrap(args[0]);
    const url = propertyOf(options, 'url') ?? propertyOf(options, 'path');
    const handler = propertyOf(options, 'handler');
    const methods = routeMethods(ctx, propertyOf(options, 'method'));
    if (url && handler) {
      for (const each of methods) reportRoute(ctx, call, each, url, options, handler, owner);
    }
  } else if (method === 'register' && args[0] && isAutoload(ctx, args[0])) {
    reportAutoload(ctx, call, owner);
  } else if (method === 'register' && args[0]) {
    const prefix = propertyOf(args[1] && unwrap(args[1]), 'prefix');
    // `register(import('./routes.js'), { prefix })` registers the module's default export.
    const registered = ctx.values.valueOf(args[0]);
    const plugin =
      registered?.kind === 'module' ? ctx.values.member(registered, 'default') : registered;
    const child = plugin?.kind === 'function' ? plugin.node : undefined;
    if (child) {
      ctx.report({
        kind: 'mount',
        prefix: (prefix && ctx.strings.literal(prefix)) ?? '',
        parent: owner,
        child,
        node: nameOf(call),
      });
    }
  } else if (
    method === 'addHook' &&
    args[0] &&
    args[1] &&
    HOOKS.includes(ctx.strings.literal(args[0]) ?? '')
  ) {
    ctx.report({ kind: 'hook', owner, fn: args[1], node: nameOf(call) });
  } else if (method === 'listen') {
    ctx.report({ kind: 'listen', node: nameOf(call) });
  } else if (method === 'setErrorHandler' && args[0]) {
    ctx.report({ kind: 'error-handler', owner, fn: args[0], node: nameOf(call) });
  }
}

function routeMethods(ctx: DetectContext, method: TS.Expression | undefined): string[] {
  if (!method) return [];
  const node = unwrap(method);
  const items = ts.isArrayLiteralExpression(node) ? [...node.elements] : [node];
  return items
    .map((item) => ctx.strings.literal(item)?.toLowerCase())
    .filter((item): item is string => !!item);
}

function reportRoute(
  ctx: DetectContext,
  call: TS.CallExpression,
  method: string,
  url: TS.Expression,
  optionsArgument: TS.Expression | undefined,
  handler: TS.Expression,
  owner: TS.Node | undefined,
) {
  const path = routePath(ctx, url);
  if (path === undefined) return;
  const options = optionsArgument && objectLiteral(ctx, optionsArgument);
  const hooks = HOOKS.flatMap((hook) => {
    const value = propertyOf(options, hook);
    return value ? flattenHandlers([value]) : [];
  });
  const body = schemaShape(ctx, propertyOf(propertyOf(options, 'schema'), 'body'));
  ctx.report({
    kind: 'route',
    framework: 'fastify',
    method: method.toUpperCase(),
    path,
    owner,
    handlers: [...hooks, handler],
    ...(body ? { requestBody: body } : {}),
    node: nameOf(call),
  });
}

function schemaShape(ctx: DetectContext, schema: TS.Expression | undefined): Shape | undefined {
  if (!schema) return undefined;
  const json = jsonLiteral(schema, ctx.values, ctx.strings);
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    ctx.unrecognised('unread-schema', 'a route schema that is not a static literal', schema);
    return undefined;
  }
  return { source: 'json-schema', schema: json, at: ctx.locate(schema) };
}
