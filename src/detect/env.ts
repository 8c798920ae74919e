// Environment variables a service reads: `process.env.NAME`, `process.env['NAME']`, and a
// default given with `??` or `||`. Values are never read from .env files here.
import ts from 'typescript';
import type { Detector } from './types.js';

export const envDetector: Detector = {
  name: 'env',
  enabledBy: [],
  detect(file, ctx) {
    const visit = (node: ts.Node): void => {
      const name = envVariableName(node);
      if (name) {
        const fallback = defaultValue(node);
        ctx.report({
          kind: 'env',
          name,
          ...(fallback === undefined ? {} : { default: fallback }),
          at: ctx.locate(node),
        });
      }
      ts.forEachChild(node, visit);
    };
    visit(file.ast);
  },
};

function isProcessEnv(node: ts.Node): boolean {
  return (
    ts.isPropertyAccessExpression(node) &&
    node.name.text === 'env' &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === 'process'
  );
}

function envVariableName(node: ts.Node): string | undefined {
  if (ts.isPropertyAccessExpression(node) && isProcessEnv(node.expression)) return node.name.text;
  if (
    ts.isElementAccessExpression(node) &&
    isProcessEnv(node.expression) &&
    ts.isStringLiteralLike(node.argumentExpression)
  ) {
    return node.argumentExpression.text;
  }
  return undefined;
}

function defaultValue(node: ts.Node): string | undefined {
  const parent = node.parent;
  if (!parent || !ts.isBinaryExpression(parent) || parent.left !== node) return undefined;
  const operator = parent.operatorToken.kind;
  if (operator !== ts.SyntaxKind.QuestionQuestionToken && operator !== ts.SyntaxKind.BarBarToken) {
    return undefined;
  }
  const right = parent.right;
  if (ts.isStringLiteralLike(right) || ts.isNumericLiteral(right)) return right.text;
  return undefined;
}
