// Environment variables a service reads: `process.env.NAME`, `process.env['NAME']`, with a
// default given by `??` or `||`. Values are never read from .env files here.
import type * as TS from 'typescript';
import { ts } from '../typescript.js';
import { nodesOfKinds } from './analysis/file-nodes.js';
import { envRead } from './analysis/strings.js';
import type { DetectContext, Detector } from './types.js';

/** The only kinds of node `visit` reads. */
const VISITED = new Set([
  ts.SyntaxKind.PropertyAccessExpression,
  ts.SyntaxKind.ElementAccessExpression,
  ts.SyntaxKind.CallExpression,
]);

export const envDetector: Detector = {
  name: 'env',
  enabledBy: [],
  detect(ctx) {
    const visit = (node: TS.Node): void => {
      const name =
        ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)
          ? envRead(node)
          : undefined;
      if (name) {
        const fallback = defaultValue(node);
        ctx.report({
          kind: 'env',
          name,
          node,
          ...(fallback === undefined ? {} : { default: fallback }),
          ...(isTested(node) ? { optional: true } : {}),
        });
      } else if (ts.isCallExpression(node)) {
        reportHelperRead(ctx, node);
      }
    };
    for (const node of nodesOfKinds(ctx.file.ast, VISITED)) visit(node);
  },
};

/** `required('DATABASE_URL')`, `env('PORT', '3001')`: helpers that read `process.env[name]`. */
function reportHelperRead(ctx: DetectContext, call: TS.CallExpression): void {
  // Only a literal that looks like a variable name can be one; skip evaluating every other call.
  const [name] = call.arguments;
  if (!name || !ts.isStringLiteralLike(name) || !/^[A-Z][A-Z0-9_]*$/.test(name.text)) return;
  const [only] = ctx.strings.evaluate(call)?.parts ?? [];
  if (only?.kind !== 'hole' || !only.env) return;
  const [first] = call.arguments;
  if (!first || ctx.strings.literal(first) !== only.env) return;
  ctx.report({
    kind: 'env',
    name: only.env,
    node: call,
    ...(only.default === undefined ? {} : { default: only.default }),
  });
}

/** The read is the condition of a `?:`, an `if` or a `&&`: the code copes with it unset. */
function isTested(node: TS.Node): boolean {
  const parent = node.parent;
  if (ts.isConditionalExpression(parent)) return parent.condition === node;
  if (ts.isIfStatement(parent)) return parent.expression === node;
  if (ts.isPrefixUnaryExpression(parent) && parent.operator === ts.SyntaxKind.ExclamationToken)
    return true;
  return (
    ts.isBinaryExpression(parent) &&
    parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken &&
    parent.left === node
  );
}

function defaultValue(node: TS.Node): string | undefined {
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
