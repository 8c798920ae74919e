// Compares two integration maps: the core facts as sets (for precision and recall), and every
// fact as a readable list of differences (for a golden test that says what changed).
import type { IntegrationMap, Operation } from './model.js';

export type CoreFactKind = 'route' | 'table' | 'queue' | 'call';
export type FactKind = CoreFactKind | 'cache' | 'protected' | 'socket';

/**
 * The facts a detector fixture's golden file lists, one string each: core facts plus cache
 * operations and protected routes (with their scopes).
 */
export function factSummary(map: IntegrationMap): Record<FactKind, string[]> {
  const core = coreFacts(map);
  const cache = new Set<string>();
  const protectedRoutes = new Set<string>();
  const sockets = new Set<string>();
  for (const boundary of map.boundaries) {
    for (const operation of boundary.operations) {
      if (operation.kind === 'socket-event') {
        sockets.add(`${boundary.to} ${operation.direction} ${operation.event}`);
      }
      if (operation.kind === 'cache')
        cache.add(`${boundary.from} ${operation.command} ${operation.keyPattern}`);
      if (operation.kind === 'http-route' && operation.auth) {
        const scopes = operation.auth.scopes.join(' ');
        protectedRoutes.add(
          `${boundary.to} ${operation.method} ${operation.path}${scopes ? ` ${scopes}` : ''}`,
        );
      }
    }
  }
  const sorted = (facts: Set<string>) => [...facts].sort();
  return {
    route: sorted(core.route),
    table: sorted(core.table),
    queue: sorted(core.queue),
    call: sorted(core.call),
    cache: sorted(cache),
    protected: sorted(protectedRoutes),
    socket: sorted(sockets),
  };
}

/** The facts precision and recall are measured on, each as a stable string. */
export function coreFacts(map: IntegrationMap): Record<CoreFactKind, Set<string>> {
  const facts: Record<CoreFactKind, Set<string>> = {
    route: new Set(),
    table: new Set(),
    queue: new Set(),
    call: new Set(),
  };
  for (const boundary of map.boundaries) {
    for (const operation of boundary.operations) {
      const fact = coreFact(boundary.from, boundary.to, operation);
      if (fact) facts[fact.kind].add(fact.text);
    }
  }
  return facts;
}

function coreFact(
  from: string,
  to: string,
  operation: Operation,
): { kind: CoreFactKind; text: string } | undefined {
  switch (operation.kind) {
    case 'http-route':
      return { kind: 'route', text: `${to} ${operation.method} ${operation.path}` };
    case 'sql':
      return {
        kind: 'table',
        text: `${from} ${operation.action} ${operation.table}${operation.lock ? ` ${operation.lock}` : ''}`,
      };
    case 'publish':
      return {
        kind: 'queue',
        text: operation.subject
          ? `${from} publish ${operation.subject}`
          : `${from} publish ${operation.exchange || '(default)'} ${operation.routingKey ?? ''}`,
      };
    case 'consume':
      return {
        kind: 'queue',
        text: operation.subject
          ? `${to} consume ${operation.subject}`
          : `${to} consume ${operation.queue ?? ''} ${operation.bindingKeys.join(',')}`.trim(),
      };
    case 'http-call':
      return { kind: 'call', text: `${from}->${to} ${operation.method} ${operation.path}` };
    default:
      return undefined;
  }
}

export interface Score {
  precision: number;
  recall: number;
  missing: string[];
  unexpected: string[];
}

export function score(expected: Set<string>, actual: Set<string>): Score {
  const missing = [...expected].filter((fact) => !actual.has(fact)).sort();
  const unexpected = [...actual].filter((fact) => !expected.has(fact)).sort();
  const found = actual.size - unexpected.length;
  return {
    precision: actual.size === 0 ? 1 : found / actual.size,
    recall: expected.size === 0 ? 1 : found / expected.size,
    missing,
    unexpected,
  };
}

/** Every difference between two JSON values, as `path: expected … actual …` lines. */
export function diffJson(expected: unknown, actual: unknown, path = '$'): string[] {
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const keyed = (items: unknown[]) =>
      new Map(items.map((item, index) => [keyOf(item) ?? String(index), item]));
    const left = keyed(expected);
    const right = keyed(actual);
    const keys = [...new Set([...left.keys(), ...right.keys()])];
    return keys.flatMap((key) => diffJson(left.get(key), right.get(key), `${path}[${key}]`));
  }
  if (isRecord(expected) && isRecord(actual)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])];
    return keys.flatMap((key) => diffJson(expected[key], actual[key], `${path}.${key}`));
  }
  if (JSON.stringify(expected) === JSON.stringify(actual)) return [];
  return [`${path}: expected ${short(expected)}, got ${short(actual)}`];
}

function keyOf(item: unknown): string | undefined {
  if (!isRecord(item)) return undefined;
  for (const key of ['id', 'name', 'kind']) {
    if (typeof item[key] === 'string') {
      const at = isRecord(item.at) ? `@${item.at.file}:${item.at.line}` : '';
      return key === 'kind' ? `${item[key]}${at}` : String(item[key]);
    }
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function short(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
