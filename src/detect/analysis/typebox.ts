// TypeBox (`@sinclair/typebox`, `typebox`) builds JSON Schema at run time: `Type.Object({ name:
// Type.String({ minLength: 1 }) })`. Reading those calls gives the schema the route validates
// with, as if it had been written as a literal.
import type * as TS from 'typescript';
import { ts } from '../../typescript.js';
import type { JsonValue } from './json-literal.js';
import { unwrap, type ValueResolver } from './values.js';

// Fastify's TypeBox type provider re-exports `Type`.
const MODULES = new Set(['@sinclair/typebox', 'typebox', '@fastify/type-provider-typebox']);

const PRIMITIVES: Record<string, string> = {
  String: 'string',
  Number: 'number',
  Integer: 'integer',
  Boolean: 'boolean',
  Null: 'null',
};

type ReadJson = (expression: TS.Expression) => JsonValue | undefined;

/** The TypeBox builder `expression` calls (`Object`, `String`, …), if it is one. */
export function typeboxBuilder(
  expression: TS.Expression,
  values: ValueResolver,
): { name: string; call: TS.CallExpression } | undefined {
  const node = unwrap(expression);
  const call = ts.isCallExpression(node) ? node : undefined;
  const callee = call && values.valueOf(call.expression);
  if (call && callee?.kind === 'library' && MODULES.has(callee.module)) {
    const name = callee.path.at(-1);
    return name ? { name, call } : undefined;
  }
  // A constant holding a schema: `const CreateOrder = Type.Object({ … })`.
  const value = !call ? values.valueOf(node) : undefined;
  if (value?.kind === 'library' && MODULES.has(value.module) && value.site) {
    const site = value.site;
    return ts.isCallExpression(site) ? typeboxBuilder(site, values) : undefined;
  }
  return undefined;
}

/** The JSON Schema a TypeBox call builds, or undefined when any part is not static. */
export function typeboxSchema(
  expression: TS.Expression,
  values: ValueResolver,
  readJson: ReadJson,
): JsonValue | undefined {
  return read(expression, values, readJson)?.schema;
}

interface Read {
  schema: { [key: string]: JsonValue };
  optional: boolean;
}

function read(
  expression: TS.Expression,
  values: ValueResolver,
  readJson: ReadJson,
): Read | undefined {
  const builder = typeboxBuilder(expression, values);
  if (!builder) return undefined;
  const [first, second] = builder.call.arguments;
  const options = (argument: TS.Expression | undefined) => {
    if (!argument) return {};
    const json = readJson(argument);
    return json && typeof json === 'object' && !Array.isArray(json) ? json : undefined;
  };
  const inner = (argument: TS.Expression | undefined) =>
    argument ? read(argument, values, readJson) : undefined;
  const plain = (schema: Read['schema'] | undefined) =>
    schema ? { schema, optional: false } : undefined;
  const primitive = PRIMITIVES[builder.name];
  if (primitive) {
    const extra = options(first);
    return plain(extra && { type: primitive, ...extra });
  }
  switch (builder.name) {
    case 'Object':
      return plain(objectSchema(first, options(second), values, readJson));
    case 'Array': {
      const items = inner(first);
      const extra = options(second);
      return plain(items && extra && { type: 'array', items: items.schema, ...extra });
    }
    case 'Optional': {
      const wrapped = inner(first);
      return wrapped && { schema: wrapped.schema, optional: true };
    }
    case 'Readonly':
      return inner(first);
    case 'Literal': {
      const literal = first && readJson(first);
      return plain(literal === undefined ? undefined : { const: literal });
    }
    case 'Union': {
      const members =
        first && ts.isArrayLiteralExpression(unwrap(first))
          ? (unwrap(first) as TS.ArrayLiteralExpression).elements.map((member) => inner(member))
          : [];
      if (members.length === 0 || members.some((member) => !member)) return undefined;
      return plain({ anyOf: members.map((member) => (member as Read).schema) });
    }
    case 'Partial': {
      const whole = inner(first);
      if (!whole) return undefined;
      const { required: _required, ...rest } = whole.schema;
      return plain(rest);
    }
    case 'Any':
    case 'Unknown':
      return plain({});
    default:
      return undefined;
  }
}

function objectSchema(
  properties: TS.Expression | undefined,
  extra: Read['schema'] | undefined,
  values: ValueResolver,
  readJson: ReadJson,
): Read['schema'] | undefined {
  const literal = properties && unwrap(properties);
  if (!literal || !ts.isObjectLiteralExpression(literal) || !extra) return undefined;
  const shape: Record<string, JsonValue> = {};
  const required: string[] = [];
  for (const property of literal.properties) {
    if (!ts.isPropertyAssignment(property)) return undefined;
    const name = property.name;
    const key = ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
    const value = key === undefined ? undefined : read(property.initializer, values, readJson);
    if (key === undefined || !value) return undefined;
    shape[key] = value.schema;
    if (!value.optional) required.push(key);
  }
  return {
    type: 'object',
    properties: shape,
    ...(required.length > 0 ? { required } : {}),
    ...extra,
  };
}
