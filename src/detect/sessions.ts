// Cookie sessions: the middleware that sets them up (express-session, cookie-session,
// koa-session, @fastify/session, @fastify/secure-session) with its cookie name, signing secret and
// store, and the session fields code reads (`req.session.userId`, `ctx.session.user`,
// `request.session.get('user')`, passport's `req.isAuthenticated()`). A middleware that reads one
// and answers 401 is a session check (link.ts).
import type * as TS from 'typescript';
import { ts } from '../typescript.js';
import { nameOf, propertyOf } from './analysis/calls.js';
import { nodesOfKinds } from './analysis/file-nodes.js';
import { unwrap } from './analysis/values.js';
import { configured } from './configured.js';
import type { Configured, DetectContext, Detector } from './types.js';

/** Each library's default cookie name and the option that renames it. */
const LIBRARIES: Record<string, { cookie: string; nameOption: string }> = {
  'express-session': { cookie: 'connect.sid', nameOption: 'name' },
  'cookie-session': { cookie: 'session', nameOption: 'name' },
  'koa-session': { cookie: 'koa.sess', nameOption: 'key' },
  '@fastify/session': { cookie: 'sessionId', nameOption: 'cookieName' },
  '@fastify/secure-session': { cookie: 'session', nameOption: 'cookieName' },
};

/** Session stores by package: where session data lives between requests. */
const STORES: Record<string, string> = {
  'connect-redis': 'redis',
  'connect-pg-simple': 'postgresql',
  'connect-mongo': 'mongodb',
  'express-mysql-session': 'mysql',
  'connect-sqlite3': 'sqlite',
  'koa-redis': 'redis',
};

/** The only kinds of node `visit` reads. */
const VISITED = new Set([ts.SyntaxKind.CallExpression, ts.SyntaxKind.PropertyAccessExpression]);

export const sessionsDetector: Detector = {
  name: 'sessions',
  enabledBy: [...Object.keys(LIBRARIES), 'passport'],
  detect(ctx) {
    for (const node of nodesOfKinds(ctx.file.ast, VISITED)) {
      if (ts.isCallExpression(node)) {
        readSetup(ctx, node);
        readCallRead(ctx, node);
      } else if (ts.isPropertyAccessExpression(node)) {
        readFieldRead(ctx, node);
      }
    }
  },
};

/** `session({ name, secret, store })`, `app.use(session(opts, app))`, `register(plugin, opts)`. */
function readSetup(ctx: DetectContext, call: TS.CallExpression): void {
  const callee = ctx.values.valueOf(call.expression);
  let library: string | undefined;
  let options: TS.Expression | undefined;
  if (callee?.kind === 'library' && callee.module in LIBRARIES && callee.path.length === 0) {
    library = callee.module;
    // koa-session takes the app second when options come first: `session(config, app)`.
    options = call.arguments[0];
  } else if (
    ts.isPropertyAccessExpression(call.expression) &&
    call.expression.name.text === 'register' &&
    call.arguments[0]
  ) {
    const plugin = ctx.values.valueOf(call.arguments[0]);
    if (plugin?.kind === 'library' && plugin.module in LIBRARIES && plugin.path.length <= 1) {
      library = plugin.module;
      options = call.arguments[1];
    }
  }
  if (!library) return;
  const defaults = LIBRARIES[library] as { cookie: string; nameOption: string };
  const object = options && unwrap(options);
  const nameOption = propertyOf(object, defaults.nameOption);
  const cookie = nameOption ? cookieName(ctx, nameOption) : defaults.cookie;
  const secret = secretOf(ctx, library, object, call);
  const store = storeOf(ctx, propertyOf(object, 'store'));
  ctx.report({
    kind: 'session',
    library,
    cookie,
    ...(secret ? { secret } : {}),
    ...(store ? { store: store.technology } : {}),
    node: nameOf(call),
  });
  if (store?.technology === 'redis') reportRedisStore(ctx, call, store.prefix);
}

/**
 * A Redis session store reads the session on every request behind the middleware, writes it when
 * it changes and deletes it on logout: cache operations of the service, reached by those routes.
 */
function reportRedisStore(ctx: DetectContext, call: TS.CallExpression, prefix: string): void {
  const key = { parts: [{ kind: 'text' as const, text: prefix }, SESSION_ID] };
  for (const [command, access] of REDIS_STORE_COMMANDS) {
    ctx.report({ kind: 'cache', library: 'redis', command, access, key, node: nameOf(call) });
  }
}

const SESSION_ID = { kind: 'hole' as const, name: 'sessionId' };
const REDIS_STORE_COMMANDS = [
  ['GET', 'read'],
  ['SET', 'write'],
  ['DEL', 'delete'],
] as const;

/**
 * What signs the cookie: `secret` (express-session, cookie-session), the first of `keys`
 * (cookie-session), `key: Buffer.from(process.env.K, 'hex')` (@fastify/secure-session), or the
 * app's `app.keys = [...]` (koa-session, whose `key` option is the cookie's name).
 */
function secretOf(
  ctx: DetectContext,
  library: string,
  options: TS.Expression | undefined,
  call: TS.CallExpression,
): Configured | undefined {
  let source =
    propertyOf(options, 'secret') ??
    firstElement(propertyOf(options, 'keys')) ??
    (library === '@fastify/secure-session' ? propertyOf(options, 'key') : undefined);
  if (library === 'koa-session') source = firstElement(appKeys(call));
  const target = source && unwrap(source);
  if (!target) return undefined;
  // `Buffer.from(process.env.KEY, 'hex')`: the variable is what matters.
  const bufferFrom =
    ts.isCallExpression(target) && /Buffer\.from$/.test(target.expression.getText())
      ? target.arguments[0]
      : undefined;
  return configured(ctx, bufferFrom ?? target);
}

function firstElement(expression: TS.Expression | undefined): TS.Expression | undefined {
  const target = expression && unwrap(expression);
  return target && ts.isArrayLiteralExpression(target) ? target.elements[0] : target;
}

/** `app.keys = [...]` in the file that installs koa-session. */
function appKeys(call: TS.CallExpression): TS.Expression | undefined {
  for (const node of nodesOfKinds(call.getSourceFile(), ASSIGNMENTS)) {
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(node.left) &&
      node.left.name.text === 'keys'
    ) {
      return node.right;
    }
  }
  return undefined;
}

const ASSIGNMENTS = new Set([ts.SyntaxKind.BinaryExpression]);

/** A literal name, the variable that sets it (`$COOKIE_NAME`), or `unknown`. */
function cookieName(ctx: DetectContext, option: TS.Expression): string {
  const literal = ctx.strings.literal(option);
  if (literal !== undefined) return literal;
  const setting = configured(ctx, option);
  if (setting?.env)
    return setting.default === undefined ? `$${setting.env}` : String(setting.default);
  return 'unknown';
}

/** `new RedisStore({ client, prefix })`: the store's database and its key prefix. */
function storeOf(
  ctx: DetectContext,
  expression: TS.Expression | undefined,
): { technology: string; prefix: string } | undefined {
  if (!expression) return undefined;
  const target = unwrap(expression);
  const made = ts.isNewExpression(target) ? target.expression : target;
  const value = ctx.values.valueOf(made);
  const technology = value?.kind === 'library' ? STORES[value.module] : undefined;
  if (!technology) return undefined;
  const options = ts.isNewExpression(target) ? target.arguments?.[0] : undefined;
  const prefixOption = propertyOf(options && unwrap(options), 'prefix');
  // connect-redis and koa-redis both default to `sess:`.
  return { technology, prefix: (prefixOption && ctx.strings.literal(prefixOption)) ?? 'sess:' };
}

/** `req.session.userId`: a read of the field (a write, `req.session.userId = id`, logs in). */
function readFieldRead(ctx: DetectContext, access: TS.PropertyAccessExpression): void {
  const session = access.expression;
  if (!ts.isPropertyAccessExpression(session) || session.name.text !== 'session') return;
  if (isAssigned(access)) return;
  const field = access.name.text;
  // `req.session.get('user')` is read by readCallRead; `req.session.destroy()` logs out.
  if (ts.isCallExpression(access.parent) && access.parent.expression === access) return;
  ctx.report({ kind: 'session-read', field, node: access.name });
}

/** `request.session.get('user')` (fastify) and passport's `req.isAuthenticated()`. */
function readCallRead(ctx: DetectContext, call: TS.CallExpression): void {
  if (!ts.isPropertyAccessExpression(call.expression)) return;
  const method = call.expression.name.text;
  const receiver = call.expression.expression;
  if (method === 'isAuthenticated' && call.arguments.length === 0) {
    ctx.report({ kind: 'session-read', field: 'passport', node: call.expression.name });
    return;
  }
  const [key] = call.arguments;
  if (
    method === 'get' &&
    key &&
    ts.isPropertyAccessExpression(receiver) &&
    receiver.name.text === 'session'
  ) {
    const field = ctx.strings.literal(key);
    if (field) ctx.report({ kind: 'session-read', field, node: call.expression.name });
  }
}

function isAssigned(access: TS.PropertyAccessExpression): boolean {
  const parent = access.parent;
  return (
    ts.isBinaryExpression(parent) &&
    parent.left === access &&
    parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
    parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment
  );
}
