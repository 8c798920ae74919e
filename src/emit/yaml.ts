// A small YAML writer for the CI files seamtest emits: block style, keys in insertion order, a
// string quoted only when a plain scalar would be read as something else, so the output is the
// same for the same input and reads like a hand-written workflow.

/** A short list written on one line: `[a, b]`. */
export class Flow {
  constructor(readonly items: readonly (string | number | boolean)[]) {}
}

/** Words joined by spaces, written one per line as a folded block (`>-`). */
export class Folded {
  constructor(readonly lines: readonly string[]) {}
}

export type YamlValue = string | number | boolean | null | Flow | Folded | YamlList | YamlMap;
export type YamlList = readonly YamlValue[];
/** A key starting with `#` writes its value as a comment; an undefined value is left out. */
export interface YamlMap {
  readonly [key: string]: YamlValue | undefined;
}

export function toYaml(document: YamlMap, header: readonly string[] = []): string {
  const lines = [...header.map((line) => (line ? `# ${line}` : '#')), ...mapLines(document, 0)];
  return `${lines.join('\n')}\n`;
}

function mapLines(map: YamlMap, indent: number): string[] {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  for (const [key, value] of Object.entries(map)) {
    if (value === undefined) continue;
    // At the top level each entry (with the comments above it) is set off by a blank line.
    const last = lines.at(-1);
    if (indent === 0 && last !== undefined && !last.startsWith('#')) lines.push('');
    if (key.startsWith('#')) {
      lines.push(
        ...String(value)
          .split('\n')
          .map((line) => `${pad}# ${line}`.trimEnd()),
      );
    } else {
      lines.push(...entryLines(`${pad}${mapKey(key)}:`, value, indent));
    }
  }
  return lines;
}

/** `prefix` is `key:` or `-`; the value goes after it or on the lines below. */
function entryLines(prefix: string, value: YamlValue, indent: number): string[] {
  if (value === null) return [prefix];
  if (value instanceof Folded) {
    return [`${prefix} >-`, ...value.lines.map((line) => `${' '.repeat(indent + 2)}${line}`)];
  }
  if (typeof value === 'string' && value.includes('\n')) return blockLines(prefix, value, indent);
  if (!isCollection(value)) return [`${prefix} ${inline(value)}`];
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${prefix} []`];
    return [prefix, ...listLines(value, indent + 2)];
  }
  const map = value as YamlMap;
  if (Object.values(map).every((item) => item === undefined)) return [`${prefix} {}`];
  return [prefix, ...mapLines(map, indent + 2)];
}

function listLines(list: YamlList, indent: number): string[] {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  for (const item of list) {
    if (Array.isArray(item)) throw new Error('a list directly inside a list is not written');
    if (isCollection(item) && !Array.isArray(item)) {
      // The first entry of a mapping goes on the `- ` line, the rest line up under it.
      const body = mapLines(item as YamlMap, indent + 2);
      const first = body[0];
      if (first === undefined || first.trimStart().startsWith('#')) {
        throw new Error('a mapping in a list must start with a key');
      }
      lines.push(`${pad}- ${first.slice(indent + 2)}`, ...body.slice(1));
    } else {
      lines.push(...entryLines(`${pad}-`, item, indent));
    }
  }
  return lines;
}

function blockLines(prefix: string, text: string, indent: number): string[] {
  const body = text.replace(/\n+$/, '');
  if (/^\s/.test(body)) throw new Error('a block scalar may not start with white space');
  const pad = ' '.repeat(indent + 2);
  const chomp = text.endsWith('\n') ? '|' : '|-';
  return [`${prefix} ${chomp}`, ...body.split('\n').map((line) => (line ? `${pad}${line}` : ''))];
}

function isCollection(value: YamlValue): value is YamlList | YamlMap {
  return typeof value === 'object' && value !== null && !(value instanceof Flow);
}

function inline(value: Exclude<YamlValue, YamlList | YamlMap | Folded | null>): string {
  if (value instanceof Flow) return `[${value.items.map((item) => scalar(item, true)).join(', ')}]`;
  return scalar(value);
}

const PLAIN = /^[A-Za-z_/$.][\w./$@:+=,()*-]*(?: [\w./$@:+=,()*-]+)*$/;
// YAML 1.1 readers (GitLab's among them) also take yes/no/on/off as booleans.
const RESERVED = /^(?:true|false|yes|no|on|off|y|n|null|~)$/i;
const NUMBER_LIKE = /^(?:\.?\d|\.(?:inf|nan)$)/i;

/** GitHub's `on:` is read as a key by every reader that matters, and written bare by all. */
function mapKey(key: string): string {
  return key === 'on' ? key : scalar(key);
}

/** A scalar as plain text when YAML reads it back as the same string, else single-quoted. */
export function scalar(value: string | number | boolean, inFlow = false): string {
  if (typeof value !== 'string') return String(value);
  if ([...value].some((char) => char.charCodeAt(0) < 0x20 || char === '\u007f'))
    throw new Error(`unwritable scalar ${JSON.stringify(value)}`);
  const plain =
    PLAIN.test(value) &&
    !RESERVED.test(value) &&
    !NUMBER_LIKE.test(value) &&
    !value.includes(': ') &&
    !value.endsWith(':') &&
    !(inFlow && value.includes(','));
  if (plain) return value;
  // Double quotes, as YAML formatters write them; single ones when that needs no escape.
  if (!/["\\]/.test(value)) return `"${value}"`;
  return `'${value.replace(/'/g, "''")}'`;
}
