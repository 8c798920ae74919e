// Values for a scenario: a valid value for a JSON Schema, the ways to make it invalid (each one
// checked to really fail), and a row for a table read from the migrations. Everything is derived
// from the inputs alone: the same schema, tag and seq give the same value, so a failing test can
// be rerun and its rows found again by the tag they carry.
import { createHash } from 'node:crypto';
import type { ColumnSchema, TableSchema } from './sql-schema.js';

export type JsonSchema = Record<string, unknown>;

export interface SampleOptions {
  /** Goes into free-text strings, e.g. 'st-3f9a2c', so rows can be traced to the test that made them. */
  tag: string;
  /** Varies values between calls (default 0). */
  seq?: number;
}

/** Begins a string that could not be made to satisfy its schema (a pattern beyond the simple ones). */
export const UNSATISFIED = 'seamtest-unsatisfied:';

/** A uuid in the version-4 layout, derived from the tag, seq and salt alone. */
export function sampleUuid(tag: string, seq = 0, salt = ''): string {
  const hex = digest(`uuid\u0000${tag}\u0000${seq}\u0000${salt}`).slice(0, 32).split('');
  hex[12] = '4';
  hex[16] = '89ab'[Number.parseInt(hex[16] ?? '0', 16) & 3] ?? '8';
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Schemas: references resolved and allOf folded in, so generation sees one flat schema.

type Schema = JsonSchema | boolean;

interface Context {
  root: Schema;
  tag: string;
  depth: number;
}

const MAX_DEPTH = 12;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function resolveRef(root: Schema, ref: string): Schema | undefined {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = root;
  const pointer = decodeURIComponent(ref.slice(1));
  if (pointer === '') return isObject(root) || typeof root === 'boolean' ? root : undefined;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isObject(node)) node = node[key];
    else return undefined;
  }
  return isObject(node) || typeof node === 'boolean' ? (node as Schema) : undefined;
}

/** The schema with $ref followed and allOf merged into it (as far as merging is exact enough). */
function flatten(schema: Schema | undefined, root: Schema, depth = 0): JsonSchema | false {
  if (schema === undefined || schema === true) return {};
  if (schema === false) return false;
  if (depth > MAX_DEPTH) return {};
  let result: JsonSchema = { ...schema };
  if (typeof result.$ref === 'string') {
    const target = resolveRef(root, result.$ref);
    delete result.$ref;
    const flat = flatten(target, root, depth + 1);
    if (flat === false) return false;
    result = merge(flat, result);
  }
  if (Array.isArray(result.allOf)) {
    const parts = result.allOf as Schema[];
    delete result.allOf;
    for (const part of parts) {
      const flat = flatten(part, root, depth + 1);
      if (flat === false) return false;
      result = merge(result, flat);
    }
  }
  return result;
}

const LOWER_BOUNDS = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'];
const UPPER_BOUNDS = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'];

function merge(a: JsonSchema, b: JsonSchema): JsonSchema {
  const result: JsonSchema = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const existing = result[key];
    if (existing === undefined) result[key] = value;
    else if (key === 'required' && Array.isArray(existing) && Array.isArray(value)) {
      result[key] = [...new Set([...existing, ...value])];
    } else if (key === 'properties' && isObject(existing) && isObject(value)) {
      const properties: Record<string, unknown> = { ...existing };
      for (const [name, property] of Object.entries(value)) {
        properties[name] =
          properties[name] === undefined ? property : { allOf: [properties[name], property] };
      }
      result[key] = properties;
    } else if (key === 'type') {
      const left = typeList(existing);
      const right = typeList(value);
      const both = left.filter(
        (type) => right.includes(type) || (type === 'integer' && right.includes('number')),
      );
      for (const type of right) {
        if (type === 'integer' && left.includes('number') && !both.includes(type)) both.push(type);
      }
      result[key] = both.length === 1 ? both[0] : both;
    } else if (key === 'enum' && Array.isArray(existing) && Array.isArray(value)) {
      result[key] = existing.filter((entry) => value.some((other) => equal(entry, other)));
    } else if (
      LOWER_BOUNDS.includes(key) &&
      typeof existing === 'number' &&
      typeof value === 'number'
    ) {
      result[key] = Math.max(existing, value);
    } else if (
      UPPER_BOUNDS.includes(key) &&
      typeof existing === 'number' &&
      typeof value === 'number'
    ) {
      result[key] = Math.min(existing, value);
    } else if ((key === 'anyOf' || key === 'oneOf') && Array.isArray(existing)) {
      // Two lists of branches: keep the first as is, the second as a further constraint.
      result.allOf = [...((result.allOf as unknown[]) ?? []), { [key]: value }];
    } else if (key === 'additionalProperties' && existing !== value) {
      result[key] = existing === false || value === false ? false : { allOf: [existing, value] };
    } else if (key === 'items' && isObject(existing) && isObject(value)) {
      result[key] = { allOf: [existing, value] };
    } else result[key] = value;
  }
  return result;
}

function typeList(type: unknown): string[] {
  if (typeof type === 'string') return [type];
  if (Array.isArray(type))
    return type.filter((entry): entry is string => typeof entry === 'string');
  return [];
}

/** The types a value may take; inferred from the keywords when `type` is absent. */
function typesOf(schema: JsonSchema): string[] {
  const types = typeList(schema.type);
  if (schema.nullable === true && types.length > 0 && !types.includes('null')) types.push('null');
  if (types.length > 0) return types;
  const has = (...keys: string[]) => keys.some((key) => key in schema);
  if (
    has(
      'properties',
      'required',
      'additionalProperties',
      'patternProperties',
      'minProperties',
      'maxProperties',
    )
  ) {
    return ['object'];
  }
  if (has('items', 'prefixItems', 'minItems', 'maxItems', 'uniqueItems', 'contains'))
    return ['array'];
  if (has('minLength', 'maxLength', 'pattern', 'format')) return ['string'];
  if (has('minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'))
    return ['number'];
  return [];
}

// ---------------------------------------------------------------------------------------------
// A valid value.

/**
 * A deterministic value valid for the schema. `tag` goes into free-text strings; `seq` varies
 * values between calls. A string whose pattern could not be met starts with UNSATISFIED.
 */
export function sampleValue(schema: JsonSchema, options: SampleOptions): unknown {
  const context: Context = { root: schema, tag: options.tag, depth: 0 };
  return generate(schema, context, '', options.seq ?? 0);
}

function generate(
  schema: Schema | undefined,
  context: Context,
  name: string,
  seq: number,
): unknown {
  const flat = flatten(schema, context.root);
  if (flat === false) return undefined;
  if (context.depth > MAX_DEPTH) return null;
  const inner: Context = { ...context, depth: context.depth + 1 };
  if ('const' in flat) return clone(flat.const);
  if (Array.isArray(flat.enum)) {
    const { enum: values, ...rest } = flat;
    const fits = values.filter((value) => check(rest, value, context.root) !== 'fail');
    const pool = fits.length > 0 ? fits : values;
    return clone(pool[seq % Math.max(pool.length, 1)]);
  }
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    const branches = flat[keyword];
    if (!Array.isArray(branches)) continue;
    const { [keyword]: _, ...rest } = flat;
    let fallback: unknown;
    let unsure: unknown;
    for (const branch of branches as Schema[]) {
      const branchFlat = flatten(branch, context.root);
      if (branchFlat === false) continue;
      const value = generate(merge(rest, branchFlat), inner, name, seq);
      const verdict = check(flat, value, context.root);
      if (verdict === 'pass') return value;
      if (verdict === 'unknown' && unsure === undefined) unsure = value;
      if (fallback === undefined) fallback = value;
    }
    return unsure ?? fallback;
  }
  const types = typesOf(flat);
  const type =
    types.find((entry) => entry !== 'null') ?? (types.includes('null') ? 'null' : undefined);
  switch (type) {
    case 'null':
      return null;
    case 'boolean':
      return seq % 2 === 0;
    case 'integer':
    case 'number':
      return sampleNumber(flat, type === 'integer', seq);
    case 'string':
      return sampleString(flat, context.tag, name, seq);
    case 'array':
      return sampleArray(flat, inner, name, seq);
    case 'object':
      return sampleObject(flat, inner, seq);
    default:
      return freeText(context.tag, name, seq);
  }
}

function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

function freeText(tag: string, name: string, seq: number): string {
  const slug = name.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '');
  return slug ? `${tag}-${slug}-${seq}` : `${tag}-${seq}`;
}

/** Bounds of a number schema, both drafts' exclusive forms. */
function numberBounds(schema: JsonSchema): NumberBounds {
  const bounds: NumberBounds = {};
  const { minimum, maximum, exclusiveMinimum, exclusiveMaximum } = schema;
  if (typeof minimum === 'number') {
    if (exclusiveMinimum === true) bounds.exclusiveMin = minimum;
    else bounds.min = minimum;
  }
  if (typeof maximum === 'number') {
    if (exclusiveMaximum === true) bounds.exclusiveMax = maximum;
    else bounds.max = maximum;
  }
  if (typeof exclusiveMinimum === 'number') bounds.exclusiveMin = exclusiveMinimum;
  if (typeof exclusiveMaximum === 'number') bounds.exclusiveMax = exclusiveMaximum;
  return bounds;
}

interface NumberBounds {
  min?: number;
  max?: number;
  exclusiveMin?: number;
  exclusiveMax?: number;
}

/**
 * A number in the bounds, a whole multiple of the step: `prefer` (1 unless said) moved into the
 * bounds, then seq steps on, wrapping inside a closed range. With `spread`, `prefer` is not
 * moved but wrapped, so values picked by a digest stay spread over a narrow range.
 */
function pickNumber(
  bounds: NumberBounds,
  options: {
    integer: boolean;
    multipleOf?: number;
    seq: number;
    prefer?: number;
    spread?: boolean;
  },
): number {
  const { seq } = options;
  const multipleOf = options.multipleOf && options.multipleOf > 0 ? options.multipleOf : undefined;
  const fits = (value: number) =>
    (bounds.min === undefined || value >= bounds.min) &&
    (bounds.max === undefined || value <= bounds.max) &&
    (bounds.exclusiveMin === undefined || value > bounds.exclusiveMin) &&
    (bounds.exclusiveMax === undefined || value < bounds.exclusiveMax) &&
    (!options.integer || Number.isInteger(value)) &&
    (multipleOf === undefined || isMultiple(value, multipleOf));
  let step = multipleOf ?? 1;
  if (options.integer && !Number.isInteger(step)) step = wholeMultiple(step);
  const low = Math.max(bounds.min ?? -Infinity, bounds.exclusiveMin ?? -Infinity);
  const high = Math.min(bounds.max ?? Infinity, bounds.exclusiveMax ?? Infinity);
  let lowK = Number.isFinite(low) ? Math.ceil(low / step) : -Infinity;
  if (Number.isFinite(lowK) && !fits(roundTo(lowK * step, step))) lowK++;
  let highK = Number.isFinite(high) ? Math.floor(high / step) : Infinity;
  if (Number.isFinite(highK) && !fits(roundTo(highK * step, step))) highK--;
  const preferK = Math.round((options.prefer ?? 1) / step) || 1;
  if (lowK <= highK) {
    let k: number;
    if (Number.isFinite(highK) && !Number.isFinite(lowK)) {
      k = Math.min(preferK, highK) - seq;
    } else {
      const start = options.spread ? preferK : Math.min(Math.max(preferK, lowK), highK);
      k = start + seq;
      // Wrapped inside a closed range (computed only then: wide ranges lose precision).
      if (k > highK || k < lowK) {
        const span = highK - lowK + 1;
        k = lowK + ((((k - lowK) % span) + span) % span);
      }
    }
    for (const candidate of [k, k + 1, k - 1]) {
      const value = roundTo(candidate * step, step);
      if (fits(value)) return value;
    }
  }
  // No whole multiple fits (an open range narrower than a step): its middle.
  if (Number.isFinite(low) && Number.isFinite(high)) return (low + high) / 2;
  if (Number.isFinite(low)) return low + 1;
  if (Number.isFinite(high)) return high - 1;
  return 1 + seq;
}

/** The least whole multiple of a fractional step (2.5 → 5). */
function wholeMultiple(step: number): number {
  for (let k = 1; k <= 1000; k++) {
    const value = roundTo(step * k, step);
    if (Number.isInteger(value)) return value;
  }
  return 1;
}

function roundTo(value: number, step: number): number {
  const decimals = (String(step).split('.')[1] ?? '').length;
  return decimals > 0 ? Number(value.toFixed(decimals)) : value;
}

/** As ajv decides it: value / multipleOf is a whole number. */
function isMultiple(value: number, multipleOf: number): boolean {
  if (multipleOf === 0) return false;
  const ratio = value / multipleOf;
  return ratio === Number.parseInt(String(ratio), 10);
}

function sampleNumber(schema: JsonSchema, integer: boolean, seq: number): number {
  const multipleOf = typeof schema.multipleOf === 'number' ? schema.multipleOf : undefined;
  return pickNumber(numberBounds(schema), { integer, seq, ...(multipleOf ? { multipleOf } : {}) });
}

function codePoints(text: string): number {
  return [...text].length;
}

/** The text cut or padded to the length limits, cut by code points. */
function fitLength(text: string, min: number, max: number): string {
  let chars = [...text];
  if (chars.length > max) chars = chars.slice(0, Math.max(0, max));
  while (chars.length < min) chars.push('x');
  return chars.join('');
}

const DAY = 86_400_000;
const EPOCH = Date.UTC(2024, 0, 1);

function formatted(format: string, tag: string, name: string, seq: number): string | undefined {
  const local = tag.toLowerCase().replace(/[^a-z0-9._-]+/g, '-') || 'seamtest';
  switch (format) {
    case 'uuid':
      return sampleUuid(tag, seq, name);
    case 'email':
    case 'idn-email':
      return `${local}.${seq}@example.com`;
    case 'date-time':
    case 'iso-date-time':
      return new Date(EPOCH + seq * 60_000).toISOString();
    case 'date':
      return new Date(EPOCH + seq * DAY).toISOString().slice(0, 10);
    case 'time':
    case 'iso-time':
      return `12:${String(seq % 60).padStart(2, '0')}:00Z`;
    case 'uri':
    case 'url':
    case 'iri':
    case 'uri-reference':
    case 'iri-reference':
      return `https://example.com/${encodeURIComponent(local)}/${seq}`;
    case 'hostname':
    case 'idn-hostname':
      return `${local.replace(/[._]/g, '-').replace(/^-+|-+$/g, '') || 'seamtest'}.example.com`;
    case 'ipv4':
      return `192.0.2.${1 + (seq % 254)}`;
    case 'ipv6':
      return `2001:db8::${(seq + 1).toString(16)}`;
    case 'duration':
      return `P${seq + 1}D`;
    case 'byte':
      return Buffer.from(`${tag}-${seq}`).toString('base64');
    case 'json-pointer':
      return `/${local}/${seq}`;
    case 'regex':
      return `^${local}$`;
    case 'uri-template':
      return `https://example.com/${encodeURIComponent(local)}/{id}`;
    default:
      return undefined;
  }
}

function sampleString(schema: JsonSchema, tag: string, name: string, seq: number): string {
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  const pattern = typeof schema.pattern === 'string' ? compile(schema.pattern) : undefined;
  const ok = (text: string | undefined): text is string =>
    text !== undefined &&
    codePoints(text) >= min &&
    codePoints(text) <= max &&
    (pattern === undefined || pattern.test(text)) &&
    (typeof schema.format !== 'string' || formatVerdict(schema.format, text) !== 'fail');
  const format =
    typeof schema.format === 'string' ? formatted(schema.format, tag, name, seq) : undefined;
  if (ok(format)) return format;
  const plain = fitLength(freeText(tag, name, seq), min, max);
  if (format === undefined && ok(plain)) return plain;
  if (typeof schema.pattern === 'string' && pattern) {
    for (const extra of [0, min, min + 8]) {
      const made = fromPattern(schema.pattern, seq, extra);
      if (made === undefined) break;
      const prefixed = `${tag}-${made}`;
      if (ok(prefixed)) return prefixed;
      if (ok(made)) return made;
    }
    return `${UNSATISFIED}pattern ${schema.pattern}`;
  }
  return format ?? plain;
}

function compile(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return undefined;
  }
}

// A string for the simple patterns: literals, classes, \d \w \s, groups with alternatives and
// quantifiers. Lookarounds and back-references give up (undefined).

interface PatternCursor {
  source: string;
  at: number;
}

const WORD = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_';
const DIGITS = '0123456789';
const SPACE = ' ';
const ANY = 'abcdefghijklmnopqrstuvwxyz0123456789';

function fromPattern(pattern: string, seq = 0, extra = 0): string | undefined {
  const cursor: PatternCursor = { source: pattern, at: 0 };
  const state = { seq, extra, position: 0 };
  try {
    const text = alternatives(cursor, state);
    return cursor.at === pattern.length ? text : undefined;
  } catch {
    return undefined;
  }
}

function alternatives(
  cursor: PatternCursor,
  state: { seq: number; extra: number; position: number },
): string {
  const options: string[] = [sequence(cursor, state)];
  while (cursor.source[cursor.at] === '|') {
    cursor.at++;
    options.push(sequence(cursor, state));
  }
  return options[0] ?? '';
}

function sequence(
  cursor: PatternCursor,
  state: { seq: number; extra: number; position: number },
): string {
  let text = '';
  while (cursor.at < cursor.source.length) {
    const char = cursor.source[cursor.at];
    if (char === '|' || char === ')') break;
    if (char === '^' || char === '$') {
      cursor.at++;
      continue;
    }
    const atom = atomChoices(cursor, state);
    const [min, max] = quantifier(cursor);
    let count = min;
    if (max === Infinity && state.extra > 0) {
      count += state.extra;
      state.extra = 0;
    } else if (count === 0 && max >= 1 && max !== Infinity) count = Math.min(1, max);
    for (let i = 0; i < count; i++) text += atom();
  }
  return text;
}

function quantifier(cursor: PatternCursor): [number, number] {
  const rest = cursor.source.slice(cursor.at);
  const braces = /^\{(\d+)(,(\d*))?\}/.exec(rest);
  let result: [number, number] = [1, 1];
  if (rest[0] === '*') result = [0, Infinity];
  else if (rest[0] === '+') result = [1, Infinity];
  else if (rest[0] === '?') result = [0, 1];
  else if (braces) {
    const min = Number(braces[1]);
    const max = braces[2] === undefined ? min : braces[3] === '' ? Infinity : Number(braces[3]);
    result = [min, max];
    cursor.at += braces[0].length;
    if (cursor.source[cursor.at] === '?') cursor.at++;
    return result;
  } else return result;
  cursor.at++;
  if (cursor.source[cursor.at] === '?') cursor.at++;
  return result;
}

/** One atom, as a function giving a character (or a group's text) each time it is called. */
function atomChoices(
  cursor: PatternCursor,
  state: { seq: number; extra: number; position: number },
): () => string {
  const source = cursor.source;
  const char = source[cursor.at] ?? '';
  const pick = (pool: string) => () => {
    const chars = [...pool];
    const value = chars[(state.seq + state.position) % chars.length] ?? '';
    state.position++;
    return value;
  };
  if (char === '(') {
    cursor.at++;
    if (source[cursor.at] === '?') {
      if (source[cursor.at + 1] !== ':') throw new Error('lookaround');
      cursor.at += 2;
    }
    const text = alternatives(cursor, state);
    if (source[cursor.at] !== ')') throw new Error('unclosed group');
    cursor.at++;
    return () => text;
  }
  if (char === '[') return pick(characterClass(cursor));
  if (char === '.') {
    cursor.at++;
    return pick(ANY);
  }
  if (char === '\\') {
    const next = source[cursor.at + 1] ?? '';
    cursor.at += 2;
    const escaped = escapeClass(next);
    if (escaped !== undefined) return pick(escaped);
    if (/[0-9bBpPkcux]/.test(next)) throw new Error('unsupported escape');
    return () => next;
  }
  if ('*+?{}'.includes(char)) throw new Error('dangling quantifier');
  cursor.at++;
  return () => char;
}

function escapeClass(letter: string): string | undefined {
  switch (letter) {
    case 'd':
      return DIGITS;
    case 'w':
      return WORD;
    case 's':
      return SPACE;
    case 'D':
    case 'S':
    case 'W':
      return letter === 'W' ? '-' : 'a';
    case 'n':
      return '\n';
    case 't':
      return '\t';
    default:
      return undefined;
  }
}

function characterClass(cursor: PatternCursor): string {
  const source = cursor.source;
  cursor.at++;
  const negated = source[cursor.at] === '^';
  if (negated) cursor.at++;
  let members = '';
  let first = true;
  while (cursor.at < source.length && (source[cursor.at] !== ']' || first)) {
    first = false;
    let from = source[cursor.at] ?? '';
    cursor.at++;
    if (from === '\\') {
      const next = source[cursor.at] ?? '';
      cursor.at++;
      const escaped = escapeClass(next);
      if (escaped !== undefined) {
        members += escaped;
        continue;
      }
      if (/[bBpPkcux0-9]/.test(next)) throw new Error('unsupported escape');
      from = next;
    }
    if (
      source[cursor.at] === '-' &&
      source[cursor.at + 1] !== ']' &&
      cursor.at + 1 < source.length
    ) {
      const to = source[cursor.at + 1] ?? '';
      if (to === '\\') throw new Error('escaped range end');
      cursor.at += 2;
      const start = from.codePointAt(0) ?? 0;
      const end = to.codePointAt(0) ?? 0;
      for (let code = start; code <= end && code - start < 64; code++)
        members += String.fromCodePoint(code);
      continue;
    }
    members += from;
  }
  if (source[cursor.at] !== ']') throw new Error('unclosed class');
  cursor.at++;
  if (!negated) return members || 'a';
  const outside = [...`${ANY}ABCDEFGHIJKLMNOPQRSTUVWXYZ-_.`]
    .filter((c) => !members.includes(c))
    .join('');
  if (!outside) throw new Error('empty negated class');
  return outside;
}

function sampleArray(schema: JsonSchema, context: Context, name: string, seq: number): unknown[] {
  const tuple = Array.isArray(schema.prefixItems)
    ? (schema.prefixItems as Schema[])
    : Array.isArray(schema.items)
      ? (schema.items as Schema[])
      : undefined;
  const rest: Schema | undefined = tuple
    ? Array.isArray(schema.prefixItems)
      ? (schema.items as Schema | undefined)
      : (schema.additionalItems as Schema | undefined)
    : (schema.items as Schema | undefined);
  const minItems = typeof schema.minItems === 'number' ? schema.minItems : 0;
  const maxItems = typeof schema.maxItems === 'number' ? schema.maxItems : Infinity;
  let count = Math.max(minItems, tuple ? tuple.length : 1);
  if (rest === false && tuple) count = Math.min(count, tuple.length);
  count = Math.min(count, maxItems);
  const items: unknown[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) {
    const itemSchema = tuple && i < tuple.length ? tuple[i] : rest;
    const schemaForItem =
      i === 0 && schema.contains !== undefined
        ? ({ allOf: [itemSchema ?? true, schema.contains] } as JsonSchema)
        : itemSchema;
    let value = generate(schemaForItem, context, name, seq + i);
    for (
      let retry = 1;
      schema.uniqueItems === true && seen.has(stableKey(value)) && retry < 8;
      retry++
    ) {
      value = generate(schemaForItem, context, name, seq + i + retry * count);
    }
    if (schema.uniqueItems === true && seen.has(stableKey(value)) && i >= minItems) break;
    seen.add(stableKey(value));
    items.push(value);
  }
  return items;
}

function stableKey(value: unknown): string {
  return JSON.stringify(value, (_key, entry: unknown) =>
    isObject(entry)
      ? Object.fromEntries(
          Object.keys(entry)
            .sort()
            .map((key) => [key, entry[key]]),
        )
      : entry,
  );
}

/** Keywords that say nothing about validity. */
const ANNOTATIONS = [
  '$schema',
  '$id',
  'id',
  '$comment',
  '$defs',
  'definitions',
  'title',
  'description',
  'default',
  'examples',
  'example',
  'readOnly',
  'writeOnly',
  'deprecated',
  'contentMediaType',
  'contentEncoding',
  'discriminator',
  'xml',
  'externalDocs',
  '$anchor',
  '$dynamicAnchor',
];

/** Keywords whose meaning generation and checking follow exactly. */
const UNDERSTOOD = new Set([
  'type',
  'nullable',
  'enum',
  'const',
  'format',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'items',
  'prefixItems',
  'additionalItems',
  'minItems',
  'maxItems',
  'uniqueItems',
  'properties',
  'required',
  'additionalProperties',
  'minProperties',
  'maxProperties',
  'anyOf',
  'oneOf',
  ...ANNOTATIONS,
]);

/** An optional property is filled in only when nothing about it is left to chance. */
function safeOptional(schema: Schema | undefined, value: unknown, root: Schema): boolean {
  if (value === undefined || (typeof value === 'string' && value.startsWith(UNSATISFIED)))
    return false;
  const flat = flatten(schema, root);
  if (flat === false) return false;
  const keys = Object.keys(flat).filter((key) => !key.startsWith('x-'));
  if (!keys.some((key) => ['type', 'enum', 'const', 'format'].includes(key))) return false;
  if (!keys.every((key) => UNDERSTOOD.has(key))) return false;
  return check(schema ?? true, value, root) === 'pass';
}

function sampleObject(schema: JsonSchema, context: Context, seq: number): Record<string, unknown> {
  const properties = isObject(schema.properties)
    ? (schema.properties as Record<string, Schema>)
    : {};
  const required = Array.isArray(schema.required)
    ? schema.required.filter((entry): entry is string => typeof entry === 'string')
    : [];
  const maxProperties = typeof schema.maxProperties === 'number' ? schema.maxProperties : Infinity;
  const minProperties = typeof schema.minProperties === 'number' ? schema.minProperties : 0;
  const result: Record<string, unknown> = {};
  const schemaFor = (key: string): Schema | undefined => {
    if (key in properties) return properties[key];
    if (isObject(schema.patternProperties)) {
      for (const [pattern, entry] of Object.entries(schema.patternProperties)) {
        if (compile(pattern)?.test(key)) return entry as Schema;
      }
    }
    const additional = schema.additionalProperties;
    return additional === undefined ? true : (additional as Schema);
  };
  const ordered = [...Object.keys(properties).filter((key) => required.includes(key))];
  for (const key of required) if (!ordered.includes(key)) ordered.push(key);
  for (const key of ordered) {
    const value = generate(schemaFor(key), context, key, seq);
    if (value !== undefined) result[key] = value;
  }
  // Optional properties with no risk, unless others depend on them.
  const dependent =
    isObject(schema.dependentRequired) ||
    isObject(schema.dependencies) ||
    isObject(schema.dependentSchemas);
  const optional = Object.keys(properties).filter((key) => !required.includes(key));
  if (!dependent) {
    for (const key of optional) {
      if (Object.keys(result).length >= maxProperties) break;
      const value = generate(properties[key], context, key, seq);
      if (safeOptional(properties[key], value, context.root)) result[key] = value;
    }
  }
  for (const key of optional) {
    if (Object.keys(result).length >= minProperties) break;
    if (key in result) continue;
    const value = generate(properties[key], context, key, seq);
    if (value !== undefined) result[key] = value;
  }
  for (let i = 0; Object.keys(result).length < minProperties && i < minProperties; i++) {
    const key = `seamtest_${i}`;
    const entry = schemaFor(key);
    if (entry === false) break;
    result[key] = generate(entry, context, key, seq);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Checking, three-valued: 'fail' is only said when a keyword checked exactly fails, so an invalid
// variant kept for 'fail' fails a full validator too; keywords not followed give 'unknown'.

type Verdict = 'pass' | 'fail' | 'unknown';

function all(verdicts: Iterable<Verdict>): Verdict {
  let result: Verdict = 'pass';
  for (const verdict of verdicts) {
    if (verdict === 'fail') return 'fail';
    if (verdict === 'unknown') result = 'unknown';
  }
  return result;
}

function typeOfValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function matchesType(type: string, value: unknown): boolean {
  const actual = typeOfValue(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

const UUID = /^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i;
const EMAIL =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const HOSTNAME =
  /^(?=.{1,253}\.?$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[-0-9a-z]{0,61}[0-9a-z])?)*\.?$/i;

function validDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return days !== undefined && day >= 1 && day <= days;
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)$/i;

/** ajv-formats' verdict where it is certain; 'unknown' for formats not followed. */
function formatVerdict(format: string, value: string): Verdict {
  switch (format) {
    case 'uuid':
      return UUID.test(value) ? 'pass' : 'fail';
    case 'email':
      return EMAIL.test(value) ? 'pass' : 'fail';
    case 'ipv4':
      return IPV4.test(value) ? 'pass' : 'fail';
    case 'hostname':
      return HOSTNAME.test(value) ? 'pass' : 'fail';
    case 'date':
      return validDate(value) ? 'pass' : 'fail';
    case 'time':
      if (TIME.test(value)) return 'pass';
      return /^\d\d:\d\d/.test(value) ? 'unknown' : 'fail';
    case 'date-time': {
      const [date, time, more] = value.split(/t|\s/i);
      if (
        date !== undefined &&
        time !== undefined &&
        more === undefined &&
        validDate(date) &&
        TIME.test(time)
      ) {
        return 'pass';
      }
      return /^\d{4}-\d\d-\d\d[t\s]\d\d:\d\d/i.test(value) ? 'unknown' : 'fail';
    }
    case 'uri':
      if (
        /^[a-z][a-z0-9+.-]*:\/\/[a-z0-9.-]+(?::\d+)?(?:\/[a-z0-9._~%!$&'()*+,;=:@-]*)*$/i.test(
          value,
        )
      ) {
        return 'pass';
      }
      return /^[a-z][a-z0-9+.-]*:/i.test(value) ? 'unknown' : 'fail';
    default:
      return 'unknown';
  }
}

function equal(a: unknown, b: unknown): boolean {
  return stableKey(a) === stableKey(b);
}

function check(schema: Schema | undefined, value: unknown, root: Schema, depth = 0): Verdict {
  if (schema === undefined || schema === true) return 'pass';
  if (schema === false) return 'fail';
  if (depth > MAX_DEPTH * 2) return 'unknown';
  const next = (sub: Schema | undefined, entry: unknown) => check(sub, entry, root, depth + 1);
  const verdicts: Verdict[] = [];
  const s = schema;
  for (const key of Object.keys(s)) {
    if (!UNDERSTOOD.has(key) && !key.startsWith('x-') && !CHECKED_ELSEWHERE.has(key)) {
      verdicts.push('unknown');
    }
  }
  if (typeof s.$ref === 'string') {
    const target = resolveRef(root, s.$ref);
    verdicts.push(target === undefined ? 'unknown' : next(target, value));
  }
  if (Array.isArray(s.allOf))
    verdicts.push(all((s.allOf as Schema[]).map((sub) => next(sub, value))));
  if (Array.isArray(s.anyOf)) {
    const results = (s.anyOf as Schema[]).map((sub) => next(sub, value));
    verdicts.push(
      results.includes('pass') ? 'pass' : results.includes('unknown') ? 'unknown' : 'fail',
    );
  }
  if (Array.isArray(s.oneOf)) {
    const results = (s.oneOf as Schema[]).map((sub) => next(sub, value));
    const passes = results.filter((entry) => entry === 'pass').length;
    const unknowns = results.filter((entry) => entry === 'unknown').length;
    verdicts.push(
      passes > 1 || passes + unknowns === 0
        ? 'fail'
        : passes === 1 && unknowns === 0
          ? 'pass'
          : 'unknown',
    );
  }
  if ('not' in s) {
    const inner = next(s.not as Schema, value);
    verdicts.push(inner === 'pass' ? 'fail' : inner === 'fail' ? 'pass' : 'unknown');
  }
  const types = typeList(s.type);
  if (types.length > 0) {
    const allowed = s.nullable === true ? [...types, 'null'] : types;
    if (!allowed.some((type) => matchesType(type, value))) return 'fail';
  }
  if ('const' in s && !equal(s.const, value)) return 'fail';
  if (Array.isArray(s.enum)) {
    if (!s.enum.some((entry) => equal(entry, value))) {
      // OpenAPI's nullable admits null even when the enum lists no null.
      if (!(s.nullable === true && value === null)) return 'fail';
    }
  }
  if (typeof value === 'string') {
    const length = codePoints(value);
    if (typeof s.minLength === 'number' && length < s.minLength) return 'fail';
    if (typeof s.maxLength === 'number' && length > s.maxLength) return 'fail';
    if (typeof s.pattern === 'string') {
      const pattern = compile(s.pattern);
      verdicts.push(pattern ? (pattern.test(value) ? 'pass' : 'fail') : 'unknown');
    }
    if (typeof s.format === 'string') verdicts.push(formatVerdict(s.format, value));
  }
  if (typeof value === 'number') {
    const bounds = numberBounds(s);
    if (bounds.min !== undefined && value < bounds.min) return 'fail';
    if (bounds.max !== undefined && value > bounds.max) return 'fail';
    if (bounds.exclusiveMin !== undefined && value <= bounds.exclusiveMin) return 'fail';
    if (bounds.exclusiveMax !== undefined && value >= bounds.exclusiveMax) return 'fail';
    if (typeof s.multipleOf === 'number' && !isMultiple(value, s.multipleOf)) return 'fail';
    if (typeof s.format === 'string') verdicts.push('unknown');
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems) return 'fail';
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) return 'fail';
    if (s.uniqueItems === true && new Set(value.map(stableKey)).size < value.length) return 'fail';
    const tuple = Array.isArray(s.prefixItems)
      ? (s.prefixItems as Schema[])
      : Array.isArray(s.items)
        ? (s.items as Schema[])
        : undefined;
    const rest = tuple
      ? ((Array.isArray(s.prefixItems) ? s.items : s.additionalItems) as Schema | undefined)
      : (s.items as Schema | undefined);
    value.forEach((entry, index) => {
      verdicts.push(next(tuple && index < tuple.length ? tuple[index] : rest, entry));
    });
    if ('contains' in s) {
      const results = value.map((entry) => next(s.contains as Schema, entry));
      verdicts.push(
        results.includes('pass') ? 'pass' : results.includes('unknown') ? 'unknown' : 'fail',
      );
    }
  }
  if (isObject(value)) {
    const keys = Object.keys(value);
    if (typeof s.minProperties === 'number' && keys.length < s.minProperties) return 'fail';
    if (typeof s.maxProperties === 'number' && keys.length > s.maxProperties) return 'fail';
    if (
      Array.isArray(s.required) &&
      s.required.some((key) => typeof key === 'string' && !(key in value))
    ) {
      return 'fail';
    }
    const properties = isObject(s.properties) ? (s.properties as Record<string, Schema>) : {};
    const patterns = isObject(s.patternProperties)
      ? Object.entries(s.patternProperties as Record<string, Schema>)
      : [];
    for (const key of keys) {
      let covered = false;
      if (key in properties) {
        covered = true;
        verdicts.push(next(properties[key], value[key]));
      }
      for (const [pattern, sub] of patterns) {
        const regex = compile(pattern);
        if (!regex) {
          verdicts.push('unknown');
          covered = true;
        } else if (regex.test(key)) {
          covered = true;
          verdicts.push(next(sub, value[key]));
        }
      }
      if (!covered && s.additionalProperties !== undefined) {
        verdicts.push(next(s.additionalProperties as Schema, value[key]));
      }
    }
    if (isObject(s.dependentRequired)) {
      for (const [key, needs] of Object.entries(s.dependentRequired)) {
        if (
          key in value &&
          Array.isArray(needs) &&
          needs.some((need) => !(String(need) in value))
        ) {
          return 'fail';
        }
      }
    }
  }
  return all(verdicts);
}

/** Keywords `check` reads outside the UNDERSTOOD set (generation only approximates them). */
const CHECKED_ELSEWHERE = new Set([
  '$ref',
  'allOf',
  'not',
  'pattern',
  'patternProperties',
  'contains',
  'dependentRequired',
]);

// ---------------------------------------------------------------------------------------------
// Invalid variants.

export interface InvalidVariant {
  /** A test name: what is wrong, and where. */
  description: string;
  /** JSON Pointer of the changed place ('' is the whole value). */
  path: string;
  /** The whole value with that one change. */
  value: unknown;
}

const REMOVE = Symbol('remove');

function replaceAt(root: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(root)) {
    const copy = [...root];
    const index = Number(head);
    if (rest.length === 0 && replacement === REMOVE) copy.splice(index, 1);
    else copy[index] = replaceAt(copy[index], rest, replacement);
    return copy;
  }
  const copy: Record<string, unknown> = { ...(isObject(root) ? root : {}) };
  if (rest.length === 0 && replacement === REMOVE) delete copy[String(head)];
  else copy[String(head)] = replaceAt(copy[String(head)], rest, replacement);
  return copy;
}

function pointer(path: (string | number)[]): string {
  return path.map((part) => `/${String(part).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

function where(path: (string | number)[]): string {
  if (path.length === 0) return 'the value';
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else
      text += /^[A-Za-z_$][\w$]*$/.test(part)
        ? text
          ? `.${part}`
          : part
        : `[${JSON.stringify(part)}]`;
  }
  return text;
}

const WRONG_TYPE_VALUES: [string, unknown][] = [
  ['a string', 'seamtest-wrong-type'],
  ['a number', 12345],
  ['an object', { seamtest: true }],
  ['an array', ['seamtest']],
  ['a boolean', true],
  ['null', null],
];

/**
 * Ways to make a valid value invalid, each with a description usable as a test name: each
 * missing required property, a wrong type, a string too long or too short, a number out of its
 * bounds or off its multiple, a value outside its enum, an empty array below minItems, an array
 * above maxItems, an unknown property where additionalProperties is false, malformed formats.
 * Only variants the schema certainly rejects are returned.
 */
export function invalidVariants(schema: JsonSchema, valid: unknown): InvalidVariant[] {
  const variants: InvalidVariant[] = [];
  const seen = new Set<string>();
  const add = (path: (string | number)[], description: string, replacement: unknown) => {
    const value = replaceAt(valid, path, replacement);
    const key = stableKey(value);
    if (seen.has(key)) return;
    if (check(schema, value, schema) !== 'fail') return;
    seen.add(key);
    variants.push({ description, path: pointer(path), value });
  };
  walk(schema, valid, [], schema, add, 0);
  return variants;
}

function walk(
  schema: Schema | undefined,
  value: unknown,
  path: (string | number)[],
  root: Schema,
  add: (path: (string | number)[], description: string, replacement: unknown) => void,
  depth: number,
): void {
  if (depth > MAX_DEPTH) return;
  let flat = flatten(schema, root);
  if (flat === false) return;
  // Inside anyOf / oneOf: the branch the value takes.
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    const branches = flat[keyword];
    if (!Array.isArray(branches)) continue;
    const { [keyword]: _, ...rest } = flat;
    const taken = (branches as Schema[]).find((branch) => check(branch, value, root) === 'pass');
    const branchFlat = taken === undefined ? false : flatten(taken, root);
    if (branchFlat !== false) flat = merge(rest, branchFlat);
  }
  const at = where(path);
  const allowed = typesOf(flat);
  const types = allowed;
  if (allowed.length > 0) {
    const wrong = WRONG_TYPE_VALUES.find(
      ([, candidate]) => !allowed.some((type) => matchesType(type, candidate)),
    );
    if (wrong) {
      add(path, `${at} of the wrong type (${wrong[0]}, not ${types.join(' or ')})`, wrong[1]);
    }
    if (types.includes('integer') && !types.includes('number') && typeof value === 'number') {
      add(path, `${at} not a whole number`, value + 0.5);
    }
  }
  if (Array.isArray(flat.enum)) {
    const values = flat.enum;
    const outside = values.every((entry) => typeof entry === 'number')
      ? Math.max(...(values as number[])) + 1
      : 'seamtest-not-in-enum';
    add(
      path,
      `${at} outside its allowed values (${values.map((entry) => JSON.stringify(entry)).join(', ')})`,
      outside,
    );
  } else if ('const' in flat) {
    const other = typeof flat.const === 'number' ? flat.const + 1 : 'seamtest-not-the-const';
    add(path, `${at} other than ${JSON.stringify(flat.const)}`, other);
  }
  if (typeof value === 'string') {
    if (typeof flat.maxLength === 'number') {
      const longer = fitLength(value, flat.maxLength + 1, Infinity);
      add(path, `${at} longer than ${flat.maxLength} characters`, longer);
    }
    if (typeof flat.minLength === 'number' && flat.minLength > 0) {
      const unit = flat.minLength === 1 ? 'character' : 'characters';
      const shorter = [...value].slice(0, flat.minLength - 1).join('');
      add(path, `${at} shorter than ${flat.minLength} ${unit}`, shorter);
    }
    if (typeof flat.format === 'string') {
      const malformed: Record<string, string> = {
        uuid: 'not-a-uuid',
        email: 'not-an-email',
        'date-time': 'not-a-date-time',
        date: 'not-a-date',
        time: 'not-a-time',
        uri: 'not a uri',
        ipv4: '999.0.0.1',
        hostname: '-not-a-hostname-',
      };
      const bad = malformed[flat.format];
      if (bad !== undefined) add(path, `${at} a malformed ${flat.format}`, bad);
    }
    if (typeof flat.pattern === 'string') {
      const regex = compile(flat.pattern);
      const bad = ['', '!', ' ', '~seamtest~', '0', 'a'].find(
        (candidate) => regex && !regex.test(candidate),
      );
      if (bad !== undefined) add(path, `${at} not matching /${flat.pattern}/`, bad);
    }
  }
  if (typeof value === 'number') {
    const bounds = numberBounds(flat);
    const integer = types.includes('integer') && !types.includes('number');
    if (bounds.min !== undefined) {
      add(
        path,
        `${at} below its minimum ${bounds.min}`,
        integer ? Math.ceil(bounds.min) - 1 : bounds.min - 1,
      );
    }
    if (bounds.exclusiveMin !== undefined) {
      const below =
        integer && !Number.isInteger(bounds.exclusiveMin)
          ? Math.floor(bounds.exclusiveMin)
          : bounds.exclusiveMin;
      add(path, `${at} not above its exclusive minimum ${bounds.exclusiveMin}`, below);
    }
    if (bounds.max !== undefined) {
      add(
        path,
        `${at} above its maximum ${bounds.max}`,
        integer ? Math.floor(bounds.max) + 1 : bounds.max + 1,
      );
    }
    if (bounds.exclusiveMax !== undefined) {
      const above =
        integer && !Number.isInteger(bounds.exclusiveMax)
          ? Math.ceil(bounds.exclusiveMax)
          : bounds.exclusiveMax;
      add(path, `${at} not below its exclusive maximum ${bounds.exclusiveMax}`, above);
    }
    if (typeof flat.multipleOf === 'number') {
      const off = integer && flat.multipleOf >= 2 ? value + 1 : value + flat.multipleOf / 2;
      add(path, `${at} not a multiple of ${flat.multipleOf}`, off);
    }
  }
  if (Array.isArray(value)) {
    if (typeof flat.minItems === 'number' && flat.minItems > 0) {
      add(
        path,
        `${at} empty (at least ${flat.minItems} item${flat.minItems === 1 ? '' : 's'})`,
        [],
      );
    }
    if (typeof flat.maxItems === 'number' && value.length > 0) {
      const more = Array.from(
        { length: flat.maxItems + 1 },
        (_, index) => value[index % value.length],
      );
      add(path, `${at} with ${flat.maxItems + 1} items (at most ${flat.maxItems})`, more);
    }
    if (flat.uniqueItems === true && value.length > 0) {
      const duplicated =
        typeof flat.maxItems === 'number' && value.length >= flat.maxItems
          ? value.length > 1
            ? [value[0], value[0], ...value.slice(2)]
            : undefined
          : [...value, value[0]];
      if (duplicated) add(path, `${at} with a repeated item`, duplicated);
    }
    const tuple = Array.isArray(flat.prefixItems)
      ? (flat.prefixItems as Schema[])
      : Array.isArray(flat.items)
        ? (flat.items as Schema[])
        : undefined;
    if (tuple) {
      value.forEach((entry, index) => {
        if (index < tuple.length) walk(tuple[index], entry, [...path, index], root, add, depth + 1);
      });
    } else if (value.length > 0) {
      walk(flat.items as Schema | undefined, value[0], [...path, 0], root, add, depth + 1);
    }
  }
  if (isObject(value)) {
    const properties = isObject(flat.properties) ? (flat.properties as Record<string, Schema>) : {};
    const required = Array.isArray(flat.required) ? flat.required : [];
    for (const key of required) {
      if (typeof key === 'string' && key in value) {
        add([...path, key], `${where([...path, key])} missing (required)`, REMOVE);
      }
    }
    if (flat.additionalProperties === false) {
      let unknown = 'seamtest_unknown';
      while (unknown in properties) unknown += '_';
      add(
        [...path, unknown],
        `${at === 'the value' ? '' : `${at} with `}an unknown property ${unknown}`.trim(),
        'seamtest',
      );
    }
    for (const key of Object.keys(value)) {
      if (key in properties)
        walk(properties[key], value[key], [...path, key], root, add, depth + 1);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Table rows.

const TIME_TYPES = new Set([
  'timestamptz',
  'timestamp',
  'datetime',
  'date',
  'time',
  'timetz',
  'year',
  'interval',
]);
const INTEGER_RANGES: Record<string, [number, number]> = {
  smallint: [-32768, 32767],
  smallserial: [1, 32767],
  tinyint: [-128, 127],
  mediumint: [-8388608, 8388607],
  integer: [-2147483648, 2147483647],
  int: [-2147483648, 2147483647],
  serial: [1, 2147483647],
  bigint: [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  bigserial: [1, Number.MAX_SAFE_INTEGER],
};
const DECIMAL_TYPES = new Set([
  'numeric',
  'decimal',
  'real',
  'double precision',
  'float',
  'double',
  'money',
]);

/**
 * A row for a table: every NOT NULL column without a default gets a value satisfying its type,
 * length and CHECK; text keys and unique text columns carry the tag; foreign-key columns take
 * the values given in `references`, keyed by the column's name or by 'table.column' it refers to.
 */
export function sampleRow(
  table: TableSchema,
  options: { tag: string; seq?: number; references?: Record<string, unknown> },
): Record<string, unknown> {
  const seq = options.seq ?? 0;
  const references = options.references ?? {};
  const row: Record<string, unknown> = {};
  for (const column of table.columns) {
    const given = referencedValue(table, column, references);
    if (given !== undefined) {
      row[column.name] = given;
      continue;
    }
    if (column.nullable || column.hasDefault) continue;
    row[column.name] = columnValue(table, column, options.tag, seq);
  }
  return row;
}

function referencedValue(
  table: TableSchema,
  column: ColumnSchema,
  references: Record<string, unknown>,
): unknown {
  if (column.name in references) return references[column.name];
  for (const key of table.foreignKeys) {
    const index = key.columns.indexOf(column.name);
    if (index < 0) continue;
    const qualified = `${key.table}.${key.references[index] ?? ''}`;
    if (qualified in references) return references[qualified];
  }
  return undefined;
}

function columnValue(table: TableSchema, column: ColumnSchema, tag: string, seq: number): unknown {
  const array = column.type.endsWith('[]');
  const type = column.type.replace(/\[\]$/, '');
  const value = scalarValue(table, column, type, tag, seq);
  return array ? [value] : value;
}

function scalarValue(
  table: TableSchema,
  column: ColumnSchema,
  type: string,
  tag: string,
  seq: number,
): unknown {
  const check = column.check ?? {};
  const unique =
    column.unique || (table.primaryKey.length === 1 && table.primaryKey[0] === column.name);
  if (check.oneOf && check.oneOf.length > 0) {
    const fitting = check.oneOf.filter(
      (entry) =>
        typeof entry !== 'string' || column.length === undefined || entry.length <= column.length,
    );
    const pool = fitting.length > 0 ? fitting : check.oneOf;
    return pool[seq % pool.length];
  }
  const salt = `${table.name}.${column.name}`;
  if (type === 'uuid') return sampleUuid(tag, seq, salt);
  const range = INTEGER_RANGES[type];
  if (range || DECIMAL_TYPES.has(type)) {
    const bounds = {
      min: Math.max(range?.[0] ?? -Infinity, check.min ?? -Infinity),
      max: Math.min(range?.[1] ?? Infinity, check.max ?? Infinity),
      ...(check.exclusiveMin !== undefined ? { exclusiveMin: check.exclusiveMin } : {}),
      ...(check.exclusiveMax !== undefined ? { exclusiveMax: check.exclusiveMax } : {}),
    };
    // A unique number: one the tag picks, away from other tests' and from 1, 2, 3 ….
    if (!unique) return pickNumber(bounds, { integer: Boolean(range), seq });
    const picked = Number.parseInt(digest(`${tag}\u0000${salt}`).slice(0, 8), 16) % 1_000_000;
    return pickNumber(bounds, {
      integer: Boolean(range),
      seq,
      prefer: 1000 + picked * 100,
      spread: true,
    });
  }
  if (type === 'boolean' || type === 'bool') return seq % 2 === 0;
  if (TIME_TYPES.has(type)) return timeValue(type, seq);
  if (type === 'json' || type === 'jsonb') return { seamtest: tag, seq };
  if (['bytea', 'blob', 'binary', 'varbinary'].includes(type)) {
    const bytes = Buffer.from(`${tag}-${seq}`);
    return column.length !== undefined ? bytes.subarray(0, column.length) : bytes;
  }
  if (type === 'inet') return `192.0.2.${1 + (seq % 254)}`;
  if (type === 'cidr') return `192.0.2.${(seq % 64) * 4}/30`;
  if (type === 'macaddr') return `08:00:2b:01:02:${(seq % 256).toString(16).padStart(2, '0')}`;
  if (type === 'bit' || type === 'bit varying') return '1'.repeat(column.length ?? 1);
  if (type === 'xml') return `<seamtest tag="${tag}" seq="${seq}"/>`;
  if (type === 'point') return `(${seq},0)`;
  return textValue(column, tag, seq, unique, salt);
}

function textValue(
  column: ColumnSchema,
  tag: string,
  seq: number,
  unique: boolean,
  salt: string,
): string {
  const text = freeText(tag, column.name, seq);
  const length = column.length;
  if (length === undefined || text.length <= length) return text;
  if (!unique) return text.slice(0, length);
  // Too long: the tag and seq in base 36 when they fit; else base-36 digits of a number the tag
  // picks, plus seq, so every seq of one tag differs and other tags most likely do.
  const left = length - tag.length - 1;
  if (left >= 1) return `${tag}-${(seq % 36 ** Math.min(left, 10)).toString(36)}`;
  const room = 36 ** Math.min(length, 10);
  const picked = Number.parseInt(digest(`${tag}\u0000${salt}`).slice(0, 12), 16);
  return ((picked + seq) % room).toString(36).padStart(length, '0');
}

function timeValue(type: string, seq: number): string | number {
  const instant = new Date(EPOCH + seq * 60_000).toISOString();
  switch (type) {
    case 'timestamptz':
      return instant;
    case 'date':
      return new Date(EPOCH + seq * DAY).toISOString().slice(0, 10);
    case 'time':
      return instant.slice(11, 19);
    case 'timetz':
      return `${instant.slice(11, 19)}+00`;
    case 'year':
      return 2024;
    case 'interval':
      return `${seq + 1} days`;
    default:
      return instant.slice(0, 19).replace('T', ' ');
  }
}
