// Headers a client sends, from the object literal that sets them (followed through variables
// and spreads), each with where its value comes from.
import type * as TS from 'typescript';
import { ts } from '../typescript.js';
import { unwrap } from './analysis/values.js';
import type { DetectContext, SentHeader } from './types.js';

export function sentHeaders(ctx: DetectContext, headers: TS.Expression | undefined): SentHeader[] {
  const object = headers && objectLiteral(ctx, headers);
  if (!object) return [];
  return object.properties.flatMap((property): SentHeader[] => {
    if (ts.isSpreadAssignment(property)) return sentHeaders(ctx, property.expression);
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
