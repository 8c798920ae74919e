// JWT verification with jsonwebtoken or jose: the function that calls `verify` is an auth check,
// and the key it verifies with is usually a variable such as JWT_SECRET.
import ts from 'typescript';
import { methodCall, nameOf } from './analysis/calls.js';
import { configured } from './configured.js';
import type { Detector } from './types.js';

const VERIFIERS: Record<string, string[]> = {
  jsonwebtoken: ['verify'],
  jose: ['jwtVerify'],
};

export const jwtDetector: Detector = {
  name: 'jwt',
  enabledBy: Object.keys(VERIFIERS),
  detect(ctx) {
    const visit = (node: ts.Node): void => {
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
            fn: enclosingFunction(node),
            node: methodCall(node) ? nameOf(node) : node,
          });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(ctx.file.ast);
  },
};

export function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current) && 'body' in current && current.body) {
      return current as ts.FunctionLikeDeclaration;
    }
  }
  return undefined;
}
