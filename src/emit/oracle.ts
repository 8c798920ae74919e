// Turns what the observation run saw into expectations: values that came from the test's own
// input are written as that input (`body.currency`), stable values as literals, and values the
// system makes up each time (generated ids, timestamps) as matchers of their form.
import { literal, propertyName } from './code.js';

/** Expressions in scope at a check and the values they held when observed. */
export type Context = { expression: string; value: unknown }[];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)$/;

/** Flattens observed variables into every path expression that reaches a primitive value. */
export function flattenContext(variables: Record<string, unknown>): Context {
  const context: Context = [];
  const walk = (expression: string, value: unknown, depth: number) => {
    if (depth > 6) return;
    if (value === null || typeof value !== 'object') {
      context.push({ expression, value });
      return;
    }
    if (Array.isArray(value)) {
      for (const [index, item] of value.slice(0, 20).entries())
        walk(`${expression}[${index}]`, item, depth + 1);
      return;
    }
    for (const [key, item] of Object.entries(value)) {
      const access = /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${literal(key)}]`;
      walk(`${expression}${access}`, item, depth + 1);
    }
  };
  for (const [name, value] of Object.entries(variables)) walk(name, value, 0);
  return context;
}

/** A pattern for `toMatchObject`/`toEqual` that the observed value satisfies, as code. */
export function patternCode(value: unknown, context: Context, tag: string): string {
  if (Array.isArray(value))
    return `[${value.map((item) => patternCode(item, context, tag)).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(
      ([key, item]) => `${propertyName(key)}: ${patternCode(item, context, tag)}`,
    );
    return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
  }
  const derived = derive(value, context);
  if (derived) return derived;
  if (typeof value === 'string') {
    if (UUID.test(value)) return 'expect.stringMatching(UUID)';
    if (TIMESTAMP.test(value)) return 'expect.stringMatching(TIMESTAMP)';
    if (tag && value.includes(tag)) return 'expect.any(String)';
    if (EMBEDDED_UUID.test(value)) return `expect.stringMatching(${embeddedUuidPattern(value)})`;
    return literal(value);
  }
  if (value === undefined) return 'undefined';
  return JSON.stringify(value);
}

const EMBEDDED_UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** `refund-<uuid>` → /^refund-[0-9a-f]{8}-…$/: the made-up part matched by form, the rest exactly. */
function embeddedUuidPattern(value: string): string {
  const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
  const parts = value
    .split(new RegExp(EMBEDDED_UUID.source, 'gi'))
    .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  return `/^${parts.join(uuid)}$/i`;
}

/** An expression in scope that held exactly this value, preferring the test's own input. */
function derive(value: unknown, context: Context): string | undefined {
  if (value === null || typeof value === 'boolean') return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < 2) return undefined;
  if (typeof value === 'string' && value.length < 3) return undefined;
  return context.find((entry) => entry.value === value)?.expression;
}

export function usesForms(code: string): { uuid: boolean; timestamp: boolean } {
  return { uuid: code.includes('(UUID)'), timestamp: code.includes('(TIMESTAMP)') };
}
