// The shape every detector has: switched on by the packages a project depends on, it reads one
// parsed file at a time, with the whole project indexed behind it, and reports small located
// facts. Turning facts into components and boundaries is the map stage's job, not a detector's.
import type ts from 'typescript';
import type { Configured, Location, Shape, Unrecognised } from '../map/model.js';
import type { HeaderOrigin, HeaderSources } from './analysis/header-source.js';
import type { OutcomeFact, RetryFact } from './analysis/outcomes.js';
import type { IndexedFile, ProjectIndex } from './analysis/project-index.js';
import type { StaticString, StringEvaluator } from './analysis/strings.js';
import type { ValueResolver } from './analysis/values.js';

export type { Configured, Location, Shape };

interface FactBase {
  at: Location;
  /** The syntax the fact was read from; used to link facts to the entry points that cause them. */
  node: ts.Node;
  /** Folder of the package the fact belongs to. */
  packageDir: string;
}

export interface EnvFact extends FactBase {
  kind: 'env';
  name: string;
  default?: string;
  /** Read only to test whether it is set (`process.env.X ? … : …`). */
  optional?: boolean;
}

export interface RouteFact extends FactBase {
  kind: 'route';
  framework: string;
  method: string;
  /** The path as written at the registration, before mount prefixes. */
  path: string;
  /** The router or app object the route is registered on (its creation site). */
  owner: ts.Node | undefined;
  /** Handlers and middleware in order; the last one is the handler. */
  handlers: ts.Expression[];
  requestBody?: Shape;
  /** The status a successful handler answers with when it sets none (NestJS: 201 for POST). */
  defaultStatus?: number;
  /** NestJS `@Version('2')` or `@Controller({ version })`: the URI version when versioning is on. */
  version?: string;
}

export interface MountFact extends FactBase {
  kind: 'mount';
  prefix: string;
  parent: ts.Node | undefined;
  child: ts.Node | undefined;
}

export interface SqlFact extends FactBase {
  kind: 'sql';
  driver: string;
  /** The database it speaks to, when the driver does not tell (knex's `client`). */
  technology?: string;
  action: 'select' | 'insert' | 'update' | 'delete' | 'upsert' | 'lock' | 'ddl';
  table: string;
  lock?: 'for-update' | 'for-share';
  /** The object the query ran on, to tell which queries share a transaction. */
  connection: ts.Node | undefined;
}

export interface TransactionFact extends FactBase {
  kind: 'transaction';
  statement: 'begin' | 'commit' | 'rollback';
  connection: ts.Node | undefined;
}

export interface CacheFact extends FactBase {
  kind: 'cache';
  library: string;
  command: string;
  access: 'read' | 'write' | 'delete';
  key: StaticString;
  ttlSeconds?: Configured;
}

export interface PublishFact extends FactBase {
  kind: 'publish';
  library: string;
  exchange?: StaticString;
  routingKey?: StaticString;
  /** NATS subject, MQTT or Kafka topic, Redis channel, BullMQ queue. */
  subject?: StaticString;
  headers: SentHeader[];
  message?: Shape;
  persistent?: boolean;
  confirmed?: boolean;
}

export interface ConsumeFact extends FactBase {
  kind: 'consume';
  library: string;
  queue?: StaticString;
  /** NATS subject, MQTT or Kafka topic, Redis channel, BullMQ queue. */
  subject?: StaticString;
  handler: ts.Expression | undefined;
  ack: 'manual' | 'auto';
  outcomes: ConsumeOutcome[];
}

/** What a consumer does with a message: acknowledge, drop or requeue it, and when. */
export interface ConsumeOutcome {
  when: 'success' | 'unreadable-message' | 'error';
  handling: 'acknowledged' | 'dropped' | 'requeued';
  at: Location;
}

export interface BindingFact extends FactBase {
  kind: 'binding';
  queue?: StaticString;
  exchange?: StaticString;
  pattern?: StaticString;
}

export interface ExchangeFact extends FactBase {
  kind: 'exchange';
  name?: StaticString;
  type: string;
}

export interface SentHeader extends HeaderOrigin {
  name: string;
  at: Location;
}

export interface HttpCallFact extends FactBase {
  kind: 'http-call';
  library: string;
  method: string;
  url: StaticString | undefined;
  headers: SentHeader[];
  timeoutMs?: Configured;
  body?: ts.Expression;
  outcomes: OutcomeFact[];
  retry?: RetryFact;
}

export interface AuthFact extends FactBase {
  kind: 'auth';
  library: string;
  mechanism: 'jwt-bearer' | 'api-key' | 'session' | 'basic' | 'custom';
  secret?: Configured;
  /** Claims read from the verified token. */
  claims: string[];
  /** The request header the credential comes in, when not `authorization`. */
  header?: string;
  /** The cookie a session credential comes in. */
  cookie?: string;
  /** The function that performs the check: routes that run it are protected by it. */
  fn: ts.Node | undefined;
}

/** Cookie-session middleware: the cookie it sets, what signs it and where sessions are kept. */
export interface SessionFact extends FactBase {
  kind: 'session';
  library: string;
  cookie: string;
  secret?: Configured;
  /** The store's database when it is not the default in-memory one: 'redis', 'postgresql'. */
  store?: string;
}

/** A field of the session the code reads (`req.session.userId`); `passport` for isAuthenticated. */
export interface SessionReadFact extends FactBase {
  kind: 'session-read';
  field: string;
}

/** A status an HTTP handler can answer with: `res.status(404)`, `throw new HttpError(409, …)`. */
export interface ResponseFact extends FactBase {
  kind: 'response';
  status: number;
  code?: string;
}

/** An app-wide error handler: its answers apply to every route of the app it is installed on. */
export interface ErrorHandlerFact extends FactBase {
  kind: 'error-handler';
  owner: ts.Node | undefined;
  fn: ts.Expression;
}

/**
 * Middleware installed on an app, router or plugin for all its routes (express `use(fn)`,
 * fastify `addHook`). In express it only applies to what is registered after it.
 */
export interface HookFact extends FactBase {
  kind: 'hook';
  owner: ts.Node | undefined;
  fn: ts.Expression;
  /** Only routes under this path pattern (Hono `app.use('/admin/*', …)`). */
  pattern?: string;
  /** Only routes of this method (NestJS `forRoutes({ path, method })`). */
  method?: string;
  /**
   * Hono: mounting the app copies its middleware into the parent, where it also runs for the
   * parent's other routes under the mount prefix (a sibling sub-app mounted at the same path).
   */
  bubbles?: true;
}

/** A WebSocket event a server receives (with its handler) or sends. */
export interface SocketEventFact extends FactBase {
  kind: 'socket-event';
  library: 'socket.io' | 'ws';
  direction: 'in' | 'out';
  event: string;
  handler: ts.Expression | undefined;
}

/** A router's own prefix, before every route registered on it (Koa `new Router({ prefix })`). */
export interface RouterPrefixFact extends FactBase {
  kind: 'router-prefix';
  owner: ts.Node | undefined;
  prefix: string;
}

/** A prefix an app puts before every route (NestJS `app.setGlobalPrefix('api')`). */
/** NestJS URI versioning (`app.enableVersioning({ type: VersioningType.URI })`): `/v1/…`. */
export interface VersioningFact extends FactBase {
  kind: 'versioning';
  defaultVersion?: string;
  /** What comes before the version number; `v` unless set. */
  prefix: string;
}

export interface GlobalPrefixFact extends FactBase {
  kind: 'global-prefix';
  prefix: string;
}

/** Where a service starts listening for requests. */
export interface ListenFact extends FactBase {
  kind: 'listen';
}

/** Code that runs SQL read from files: a migration runner. */
export interface SqlFileFact extends FactBase {
  kind: 'sql-file';
}

/** A header of the incoming request a handler or middleware reads. */
export interface HeaderReadFact extends FactBase {
  kind: 'header-read';
  header: string;
  /** Set for app-wide reads (fastify's requestIdHeader): the app that reads it on every route. */
  owner?: ts.Node | undefined;
}

/** A schema a handler validates input with (zod, joi, a framework's JSON schema). */
export interface ValidationFact extends FactBase {
  kind: 'validation';
  library: string;
  target: 'body' | 'params' | 'query' | 'message' | 'unknown';
  shape: Shape;
}

export type Fact =
  | EnvFact
  | ResponseFact
  | ErrorHandlerFact
  | HookFact
  | ListenFact
  | GlobalPrefixFact
  | VersioningFact
  | RouterPrefixFact
  | SocketEventFact
  | SqlFileFact
  | HeaderReadFact
  | ValidationFact
  | RouteFact
  | MountFact
  | SqlFact
  | TransactionFact
  | CacheFact
  | PublishFact
  | ConsumeFact
  | BindingFact
  | ExchangeFact
  | HttpCallFact
  | SessionFact
  | SessionReadFact
  | AuthFact;

export type FactOf<K extends Fact['kind']> = Extract<Fact, { kind: K }>;

export interface DetectContext {
  file: IndexedFile;
  index: ProjectIndex;
  values: ValueResolver;
  strings: StringEvaluator;
  headers: HeaderSources;
  report(fact: DistributiveOmit<Fact, 'at' | 'packageDir'>): void;
  unrecognised(kind: string, message: string, node: ts.Node): void;
  locate(node: ts.Node): Location;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface Detector {
  name: string;
  /** Packages that switch it on; empty means it always runs. */
  enabledBy: readonly string[];
  detect(ctx: DetectContext): void;
}

export interface DetectedFacts {
  facts: Fact[];
  unrecognised: Unrecognised[];
}
