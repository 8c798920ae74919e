// JWT verification with jsonwebtoken or jose: the function that calls `verify` is an auth check,
// and the key it verifies with is usually a variable such as JWT_SECRET.
import type * as TS from 'typescript';
import { ts } from '../typescript.js';
import { methodCall, nameOf, propertyOf } from './analysis/calls.js';
import { callExpressionsOf } from './analysis/file-nodes.js';
import { configured } from './configured.js';
import type { DetectContext, Detector } from './types.js';

const VERIFIERS: Record<string, string[]> = {
  jsonwebtoken: ['verify'],
  jose: ['jwtVerify'],
};

/** Middleware factories that verify a JWT themselves: `expressjwt({ secret })`. */
const MIDDLEWARE: Record<string, string[]> = {
  'express-jwt': ['expressjwt', ''],
};

export const jwtDetector: Detector = {
  name: 'jwt',
  enabledBy: [...Object.keys(VERIFIERS), ...Object.keys(MIDDLEWARE)],
  detect(ctx) {
    const visit = (node: TS.Node): void => {
      if (ts.isCallExpression(node)) reportMiddleware(ctx, node);
      if (ts.isCallExpression(node)) {
        const value = ctx.values.valueOf(node.expression);
        const verifier = value?.kind === 'library' ? VERIFIERS[value.module] : undefined;
        const name = value?.kind === 'library' ? value.path.at(-1) : undefined;
        if (value?.kind === 'library' && verifier && name && verifier.includes(name)) {
          const keyArgument = node.arguments[1];
          const secret = keyArgument && configured(ctx, keyArgument);
          ctx.report({
            kind: 'auth',
            library: value.module,
            mechanism: 'jwt-bearer',
            ...(secret ? { secret } : {}),
            claims: claimsRead(node),
            fn: enclosingFunction(node),
            node: methodCall(node) ? nameOf(node) : node,
          });
        }
      }
    };
    for (const node of callExpressionsOf(ctx.file.ast)) visit(node);
  },
};

/** The factory call is the check: a route that runs the middleware it made is protected. */
function reportMiddleware(ctx: DetectContext, call: TS.CallExpression): void {
  const value = ctx.values.valueOf(call.expression);
  if (value?.kind !== 'library') return;
  const factories = MIDDLEWARE[value.module];
  if (!factories?.includes(value.path.join('.'))) return;
  const options = call.arguments[0];
  const required = propertyOf(options, 'credentialsRequired');
  if (required?.kind === ts.SyntaxKind.FalseKeyword) return;
  const secretArgument = propertyOf(options, 'secret');
  const secret = secretArgument && configured(ctx, secretArgument);
  ctx.report({
    kind: 'auth',
    library: value.module,
    mechanism: 'jwt-bearer',
    ...(secret ? { secret } : {}),
    claims: [],
    fn: undefined,
    node: call,
  });
}

/** `const claims = jwt.verify(…)` … `claims.sub`, `claims.scope` → ['scope', 'sub']. */
function claimsRead(verify: TS.CallExpression): string[] {
  let target: TS.Node = verify;
  while (ts.isAwaitExpression(target.parent) || ts.isParenthesizedExpression(target.parent))
    target = target.parent;
  const holder = target.parent;
  let name: string | undefined;
  if (ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name)) name = holder.name.text;
  if (ts.isBinaryExpression(holder) && ts.isIdentifier(holder.left)) name = holder.left.text;
  const scope = enclosingFunction(verify);
  if (!name || !scope?.body) return [];
  const claims = new Set<string>();
  const visit = (node: TS.Node): void => {
    if (
      ts.isPropertyAccessExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === name
    ) {
      claims.add(node.name.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(scope.body);
  return [...claims].sort();
}

export function enclosingFunction(node: TS.Node): TS.FunctionLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current) && 'body' in current && current.body) {
      return current as TS.FunctionLikeDeclaration;
    }
  }
  return undefined;
}
