// docker-compose files: which containers the system runs (images tell databases, caches and
// brokers), which service is built from which folder, and the environment each is given, kept
// only to tell which host a connection URL points at. Values are never copied into the map.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type YAMLMap } from 'yaml';
import type { Location, Unrecognised } from '../map/model.js';

export interface ComposeService {
  name: string;
  image?: string;
  /** Build context relative to the project root. */
  build?: string;
  /** Host names the service's environment points at, by variable: DATABASE_URL → postgres. */
  hostsByVariable: Record<string, string>;
  at: Location;
}

const COMPOSE_FILES = new Set([
  'docker-compose.yml',
  'docker-compose.yaml',
  'compose.yml',
  'compose.yaml',
]);

export async function readCompose(
  root: string,
  files: string[],
  notes: Unrecognised[],
): Promise<ComposeService[]> {
  const services: ComposeService[] = [];
  for (const file of files) {
    if (!COMPOSE_FILES.has(path.posix.basename(file))) continue;
    const text = await readFile(path.join(root, file), 'utf8');
    const lines = new LineCounter();
    const document = parseDocument(text, { lineCounter: lines });
    if (document.errors.length > 0) {
      notes.push({
        kind: 'unreadable-compose-file',
        message: document.errors[0]?.message ?? 'invalid YAML',
        at: { file, line: 1 },
      });
      continue;
    }
    const entries = document.get('services');
    if (!isMap(entries)) continue;
    const dir = path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file);
    for (const pair of entries.items) {
      if (!isScalar(pair.key) || !isMap(pair.value)) continue;
      const name = String(pair.key.value);
      const line = lines.linePos(pair.key.range?.[0] ?? 0).line;
      services.push(describeService(name, pair.value, dir, { file, line }));
    }
  }
  return services;
}

function describeService(name: string, body: YAMLMap, dir: string, at: Location): ComposeService {
  const image = body.get('image');
  const build = body.get('build');
  const context =
    typeof build === 'string' ? build : isMap(build) ? build.get('context') : undefined;
  return {
    name,
    ...(typeof image === 'string' ? { image } : {}),
    ...(typeof context === 'string'
      ? { build: path.posix.normalize(path.posix.join(dir, context)) }
      : {}),
    hostsByVariable: hostsOf(body.get('environment')),
    at,
  };
}

/** `DATABASE_URL: postgres://u:p@postgres:5432/db` → { DATABASE_URL: 'postgres' }. */
function hostsOf(environment: unknown): Record<string, string> {
  const pairs: [string, string][] = [];
  if (isMap(environment)) {
    for (const pair of environment.items) {
      if (isScalar(pair.key) && isScalar(pair.value))
        pairs.push([String(pair.key.value), String(pair.value.value)]);
    }
  } else if (environment && typeof environment === 'object' && 'items' in environment) {
    for (const item of (environment as { items: unknown[] }).items) {
      const text = isScalar(item) ? String(item.value) : '';
      const equals = text.indexOf('=');
      if (equals > 0) pairs.push([text.slice(0, equals), text.slice(equals + 1)]);
    }
  }
  const hosts: Record<string, string> = {};
  for (const [variable, value] of pairs) {
    try {
      const host = new URL(value).hostname;
      if (host) hosts[variable] = host;
    } catch {
      // Not a URL: nothing to learn about which host it points at.
    }
  }
  return hosts;
}
