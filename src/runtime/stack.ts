// Boots one isolated copy of the system for one test worker: its own databases (created, migrated
// the way the project migrates them; an embedded PostgreSQL engine per worker when no server URL
// is set), per-worker broker names, stubs for third parties, recording
// proxies in front of internal services, and the services themselves as child processes.
// Every internal boundary runs through a fault proxy (service → database, cache, broker or other
// service), which tests drive through the stack's control server to take a dependency down,
// stall it or cut a connection. `stop()` undoes all of it, and touches nothing the run did not
// create.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { deleteBrokerResources } from './amqp.js';
import { type ServiceState, startFaultControl } from './fault-control.js';
import { type FaultProxy, startFaultProxy } from './fault-proxy.js';
import { startRecordingProxy, startThirdPartyStub } from './http-doubles.js';
import { createDatabase, dropDatabase } from './postgres.js';
import { runToEnd, type StartedProcess, startProcess } from './processes.js';
import type { DependencySpec, EnvSource, ServiceSpec, SystemSpec } from './system.js';

/** What tests need to reach one worker's copy of the system; written to disk as JSON. */
export interface StackInfo {
  slot: number;
  /** Service id → its own URL. */
  services: Record<string, string>;
  /** Service id → the recording proxy other services reach it through. */
  serviceProxies: Record<string, string>;
  /** Third-party id → its stub. */
  thirdParties: Record<string, string>;
  /** Dependency id → the URL of this worker's database, Redis or broker. */
  dependencies: Record<string, string>;
  /** A broker resource's usual name → this worker's name for it. */
  names: Record<string, string>;
  /** Test secret name → value. */
  secrets: Record<string, string>;
  /** The stack's control server: faults on boundaries, bringing services back. */
  control: string;
  /** Boundaries (map ids, e.g. 'orders->orders-db') a test can inject faults on. */
  faults: string[];
}

export interface RunningStack {
  info: StackInfo;
  stop(): Promise<void>;
}

/** A problem the person running the suite can fix; the message says how. */
export class SetupError extends Error {}

export interface StackOptions {
  suiteDir: string;
  slot: number;
  runId: string;
  secrets: Record<string, string>;
  /** `process.env` unless a test gives its own. */
  env?: NodeJS.ProcessEnv;
}

export function newRunId(): string {
  return randomBytes(3).toString('hex');
}

export function newSecret(): string {
  return randomBytes(24).toString('hex');
}

export async function bootStack(spec: SystemSpec, options: StackOptions): Promise<RunningStack> {
  const env = options.env ?? process.env;
  const cleanups: (() => Promise<void>)[] = [];
  // Services stop together (each may take its grace period), then what they used goes.
  const processes: (() => Promise<void>)[] = [];
  const stop = async () => {
    await Promise.all(processes.splice(0).map((stopOne) => stopOne().catch(() => undefined)));
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  const info: StackInfo = {
    slot: options.slot,
    services: {},
    serviceProxies: {},
    thirdParties: {},
    dependencies: {},
    names: {},
    secrets: options.secrets,
    control: '',
    faults: [],
  };
  try {
    for (const dependency of spec.dependencies) {
      const configured = configuredUrl(dependency, env);
      if (dependency.technology === 'postgresql' && configured === undefined) {
        // No server given: this worker gets its own in-process engine, which is its database.
        // Loaded only here, so suites that always have a server never load PGlite.
        const { startEmbeddedPostgres } = await import('./embedded-postgres.js');
        const engine = await startEmbeddedPostgres().catch((error: Error) => {
          throw new SetupError(
            `cannot start embedded PostgreSQL for ${dependency.id} (${dependency.urlVariables[0]} is not set): ${error.message}`,
          );
        });
        cleanups.push(() => engine.stop());
        info.dependencies[dependency.id] = engine.url;
        continue;
      }
      const serverUrl = configured ?? missingUrl(dependency);
      if (dependency.technology === 'postgresql') {
        const name = databaseName(spec.name, dependency.id, options);
        info.dependencies[dependency.id] = await createDatabase(serverUrl, name).catch((error) => {
          throw new SetupError(
            `cannot create a test database for ${dependency.id} at ${redact(serverUrl)}: ${error.message}; check that the server runs and the user may create databases`,
          );
        });
        cleanups.push(() => dropDatabase(serverUrl, name));
      } else {
        info.dependencies[dependency.id] = serverUrl;
      }
    }
    const suffix = `st-${options.runId}-${options.slot}`;
    const brokerResources = { exchanges: new Set<string>(), queues: new Set<string>() };
    for (const service of spec.services) {
      for (const source of Object.values(service.env)) {
        if (source.kind !== 'isolated-name') continue;
        const name = `${source.base}.${suffix}`;
        info.names[source.base] = name;
        brokerResources[source.resource === 'exchange' ? 'exchanges' : 'queues'].add(name);
      }
    }
    const broker = spec.dependencies.find((dependency) => dependency.technology === 'rabbitmq');
    if (broker && brokerResources.exchanges.size + brokerResources.queues.size > 0) {
      const url = info.dependencies[broker.id] as string;
      cleanups.push(() =>
        deleteBrokerResources(url, {
          exchanges: [...brokerResources.exchanges],
          queues: [...brokerResources.queues],
        }),
      );
    }
    for (const thirdParty of spec.thirdParties) {
      const stub = await startThirdPartyStub();
      cleanups.push(() => stub.close());
      info.thirdParties[thirdParty.id] = stub.url;
    }
    const ports = new Map<string, number>();
    const faultProxies = new Map<string, FaultProxy>();
    const addFaultProxy = async (ids: string[], target: { host: string; port: number }) => {
      const proxy = await startFaultProxy(target);
      cleanups.push(() => proxy.close());
      for (const id of ids) faultProxies.set(id, proxy);
      return proxy;
    };
    for (const service of spec.services) {
      const port = await freePort();
      ports.set(service.id, port);
      info.services[service.id] = `http://127.0.0.1:${port}`;
      // Callers reach a service through a recording proxy (what crossed) and behind it a fault
      // proxy shared by every boundary into the service.
      const callers = spec.services.flatMap((caller) =>
        Object.values(caller.env).flatMap((source) =>
          source.kind === 'service' && source.component === service.id
            ? [source.boundary ?? `${caller.id}->${service.id}`]
            : [],
        ),
      );
      const faults = await addFaultProxy(callers, { host: '127.0.0.1', port });
      const proxy = await startRecordingProxy(`http://127.0.0.1:${faults.port}`);
      cleanups.push(() => proxy.close());
      info.serviceProxies[service.id] = proxy.url;
    }
    const environments = new Map<string, NodeJS.ProcessEnv>();
    for (const service of spec.services) {
      const variables = serviceVariables(service, info, ports);
      for (const [name, source] of Object.entries(service.env)) {
        if (source.kind !== 'dependency') continue;
        const boundary = source.boundary ?? `${service.id}->${source.component}`;
        const url = new URL(variables[name] as string);
        const proxy = await addFaultProxy([boundary], {
          host: url.hostname,
          port: Number(url.port || DEFAULT_PORTS[url.protocol] || 0),
        });
        url.hostname = '127.0.0.1';
        url.port = String(proxy.port);
        variables[name] = url.toString();
      }
      environments.set(service.id, { ...env, ...variables });
    }
    for (const service of spec.services) {
      if (!service.migrate) continue;
      const cwd = resolve(options.suiteDir, service.dir);
      const result = await runToEnd(service.migrate, cwd, environments.get(service.id) ?? env);
      if (result.code !== 0) {
        throw new SetupError(
          `migrating ${service.id} failed (${[service.migrate.command, ...service.migrate.args].join(' ')} in ${service.dir}):\n${result.output.trim()}`,
        );
      }
    }
    const running = new Map<string, StartedProcess>();
    const start = (service: ServiceSpec) => {
      const cwd = resolve(options.suiteDir, service.dir);
      running.set(
        service.id,
        startProcess(service.start, cwd, environments.get(service.id) ?? env),
      );
    };
    processes.push(() =>
      Promise.all([...running.values()].map((process) => process.stop())).then(() => undefined),
    );
    for (const service of spec.services) start(service);
    for (const service of spec.services) {
      await waitUntilReady(
        service,
        info.services[service.id] as string,
        running.get(service.id) as StartedProcess,
      );
    }
    /** Services a fault left dead or deaf are started again; returns their ids. */
    const restoreServices = async () => {
      const restarted: string[] = [];
      for (const service of spec.services) {
        const process = running.get(service.id) as StartedProcess;
        const url = info.services[service.id] as string;
        if (isRunning(process.child) && (await answersWithin(url, service.readinessPath, 5_000)))
          continue;
        await process.stop();
        start(service);
        await waitUntilReady(service, url, running.get(service.id) as StartedProcess);
        restarted.push(service.id);
      }
      return restarted;
    };
    const serviceStates = () =>
      Object.fromEntries(
        [...running].map(([id, { child }]): [string, ServiceState] =>
          isRunning(child)
            ? [id, { running: true }]
            : [id, { running: false, exit: child.signalCode ?? `exit code ${child.exitCode}` }],
        ),
      );
    const control = await startFaultControl(faultProxies, { restoreServices, serviceStates });
    cleanups.push(() => control.close());
    info.control = control.url;
    info.faults = [...faultProxies.keys()];
    return { info, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The URL the environment gives a dependency: `SEAMTEST_<ID>_URL`, then the app's own variable. */
function configuredUrl(dependency: DependencySpec, env: NodeJS.ProcessEnv): string | undefined {
  for (const variable of dependency.urlVariables) {
    const value = env[variable];
    if (value) return value;
  }
  return undefined;
}

function missingUrl(dependency: DependencySpec): never {
  const example: Record<DependencySpec['technology'], string> = {
    postgresql: 'postgres://postgres@127.0.0.1:5432/postgres',
    redis: 'redis://127.0.0.1:6379',
    rabbitmq: 'amqp://guest:guest@127.0.0.1:5672',
  };
  throw new SetupError(
    `no ${dependency.technology} for ${dependency.id}: set ${dependency.urlVariables[0]} (e.g. ${example[dependency.technology]})`,
  );
}

function serviceVariables(
  service: ServiceSpec,
  info: StackInfo,
  ports: Map<string, number>,
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, source] of Object.entries(service.env)) {
    values[name] = variableValue(source, service, info, ports);
  }
  return values;
}

function variableValue(
  source: EnvSource,
  service: ServiceSpec,
  info: StackInfo,
  ports: Map<string, number>,
): string {
  switch (source.kind) {
    case 'literal':
      return source.value;
    case 'port':
      return String(ports.get(service.id));
    case 'dependency':
      return required(info.dependencies[source.component], source.component);
    case 'service':
      return required(info.serviceProxies[source.component], source.component);
    case 'third-party':
      return required(info.thirdParties[source.component], source.component);
    case 'test-secret':
      return required(info.secrets[source.name], source.name);
    case 'isolated-name':
      return required(info.names[source.base], source.base);
  }
}

function required(value: string | undefined, what: string): string {
  if (value === undefined) throw new Error(`the system description names ${what}, which it lacks`);
  return value;
}

async function waitUntilReady(service: ServiceSpec, url: string, process: StartedProcess) {
  const deadline = Date.now() + 30_000;
  const exited = () => process.child.exitCode !== null || process.child.signalCode !== null;
  while (Date.now() < deadline) {
    if (exited()) {
      throw new SetupError(`${service.id} stopped while starting:\n${process.output().trim()}`);
    }
    if (await answers(url, service.readinessPath)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new SetupError(
    `${service.id} was not ready within 30 s at ${url}${service.readinessPath ?? ''}:\n${process.output().trim()}`,
  );
}

/** Default ports of the URL schemes dependencies use, for URLs that leave the port out. */
const DEFAULT_PORTS: Record<string, number> = {
  'postgres:': 5432,
  'postgresql:': 5432,
  'redis:': 6379,
  'rediss:': 6379,
  'amqp:': 5672,
  'amqps:': 5671,
};

async function answersWithin(url: string, path: string | undefined, ms: number) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await answers(url, path)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

async function answers(url: string, path: string | undefined): Promise<boolean> {
  try {
    const response = await fetch(new URL(path ?? '/', url), { signal: AbortSignal.timeout(1_000) });
    await response.arrayBuffer();
    return path === undefined || response.ok;
  } catch {
    return false;
  }
}

/**
 * Below the range the OS hands out for outgoing connections (32768+ on Linux, 49152+ on macOS
 * and Windows): a port chosen there cannot be taken by some process's outgoing connection in the
 * moment between choosing it and the service binding it.
 */
const SERVICE_PORTS = { from: 20_000, to: 32_000 };
const handedOut = new Set<number>();

async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port =
      SERVICE_PORTS.from + Math.floor(Math.random() * (SERVICE_PORTS.to - SERVICE_PORTS.from));
    if (handedOut.has(port) || !(await bindable(port))) continue;
    handedOut.add(port);
    return port;
  }
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

function isRunning(child: { exitCode: number | null; signalCode: string | null }): boolean {
  return child.exitCode === null && child.signalCode === null;
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolveBindable) => {
    const probe = createServer();
    probe.once('error', () => resolveBindable(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolveBindable(true)));
  });
}

/** PostgreSQL names are at most 63 bytes; keep the run id and slot, shorten the rest. */
function databaseName(system: string, dependency: string, options: StackOptions): string {
  const clean = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '_');
  const tail = `_${options.runId}_w${options.slot}`;
  return `st_${clean(system)}_${clean(dependency)}`.slice(0, 63 - tail.length) + tail;
}

/** A URL as it may be shown: its password masked. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}
