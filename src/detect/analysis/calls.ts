// Small helpers for reading method calls.
import type * as TS from 'typescript';
import { ts } from '../../typescript.js';
import { callExpressionsOf } from './file-nodes.js';

/** When `expression` is `<receiver>.<method>(…)`, its parts. */
export function isCallOn(
  expression: TS.Expression,
  method: string,
): { call: TS.CallExpression; receiver: TS.Expression } | undefined {
  if (
    ts.isCallExpression(expression) &&
    ts.isPropertyAccessExpression(expression.expression) &&
    expression.expression.name.text === method
  ) {
    return { call: expression, receiver: expression.expression.expression };
  }
  return undefined;
}

/** `x.method(…)` as its receiver and method name. */
export function methodCall(
  node: TS.Node,
): { call: TS.CallExpression; receiver: TS.Expression; method: string } | undefined {
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    return { call: node, receiver: node.expression.expression, method: node.expression.name.text };
  }
  return undefined;
}

/** Calls `visit` with every `x.method(…)` of a file, outer calls before inner ones. */
export function forEachMethodCall(
  ast: TS.SourceFile,
  visit: (call: TS.CallExpression, method: string, receiver: TS.Expression) => void,
): void {
  for (const node of callExpressionsOf(ast)) {
    const call = methodCall(node);
    if (call) visit(call.call, call.method, call.receiver);
  }
}

/** The method name of `x.method(…)`, whose line is where a reader looks for the call. */
export function nameOf(call: TS.CallExpression | TS.NewExpression): TS.Node {
  return ts.isPropertyAccessExpression(call.expression) ? call.expression.name : call;
}

/** The initializer of property `name` in an object literal, if written there. */
export function propertyOf(
  object: TS.Expression | undefined,
  name: string,
): TS.Expression | undefined {
  if (!object || !ts.isObjectLiteralExpression(object)) return undefined;
  for (const property of object.properties) {
    const key =
      property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))
        ? property.name.text
        : undefined;
    if (key !== name) continue;
    if (ts.isPropertyAssignment(property)) return property.initializer;
    if (ts.isShorthandPropertyAssignment(property)) return property.name;
  }
  return undefined;
}

/**
 * When `expression` is the first parameter of a callback passed to `<x>.<method>(…)` (the `tx` of
 * `db.transaction(async (tx) => …)`), that callback.
 */
export function callbackOf(expression: TS.Expression, method: string): TS.Node | undefined {
  if (!ts.isIdentifier(expression)) return undefined;
  for (let node: TS.Node | undefined = expression.parent; node; node = node.parent) {
    if (!ts.isArrowFunction(node) && !ts.isFunctionExpression(node)) continue;
    const [parameter] = node.parameters;
    const call = node.parent;
    if (
      parameter &&
      ts.isIdentifier(parameter.name) &&
      parameter.name.text === expression.text &&
      ts.isCallExpression(call) &&
      methodCall(call)?.method === method
    ) {
      return node;
    }
  }
  return undefined;
}
