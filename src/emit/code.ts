// Small printers shared by every emitter: planned values as TypeScript expressions, identifiers
// and string literals.
import type { PlanValue } from '../plan/model.js';

export function literal(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'").replaceAll('\n', '\\n')}'`;
}

/** A planned value as an expression; `idOf` prints an id reference once it is known. */
export function valueCode(
  value: PlanValue,
  idOf: (ref: { $idOf: string; param: string; resource: string }) => string,
): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return literal(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map((item) => valueCode(item, idOf)).join(', ')}]`;
  if ('$ref' in value && typeof value.$ref === 'string') return value.$ref;
  if ('$unique' in value && typeof value.$unique === 'string')
    return `system.unique(${literal(value.$unique)})`;
  if ('$uuid' in value) return 'randomUUID()';
  if ('$idOf' in value && typeof value.$idOf === 'string')
    return idOf(value as { $idOf: string; param: string; resource: string });
  const entries = Object.entries(value).map(
    ([key, item]) => `${propertyName(key)}: ${valueCode(item as PlanValue, idOf)}`,
  );
  return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
}

/** Path segments as one string expression: a literal when it can be, a template otherwise. */
export function pathCode(segments: PlanValue[], idOf: Parameters<typeof valueCode>[1]): string {
  if (segments.every((segment) => typeof segment === 'string'))
    return literal(segments.join('') || '/');
  const parts = segments.map((segment) =>
    typeof segment === 'string'
      ? segment.replaceAll('`', '\\`').replaceAll('${', '\\${')
      : `\${${valueCode(segment, idOf)}}`,
  );
  return `\`${parts.join('')}\``;
}

export function propertyName(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : literal(key);
}
