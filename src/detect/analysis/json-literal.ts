// Reads a JSON-like literal from source (a JSON Schema written as an object literal, possibly
// split over constants and files), or undefined if any part of it is not static.
import type * as TS from 'typescript';
import { ts } from '../../typescript.js';
import type { StringEvaluator } from './strings.js';
import { typeboxBuilder, typeboxSchema } from './typebox.js';
import { unwrap, type ValueResolver } from './values.js';

export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };

export function jsonLiteral(
  expression: TS.Expression,
  values: ValueResolver,
  strings: StringEvaluator,
  depth = 0,
): JsonValue | undefined {
  if (depth > 20) return undefined;
  const node = unwrap(expression);
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (node.kind === ts.SyntaxKind.NullKeyword) return null;
  if (
    ts.isPrefixUnaryExpression(node) &&
    node.operator === ts.SyntaxKind.MinusToken &&
    ts.isNumericLiteral(node.operand)
  ) {
    return -Number(node.operand.text);
  }
  if (ts.isArrayLiteralExpression(node)) {
    const items = node.elements.map((element) => jsonLiteral(element, values, strings, depth + 1));
    return items.every((item) => item !== undefined) ? (items as JsonValue[]) : undefined;
  }
  if (ts.isObjectLiteralExpression(node)) {
    const object: Record<string, JsonValue> = {};
    for (const property of node.properties) {
      if (ts.isSpreadAssignment(property)) {
        const spread = jsonLiteral(property.expression, values, strings, depth + 1);
        if (!spread || typeof spread !== 'object' || Array.isArray(spread)) return undefined;
        Object.assign(object, spread);
        continue;
      }
      const name = property.name;
      const key =
        name && (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name))
          ? name.text
          : undefined;
      if (key === undefined) return undefined;
      const initializer = ts.isPropertyAssignment(property)
        ? property.initializer
        : ts.isShorthandPropertyAssignment(property)
          ? property.name
          : undefined;
      const value = initializer && jsonLiteral(initializer, values, strings, depth + 1);
      if (value === undefined) return undefined;
      object[key] = value;
    }
    return object;
  }
  if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) {
    const value = values.valueOf(node);
    if (value?.kind === 'object') return jsonLiteral(value.node, values, strings, depth + 1);
  }
  // A TypeBox schema (`Type.Object({ … })`) stands for the JSON Schema it builds.
  if (typeboxBuilder(node, values)) {
    return typeboxSchema(node, values, (inner) => jsonLiteral(inner, values, strings, depth + 1));
  }
  return strings.literal(node);
}
