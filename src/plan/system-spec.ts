// The system description a suite carries (how to start each service and give it its
// dependencies), derived from the integration map.
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Component, EnvVar, IntegrationMap, Operation } from '../map/model.js';
import type {
  CommandSpec,
  DependencySpec,
  DependencyTechnology,
  EnvSource,
  PublishedExchangeSpec,
  ServiceSpec,
  SystemSpec,
} from '../runtime/system.js';

const SUPPORTED: Record<string, DependencyTechnology> = {
  postgresql: 'postgresql',
  redis: 'redis',
  rabbitmq: 'rabbitmq',
};

export interface SystemSpecResult {
  spec: SystemSpec;
  unplanned: { what: string; why: string }[];
}

export function systemSpec(
  map: IntegrationMap,
  projectRoot: string,
  suiteDir: string,
): SystemSpecResult {
  const unplanned: SystemSpecResult['unplanned'] = [];
  const dependencies: DependencySpec[] = [];
  for (const component of map.components) {
    if (!['database', 'cache', 'broker'].includes(component.kind)) continue;
    const technology = SUPPORTED[component.technology ?? ''];
    if (!technology) {
      unplanned.push({
        what: component.id,
        why: `${component.technology ?? 'this kind of dependency'} is not provisioned by generated suites yet`,
      });
      continue;
    }
    dependencies.push({
      id: component.id,
      technology,
      urlVariables: [
        urlVariable(component.id),
        ...(component.reachedBy?.env ? [component.reachedBy.env] : []),
      ],
    });
  }
  const services: ServiceSpec[] = [];
  for (const component of map.components) {
    if (component.kind !== 'service') continue;
    const start = startCommand(component, projectRoot);
    if (!start) {
      unplanned.push({
        what: component.id,
        why: 'it has neither a start script that runs nor a file seen listening to run instead',
      });
      continue;
    }
    const migrate = component.commands?.migrate;
    const dir = relative(suiteDir, join(projectRoot, component.root ?? '.')) || '.';
    services.push({
      id: component.id,
      dir: dir.split('\\').join('/'),
      start,
      ...(migrate ? { migrate: command(migrate) } : {}),
      env: serviceEnv(map, component, dependencies, unplanned),
      readinessPath: readinessPath(map, component.id),
    });
  }
  const thirdParties = map.components
    .filter((component) => component.kind === 'third-party')
    .map((component) => ({ id: component.id }));
  const cacheKeys = operationsFrom(map, (boundary) =>
    dependencies.some((d) => d.id === boundary.to),
  ).flatMap(({ boundary, operation }) =>
    operation.kind === 'cache' && operation.access === 'write'
      ? [{ dependency: boundary.to, pattern: operation.keyPattern }]
      : [],
  );
  const exchanges = new Map<string, PublishedExchangeSpec>();
  const operations = operationsFrom(map, () => true);
  for (const { boundary, operation } of operations) {
    if (operation.kind !== 'publish' || !operation.exchange) continue;
    if (!dependencies.some((d) => d.id === boundary.to)) continue;
    const consumedKeys = operations.flatMap(({ operation: consumer }) =>
      consumer.kind === 'consume' && consumer.exchange === operation.exchange
        ? consumer.bindingKeys
        : [],
    );
    exchanges.set(operation.exchange, {
      dependency: boundary.to,
      exchange: operation.exchange,
      consumedKeys: [...new Set(consumedKeys)].sort(),
    });
  }
  return {
    spec: {
      name: map.project.name,
      services,
      dependencies,
      thirdParties,
      cacheKeys: uniqueBy(cacheKeys, (key) => `${key.dependency} ${key.pattern}`),
      exchanges: [...exchanges.values()],
    },
    unplanned,
  };
}

/** The timeout a suite gives calls to third parties (stubs) when the project's is longer. */
export const THIRD_PARTY_TIMEOUT_MS = 500;

export function urlVariable(componentId: string): string {
  return `SEAMTEST_${componentId.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_URL`;
}

/**
 * The package's start script; when it has none, or it runs a build output that is not there, the
 * file the map saw listening, run with Node (or tsx for TypeScript).
 */
function startCommand(component: Component, projectRoot: string): CommandSpec | undefined {
  const root = join(projectRoot, component.root ?? '.');
  const script = component.commands?.start;
  if (script) {
    const spec = command(script);
    const file = spec.args.find((arg) => /\.[cm]?[jt]s$/.test(arg));
    if (!file || existsSync(join(root, file))) return spec;
  }
  if (!component.entry) return undefined;
  const entry = relative(root, join(projectRoot, component.entry.file)).split('\\').join('/');
  return /\.[cm]?ts$/.test(entry)
    ? { command: 'tsx', args: [entry] }
    : { command: 'node', args: [entry] };
}

/** A script is run directly when it is one plain command, through npm when it needs a shell. */
function command(script: string): CommandSpec {
  if (/[&|;<>$`()]|^\w+=/.test(script))
    return { command: 'npm', args: ['run', '--silent', 'start'] };
  const [name = 'node', ...args] = script.trim().split(/\s+/);
  return { command: name, args };
}

function serviceEnv(
  map: IntegrationMap,
  service: Component,
  dependencies: DependencySpec[],
  unplanned: SystemSpecResult['unplanned'],
): Record<string, EnvSource> {
  const env: Record<string, EnvSource> = {};
  const own = map.boundaries.filter((boundary) => boundary.from === service.id);
  const consumed = map.boundaries.filter((boundary) => boundary.to === service.id);
  const reached = (id: string) => map.components.find((component) => component.id === id);
  /** The map's boundary between the service and what it reaches, in whichever direction it runs. */
  const boundaryId = (other: string) =>
    (
      own.find((boundary) => boundary.to === other) ??
      consumed.find((boundary) => boundary.from === other)
    )?.id ?? `${service.id}->${other}`;
  let portGiven = false;
  // Timeouts of calls to stubbed third parties are shortened, so timeout tests take seconds; a
  // stub answers at once, so no other test comes near them.
  const thirdPartyTimeouts = new Set(
    own
      .filter((boundary) => reached(boundary.to)?.kind === 'third-party')
      .flatMap((boundary) => boundary.operations)
      .flatMap((operation) =>
        operation.kind === 'http-call' &&
        operation.timeoutMs?.env &&
        Number(operation.timeoutMs.default ?? Number.POSITIVE_INFINITY) > THIRD_PARTY_TIMEOUT_MS
          ? [operation.timeoutMs.env]
          : [],
      ),
  );
  for (const variable of service.config) {
    const name = variable.name;
    if (
      !portGiven &&
      (name === 'PORT' || name.endsWith('_PORT')) &&
      /^\d+$/.test(variable.default ?? '')
    ) {
      env[name] = { kind: 'port' };
      portGiven = true;
      continue;
    }
    if (name === 'HOST' || name.endsWith('_HOST')) {
      env[name] = { kind: 'literal', value: '127.0.0.1' };
      continue;
    }
    // What the service reaches: what it calls, and the brokers that deliver to it.
    const target = [
      ...own.map((boundary) => boundary.to),
      ...consumed.map((boundary) => boundary.from),
    ]
      .map(reached)
      .find((component) => component?.reachedBy?.env === name);
    if (target && dependencies.some((dependency) => dependency.id === target.id)) {
      env[name] = { kind: 'dependency', component: target.id, boundary: boundaryId(target.id) };
      continue;
    }
    if (target?.kind === 'service') {
      env[name] = { kind: 'service', component: target.id, boundary: boundaryId(target.id) };
      continue;
    }
    if (target?.kind === 'third-party') {
      env[name] = { kind: 'third-party', component: target.id };
      continue;
    }
    if (thirdPartyTimeouts.has(name)) {
      env[name] = { kind: 'literal', value: String(THIRD_PARTY_TIMEOUT_MS) };
      continue;
    }
    const isolated = isolatedName(
      variable,
      map.boundaries.flatMap((boundary) => boundary.operations),
    );
    if (isolated) {
      env[name] = isolated;
      continue;
    }
    if (
      map.auth.some((rule) => rule.secret?.env === name) ||
      (variable.secret && variable.required)
    ) {
      env[name] = { kind: 'test-secret', name };
      continue;
    }
    if (variable.required) {
      unplanned.push({
        what: `${service.id} ${name}`,
        why: 'a required variable seamtest cannot give a test value',
      });
    }
  }
  return env;
}

/**
 * A variable that names a broker resource (set by `exchangeFrom`/`queueFrom`, or defaulting to an
 * exchange or queue some operation uses) gets a per-worker name, so workers never share messages.
 */
function isolatedName(variable: EnvVar, operations: Operation[]): EnvSource | undefined {
  for (const operation of operations) {
    if (operation.kind === 'publish' && operation.exchangeFrom?.env === variable.name) {
      const base = String(operation.exchangeFrom.default ?? operation.exchange ?? variable.name);
      return { kind: 'isolated-name', base, resource: 'exchange' };
    }
    if (operation.kind === 'consume' && operation.queueFrom?.env === variable.name) {
      const base = String(operation.queueFrom.default ?? operation.queue ?? variable.name);
      return { kind: 'isolated-name', base, resource: 'queue' };
    }
  }
  if (variable.default === undefined) return undefined;
  for (const operation of operations) {
    const exchange =
      operation.kind === 'publish' || operation.kind === 'consume' ? operation.exchange : undefined;
    if (exchange === variable.default)
      return { kind: 'isolated-name', base: exchange, resource: 'exchange' };
    if (operation.kind === 'consume' && operation.queue === variable.default)
      return { kind: 'isolated-name', base: operation.queue, resource: 'queue' };
  }
  return undefined;
}

function readinessPath(map: IntegrationMap, serviceId: string): string | undefined {
  for (const boundary of map.boundaries) {
    if (boundary.to !== serviceId || boundary.from !== 'client') continue;
    for (const operation of boundary.operations) {
      if (operation.kind !== 'http-route' || operation.method !== 'GET' || operation.auth) continue;
      if (/health|ready|live|ping/i.test(operation.path) && !operation.path.includes(':'))
        return operation.path;
    }
  }
  return undefined;
}

export function operationsFrom(
  map: IntegrationMap,
  keep: (boundary: IntegrationMap['boundaries'][number]) => boolean,
) {
  return map.boundaries
    .filter(keep)
    .flatMap((boundary) => boundary.operations.map((operation) => ({ boundary, operation })));
}

function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  return [...new Map(items.map((item) => [key(item), item])).values()];
}
