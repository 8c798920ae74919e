// The description of a system under test that a generated suite carries in `support/system.ts`:
// which services to start and how, which real dependencies they need, and how each environment
// variable of a service gets its value in a test run. Provisioning reads only this.

/** Where one environment variable of a service gets its value during a test run. */
export type EnvSource =
  | { kind: 'literal'; value: string }
  /** The port the service listens on: a free one, chosen per run. */
  | { kind: 'port' }
  /** The connection URL of a dependency, reached through the fault proxy of `boundary`. */
  | { kind: 'dependency'; component: string; boundary?: string }
  /** The base URL of another service of the system, reached through a recording proxy. */
  | { kind: 'service'; component: string; boundary?: string }
  /** The base URL of a third party: a local stub that answers as the suite tells it to. */
  | { kind: 'third-party'; component: string }
  /** A secret the suite makes up for itself (never the project's own value). */
  | { kind: 'test-secret'; name: string }
  /** A broker resource name (exchange, queue): the default plus a suffix unique to the worker. */
  | { kind: 'isolated-name'; base: string; resource: 'exchange' | 'queue' };

export interface CommandSpec {
  command: string;
  args: string[];
}

export interface ServiceSpec {
  id: string;
  /** The service's folder, relative to the suite's folder. */
  dir: string;
  start: CommandSpec;
  migrate?: CommandSpec | undefined;
  env: Record<string, EnvSource>;
  /** A path answered with 2xx once the service is ready; without one, a TCP connect is enough. */
  readinessPath?: string | undefined;
}

export type DependencyTechnology = 'postgresql' | 'redis' | 'rabbitmq';

export interface DependencySpec {
  id: string;
  technology: DependencyTechnology;
  /** Variables that may give its URL, first match wins: `SEAMTEST_<ID>_URL`, then the app's own. */
  urlVariables: string[];
}

export interface ThirdPartySpec {
  id: string;
}

/** A cache key the system writes, so a test can delete the keys of what it created. */
export interface CacheKeySpec {
  dependency: string;
  /** Placeholders in braces, e.g. 'order:{id}'. */
  pattern: string;
}

/** An exchange the system publishes to: tests bind a temporary queue to it before they act. */
export interface PublishedExchangeSpec {
  dependency: string;
  /** Its usual name; each worker uses its own copy. */
  exchange: string;
  /** Binding keys of the system's consumers on it: a message matching one sets work in motion. */
  consumedKeys: string[];
}

export interface SystemSpec {
  name: string;
  services: ServiceSpec[];
  dependencies: DependencySpec[];
  thirdParties: ThirdPartySpec[];
  cacheKeys: CacheKeySpec[];
  exchanges: PublishedExchangeSpec[];
}
