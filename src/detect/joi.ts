// joi: schemas used to validate input become JSON Schemas on the boundary they guard, read from
// the source without running it: `schema.validate(req.body)`, `validateAsync`, and celebrate's
// `celebrate({ [Segments.BODY]: schema })` middleware.
import type * as TS from 'typescript';
import { ts } from '../typescript.js';
import { methodCall, nameOf } from './analysis/calls.js';
import { definitionOf } from './analysis/definitions.js';
import { callExpressionsOf } from './analysis/file-nodes.js';
import { unwrap } from './analysis/values.js';
import type { DetectContext, Detector, ValidationFact } from './types.js';

type JsonSchema = Record<string, unknown>;

export const joiDetector: Detector = {
  name: 'joi',
  enabledBy: ['joi', 'celebrate'],
  detect(ctx) {
    const visit = (node: TS.Node): void => {
      const call = methodCall(node);
      if (
        call &&
        (call.method === 'validate' || call.method === 'validateAsync') &&
        call.call.arguments[0]
      ) {
        const schema = readJoi(ctx, call.receiver, 0);
        const target = targetOf(call.call.arguments[0]);
        if (schema) report(ctx, call.call, target, schema, call.receiver);
      }
      if (ts.isCallExpression(node) && isCelebrate(ctx, node.expression)) readCelebrate(ctx, node);
    };
    for (const node of callExpressionsOf(ctx.file.ast)) visit(node);
  },
};

function report(
  ctx: DetectContext,
  call: TS.CallExpression,
  target: ValidationFact['target'],
  joiSchema: JsonSchema,
  source: TS.Node,
) {
  // `.required()` on the whole schema says nothing a JSON Schema keeps.
  const { required, ...rest } = joiSchema;
  const schema = Array.isArray(required) ? joiSchema : rest;
  ctx.report({
    kind: 'validation',
    library: 'joi',
    target,
    shape: {
      source: 'joi',
      schema,
      at: ctx.locate(definitionOf(ctx.index, source as TS.Expression) ?? source),
    },
    node: nameOf(call),
  });
}

function targetOf(argument: TS.Expression): ValidationFact['target'] {
  const node = unwrap(argument);
  const name = ts.isPropertyAccessExpression(node) ? node.name.text : '';
  if (name === 'body') return 'body';
  if (name === 'params') return 'params';
  if (name === 'query') return 'query';
  return 'unknown';
}

function isCelebrate(ctx: DetectContext, callee: TS.Expression): boolean {
  const value = ctx.values.valueOf(callee);
  return (
    value?.kind === 'library' &&
    value.module === 'celebrate' &&
    value.path.join('.') === 'celebrate'
  );
}

/** `celebrate({ [Segments.BODY]: schema, [Segments.PARAMS]: … })`. */
function readCelebrate(ctx: DetectContext, call: TS.CallExpression): void {
  const options = call.arguments[0] && unwrap(call.arguments[0]);
  if (!options || !ts.isObjectLiteralExpression(options)) return;
  for (const property of options.properties) {
    if (!ts.isPropertyAssignment(property)) continue;
    const key = property.name.getText().toLowerCase();
    const target: ValidationFact['target'] = key.includes('body')
      ? 'body'
      : key.includes('params')
        ? 'params'
        : key.includes('query')
          ? 'query'
          : 'unknown';
    const schema = readJoi(ctx, property.initializer, 0);
    if (schema) report(ctx, call, target, schema, property.initializer);
  }
}

function isJoiNamespace(ctx: DetectContext, expression: TS.Expression): boolean {
  const value = ctx.values.valueOf(expression);
  if (value?.kind !== 'library') return false;
  return value.module === 'joi'
    ? value.path.length === 0
    : value.module === 'celebrate' && value.path.join('.') === 'Joi';
}

function readJoi(
  ctx: DetectContext,
  expression: TS.Expression,
  depth: number,
): JsonSchema | undefined {
  if (depth > 12) return undefined;
  const node = unwrap(expression);
  if (ts.isIdentifier(node)) {
    const definition = definitionOf(ctx.index, node);
    return definition ? readJoi(ctx, definition, depth + 1) : undefined;
  }
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression))
    return undefined;
  const method = node.expression.name.text;
  const target = node.expression.expression;
  if (isJoiNamespace(ctx, target)) return base(ctx, method, node.arguments, depth);
  const inner = readJoi(ctx, target, depth + 1);
  return inner ? modifier(ctx, inner, method, node.arguments) : undefined;
}

function base(
  ctx: DetectContext,
  method: string,
  args: TS.NodeArray<TS.Expression>,
  depth: number,
): JsonSchema | undefined {
  const [first] = args;
  switch (method) {
    case 'string':
      return { type: 'string' };
    case 'number':
      return { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'date':
      return { type: 'string', format: 'date-time' };
    case 'any':
      return {};
    case 'array':
      return { type: 'array' };
    case 'object': {
      const shape = first && unwrap(first);
      if (!shape || !ts.isObjectLiteralExpression(shape)) return { type: 'object' };
      const properties: Record<string, JsonSchema> = {};
      const required: string[] = [];
      for (const property of shape.properties) {
        if (!ts.isPropertyAssignment(property)) continue;
        const name = property.name.getText().replace(/^['"]|['"]$/g, '');
        const { required: isRequired, ...schema } = (readJoi(
          ctx,
          property.initializer,
          depth + 1,
        ) ?? {}) as JsonSchema & { required?: boolean };
        properties[name] = schema;
        if (isRequired === true) required.push(name);
      }
      return { type: 'object', properties, ...(required.length > 0 ? { required } : {}) };
    }
    default:
      return undefined;
  }
}

function modifier(
  ctx: DetectContext,
  inner: JsonSchema,
  method: string,
  args: TS.NodeArray<TS.Expression>,
): JsonSchema {
  const number = () => {
    const text = args[0] && ctx.strings.literal(args[0]);
    return text === undefined ? undefined : Number(text);
  };
  const key = inner.type === 'string' ? 'Length' : inner.type === 'array' ? 'Items' : '';
  switch (method) {
    case 'required':
      return { ...inner, required: true };
    case 'integer':
      return { ...inner, type: 'integer' };
    case 'email':
    case 'uuid':
    case 'guid':
      return { ...inner, format: method === 'guid' ? 'uuid' : method };
    case 'uri':
      return { ...inner, format: 'uri' };
    case 'valid': {
      const values = args
        .map((argument) => ctx.strings.literal(argument))
        .filter((value) => value !== undefined);
      return { ...inner, enum: values };
    }
    case 'items': {
      const items = args[0] ? readJoi(ctx, args[0], 1) : undefined;
      return items ? { ...inner, items } : inner;
    }
    case 'min':
    case 'max': {
      const bound = number();
      if (bound === undefined) return inner;
      return key
        ? { ...inner, [`${method}${key}`]: bound }
        : { ...inner, [method === 'min' ? 'minimum' : 'maximum']: bound };
    }
    default:
      return inner;
  }
}
