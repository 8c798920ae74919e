// Headers a client sends, from the object literal that sets them (followed through variables
// and spreads), each with where its value comes from.
import type * as TS from 'typescript';
import { ts } from '../typescript.js';
import { findDeclaration } from './analysis/scope.js';
import { unwrap } from './analysis/values.js';
import type { DetectContext, SentHeader } from './types.js';

export function sentHeaders(ctx: DetectContext, headers: TS.Expression | undefined): SentHeader[] {
  const object = headers && objectLiteral(ctx, headers);
  if (!object) return [];
  return object.properties.flatMap((property): SentHeader[] => {
    if (ts.isSpreadAssignment(property)) return spreadHeaders(ctx, property.expression);
    const name = property.name;
    const key =
      name && (ts.isIdentifier(name) || ts.isStringLiteral(name))
        ? name.text.toLowerCase()
        : undefined;
    const value = ts.isPropertyAssignment(property)
      ? property.initializer
      : ts.isShorthandPropertyAssignment(property)
        ? property.name
        : undefined;
    return key && value
      ? [{ name: key, ...ctx.headers.originOf(value), at: ctx.locate(property) }]
      : [];
  });
}

/**
 * `...headers`, or `...(init.body === undefined ? {} : { 'content-type': … })`: a conditional
 * spread sends the branch its condition picks when the condition is known for this caller (a
 * property present or not in the object it passed), and may send either otherwise.
 */
function spreadHeaders(ctx: DetectContext, expression: TS.Expression): SentHeader[] {
  const inner = unwrap(expression);
  if (!ts.isConditionalExpression(inner)) return sentHeaders(ctx, inner);
  const known = presence(ctx, inner.condition);
  if (known === true) return sentHeaders(ctx, inner.whenTrue);
  if (known === false) return sentHeaders(ctx, inner.whenFalse);
  return [...sentHeaders(ctx, inner.whenTrue), ...sentHeaders(ctx, inner.whenFalse)];
}

/** The truth of `x.p === undefined`, `x.p !== undefined`, `x.p` or `!x.p` when `x` is known. */
function presence(ctx: DetectContext, condition: TS.Expression): boolean | undefined {
  const test = unwrap(condition);
  if (ts.isPrefixUnaryExpression(test) && test.operator === ts.SyntaxKind.ExclamationToken) {
    const inner = presence(ctx, test.operand);
    return inner === undefined ? undefined : !inner;
  }
  if (ts.isBinaryExpression(test) && isUndefined(test.right)) {
    const has = hasProperty(ctx, test.left);
    const kind = test.operatorToken.kind;
    if (has === undefined) return undefined;
    if (kind === ts.SyntaxKind.EqualsEqualsEqualsToken || kind === ts.SyntaxKind.EqualsEqualsToken)
      return !has;
    if (
      kind === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
      kind === ts.SyntaxKind.ExclamationEqualsToken
    )
      return has;
    return undefined;
  }
  return hasProperty(ctx, test);
}

function isUndefined(expression: TS.Expression): boolean {
  return (
    (ts.isIdentifier(expression) && expression.text === 'undefined') ||
    expression.kind === ts.SyntaxKind.NullKeyword
  );
}

/** Whether `x.p` is set, when `x` is an object literal (or a parameter bound to one) we can see. */
function hasProperty(ctx: DetectContext, expression: TS.Expression): boolean | undefined {
  if (!ts.isPropertyAccessExpression(expression)) return undefined;
  const owner = unwrap(expression.expression);
  let object: TS.ObjectLiteralExpression | undefined;
  if (ts.isIdentifier(owner)) {
    const declaration = findDeclaration(owner, ctx.file.imports);
    const argument =
      declaration?.kind === 'parameter' && declaration.path.length === 0
        ? ctx.strings.boundArgument(declaration.node)
        : undefined;
    object = argument ? objectLiteral(ctx, argument) : objectLiteral(ctx, owner);
  }
  if (!object) return undefined;
  // A spread could add any property: then the answer is not known.
  if (object.properties.some(ts.isSpreadAssignment)) return undefined;
  return object.properties.some((property) => property.name?.getText() === expression.name.text);
}

/** An object literal, written in place or held by a variable. */
export function objectLiteral(
  ctx: DetectContext,
  expression: TS.Expression,
): TS.ObjectLiteralExpression | undefined {
  const inner = unwrap(expression);
  if (ts.isObjectLiteralExpression(inner)) return inner;
  const value = ctx.values.valueOf(inner);
  return value?.kind === 'object' ? value.node : undefined;
}
