// zod: schemas used to validate input become JSON Schemas on the boundary they guard.
// `Schema.parse(req.body)` / `safeParse` mark the request body (or params, query, a message) of
// whatever entry point reaches the call. The conversion is static: the schema is read from the
// source, not run.
import type * as TS from 'typescript';
import { ts } from '../typescript.js';
import { methodCall, nameOf } from './analysis/calls.js';
import { definitionOf } from './analysis/definitions.js';
import { callExpressionsOf } from './analysis/file-nodes.js';
import { findDeclaration } from './analysis/scope.js';
import { unwrap } from './analysis/values.js';
import type { DetectContext, Detector, ValidationFact } from './types.js';

type JsonSchema = Record<string, unknown>;

const PARSE_METHODS = new Set(['parse', 'safeParse', 'parseAsync', 'safeParseAsync']);

export const zodDetector: Detector = {
  name: 'zod',
  enabledBy: ['zod'],
  detect(ctx) {
    const visit = (node: TS.Node): void => {
      const call = methodCall(node);
      if (call && PARSE_METHODS.has(call.method) && call.call.arguments[0]) {
        const reader = new ZodReader(ctx);
        const schema = reader.read(call.receiver);
        if (schema) {
          const input = inputOf(ctx, call.call.arguments[0]);
          const definition = reader.definitionOf(call.receiver) ?? call.receiver;
          ctx.report({
            kind: 'validation',
            library: 'zod',
            target: input.target,
            shape: {
              source: 'zod',
              // `OrderId.parse(req.params.id)` validates one property of the params.
              schema: input.property
                ? {
                    type: 'object',
                    properties: { [input.property]: schema },
                    required: [input.property],
                  }
                : schema,
              at: ctx.locate(definitionStatement(definition)),
            },
            node: nameOf(call.call),
          });
        }
      }
      if (ts.isCallExpression(node)) reportValidatorFactory(ctx, node);
    };
    for (const node of callExpressionsOf(ctx.file.ast)) visit(node);
  },
};

/**
 * `validate(CreateUser)` where validate's middleware runs `schema.parse(req.body)`: the schema
 * passed at this call is what the route it guards validates.
 */
function reportValidatorFactory(ctx: DetectContext, call: TS.CallExpression): void {
  if (call.arguments.length === 0 || !mayCallFactory(ctx, call.expression)) return;
  const factory = ctx.values.calleeFunction(call);
  if (!factory?.body) return;
  call.arguments.forEach((argument, position) => {
    const parameter = factory.parameters[position];
    if (!parameter || !ts.isIdentifier(parameter.name)) return;
    const parse = findParse(factory.body as TS.Node, parameter.name.text);
    const schema = parse && new ZodReader(ctx).read(argument);
    if (!parse || !schema || !parse.call.arguments[0]) return;
    const input = inputOf(ctx, parse.call.arguments[0]);
    ctx.report({
      kind: 'validation',
      library: 'zod',
      target: input.target,
      shape: {
        source: 'zod',
        schema,
        at: ctx.locate(definitionStatement(new ZodReader(ctx).definitionOf(argument) ?? argument)),
      },
      node: call,
    });
  });
}

/**
 * Resolving the callee of every call of a project to find the few validator factories costs
 * more than the rest of the zod detector; their names, found once from the parse calls on a
 * parameter, rule out almost every call by its name alone.
 */
const factoryNames = new WeakMap<DetectContext['index'], Set<string> | 'any'>();

function mayCallFactory(ctx: DetectContext, callee: TS.Expression): boolean {
  let names = factoryNames.get(ctx.index);
  if (!names) {
    names = findFactoryNames(ctx);
    factoryNames.set(ctx.index, names);
  }
  if (names === 'any') return true;
  const name = ts.isIdentifier(callee)
    ? callee.text
    : ts.isPropertyAccessExpression(callee)
      ? callee.name.text
      : undefined;
  return name !== undefined && names.has(name);
}

/** Names of the functions that run `<parameter>.parse(…)`; 'any' when one has no name to go by. */
function findFactoryNames(ctx: DetectContext): Set<string> | 'any' {
  const names = new Set<string>();
  for (const file of ctx.index.files) {
    for (const node of callExpressionsOf(file.ast)) {
      const call = methodCall(node);
      if (!call || !PARSE_METHODS.has(call.method) || !ts.isIdentifier(call.receiver)) continue;
      const declaration = findDeclaration(call.receiver, file.imports);
      if (declaration?.kind !== 'parameter') continue;
      const name = functionName(declaration.node.parent);
      if (name === undefined) return 'any';
      names.add(name);
    }
  }
  return names;
}

/** The name a function is called by: its own, or that of the variable or member holding it. */
function functionName(fn: TS.Node): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name) {
    return ts.isIdentifier(fn.name) ? fn.name.text : undefined;
  }
  const holder = fn.parent;
  if (
    (ts.isVariableDeclaration(holder) || ts.isPropertyAssignment(holder)) &&
    ts.isIdentifier(holder.name)
  ) {
    return holder.name.text;
  }
  return undefined;
}

/** A `<name>.parse(…)` or `safeParse` call inside a function body. */
function findParse(body: TS.Node, name: string) {
  let found: ReturnType<typeof methodCall>;
  const visit = (node: TS.Node): void => {
    const call = methodCall(node);
    if (
      call &&
      PARSE_METHODS.has(call.method) &&
      ts.isIdentifier(call.receiver) &&
      call.receiver.text === name
    )
      found = call;
    if (!found) ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

interface Input {
  target: ValidationFact['target'];
  property?: string;
}

/**
 * Which part of the request a validated value is: `req.body`, `req.params.id`, … A helper's
 * parameter (`parseOrderId(raw)`) is followed back to what its callers pass.
 */
function inputOf(ctx: DetectContext, argument: TS.Expression): Input {
  const expression = unwrap(argument);
  if (ts.isIdentifier(expression)) {
    const declaration = findDeclaration(expression, ctx.file.imports);
    if (declaration?.kind === 'parameter' && declaration.path.length === 0) {
      const fn = declaration.node.parent as TS.FunctionLikeDeclaration;
      const position = fn.parameters.indexOf(declaration.node);
      const passed = ctx.values.callsOf(fn).map((site) => site.arguments?.[position]);
      const inputs = passed
        .filter((each): each is TS.Expression => each !== undefined)
        .map(inputOfText);
      const known = inputs.find((input) => input.target !== 'unknown');
      if (known) return known;
    }
  }
  return inputOfText(expression);
}

const REQUEST_PARTS: Record<string, Input['target']> = {
  body: 'body',
  params: 'params',
  query: 'query',
  querystring: 'query',
};

/** `req.params.id` → params, property id: read from the member chain, not the text. */
function inputOfText(expression: TS.Expression): Input {
  const names: string[] = [];
  let current: TS.Expression = unwrap(expression);
  while (ts.isPropertyAccessExpression(current)) {
    names.unshift(current.name.text);
    current = unwrap(current.expression);
  }
  const index = names.findIndex((name) => name in REQUEST_PARTS);
  const target = index >= 0 ? REQUEST_PARTS[names[index] as string] : undefined;
  if (target) {
    const property = names[index + 1];
    return property ? { target, property } : { target };
  }
  const last = names.at(-1) ?? (ts.isIdentifier(current) ? current.text : '');
  return ['content', 'message', 'payload', 'data', 'event'].includes(last)
    ? { target: 'message' }
    : { target: 'unknown' };
}

/** The line a reader looks for: the `const X = …` that defines a schema. */
function definitionStatement(node: TS.Node): TS.Node {
  const parent = node.parent;
  return parent && ts.isVariableDeclaration(parent) ? parent : node;
}

class ZodReader {
  private depth = 0;

  constructor(private readonly ctx: DetectContext) {}

  /** The JSON Schema of a zod expression, or undefined when it is not one. */
  read(expression: TS.Expression): JsonSchema | undefined {
    if (this.depth > 12) return undefined;
    this.depth++;
    try {
      return this.compute(unwrap(expression));
    } finally {
      this.depth--;
    }
  }

  private compute(expression: TS.Expression): JsonSchema | undefined {
    if (ts.isIdentifier(expression) || ts.isPropertyAccessExpression(expression)) {
      // A schema defined elsewhere: follow the name to its definition.
      const definition = this.definitionOf(expression);
      return definition ? this.read(definition) : undefined;
    }
    if (!ts.isCallExpression(expression) || !ts.isPropertyAccessExpression(expression.expression)) {
      return undefined;
    }
    const method = expression.expression.name.text;
    const target = expression.expression.expression;
    const args = expression.arguments;
    if (this.isZodNamespace(target)) return this.base(method, args);
    const inner = this.read(target);
    return inner ? this.modifier(inner, method, args) : undefined;
  }

  /** `CreateOrder` → the expression it was defined with, in this file or the one it came from. */
  definitionOf(expression: TS.Expression): TS.Expression | undefined {
    return definitionOf(this.ctx.index, expression);
  }

  private isZodNamespace(expression: TS.Expression): boolean {
    const value = this.ctx.values.valueOf(expression);
    if (value?.kind === 'library' && value.module === 'zod') return value.path.length <= 1;
    return false;
  }

  private base(method: string, args: TS.NodeArray<TS.Expression>): JsonSchema | undefined {
    const [first] = args;
    switch (method) {
      case 'string':
        return { type: 'string' };
      case 'number':
        return { type: 'number' };
      case 'int':
        return { type: 'integer' };
      case 'boolean':
        return { type: 'boolean' };
      case 'uuid':
      case 'email':
      case 'url':
        return { type: 'string', format: method === 'url' ? 'uri' : method };
      case 'iso':
      case 'date':
        return { type: 'string', format: 'date-time' };
      case 'literal':
        return first ? { const: this.literal(first) } : undefined;
      case 'enum':
        return first && ts.isArrayLiteralExpression(first)
          ? { type: 'string', enum: first.elements.map((element) => this.literal(element)) }
          : undefined;
      case 'array':
        return first ? { type: 'array', items: this.read(first) ?? {} } : undefined;
      case 'object':
      case 'strictObject':
        return first ? this.object(first, method === 'strictObject') : undefined;
      case 'union':
        return first && ts.isArrayLiteralExpression(first)
          ? { anyOf: first.elements.map((element) => this.read(element) ?? {}) }
          : undefined;
      case 'unknown':
      case 'any':
        return {};
      default:
        return undefined;
    }
  }

  private object(shape: TS.Expression, strict: boolean): JsonSchema | undefined {
    const literal = unwrap(shape);
    if (!ts.isObjectLiteralExpression(literal)) return undefined;
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const property of literal.properties) {
      if (!ts.isPropertyAssignment(property)) continue;
      const name = property.name.getText().replace(/^['"]|['"]$/g, '');
      const schema = this.read(property.initializer) ?? {};
      const { optional, ...rest } = schema as JsonSchema & { optional?: boolean };
      properties[name] = rest;
      if (!optional) required.push(name);
    }
    return {
      type: 'object',
      properties,
      ...(required.length > 0 ? { required } : {}),
      ...(strict ? { additionalProperties: false } : {}),
    };
  }

  private modifier(
    inner: JsonSchema,
    method: string,
    args: TS.NodeArray<TS.Expression>,
  ): JsonSchema {
    const number = (index: number) => {
      const argument = args[index];
      const text = argument && this.ctx.strings.literal(argument);
      return text === undefined ? undefined : Number(text);
    };
    const isString = inner.type === 'string';
    const isArray = inner.type === 'array';
    switch (method) {
      case 'optional':
      case 'default':
      case 'nullish':
        return { ...inner, optional: true };
      case 'nullable':
        return { anyOf: [inner, { type: 'null' }] };
      case 'int':
        return { ...inner, type: 'integer' };
      case 'positive':
        return { ...inner, exclusiveMinimum: 0 };
      case 'nonnegative':
        return { ...inner, minimum: 0 };
      case 'min':
      case 'max':
      case 'length': {
        const bound = number(0);
        if (bound === undefined) return inner;
        const key = isString ? 'Length' : isArray ? 'Items' : '';
        if (method === 'length') return { ...inner, [`min${key}`]: bound, [`max${key}`]: bound };
        if (key === '') return { ...inner, [method === 'min' ? 'minimum' : 'maximum']: bound };
        return { ...inner, [`${method}${key}`]: bound };
      }
      case 'uuid':
      case 'email':
        return { ...inner, format: method };
      case 'url':
        return { ...inner, format: 'uri' };
      case 'array':
        return { type: 'array', items: inner };
      case 'strict':
        return { ...inner, additionalProperties: false };
      default:
        // refine, transform, describe and the like leave the shape as it is.
        return inner;
    }
  }

  private literal(expression: TS.Expression): unknown {
    if (ts.isNumericLiteral(expression)) return Number(expression.text);
    if (expression.kind === ts.SyntaxKind.TrueKeyword) return true;
    if (expression.kind === ts.SyntaxKind.FalseKeyword) return false;
    return this.ctx.strings.literal(expression);
  }
}
