// The integration map: the one model every stage after detection reads.
// It is declared once, as zod schemas, so the TypeScript types, the runtime validation of a map
// read from disk and the published JSON Schema (schema/integration-map.schema.json) cannot drift apart.
import { z } from 'zod';

/** Bumped on any change that makes an older reader misread a map. */
export const MAP_VERSION = 1;

export const Location = z
  .strictObject({
    file: z.string().min(1).describe('Path relative to the project root, with forward slashes'),
    line: z.int().min(1),
    column: z.int().min(1).optional(),
  })
  .meta({ id: 'Location', description: 'Where in the source a fact was found' });

/** A value known either literally or by the environment variable that sets it. */
export const Configured = z
  .strictObject({
    value: z.union([z.string(), z.number(), z.boolean()]).optional(),
    env: z.string().optional().describe('Environment variable that sets it'),
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
  })
  .meta({ id: 'Configured' });

export const Shape = z
  .strictObject({
    source: z.enum([
      'zod',
      'joi',
      'json-schema',
      'class-validator',
      'typescript',
      'openapi',
      'code',
      'observed',
    ]),
    schema: z.record(z.string(), z.unknown()).describe('A JSON Schema of the value'),
    at: Location,
  })
  .meta({ id: 'Shape', description: 'The shape of a value crossing a boundary' });

export const EnvVar = z
  .strictObject({
    name: z.string(),
    default: z.string().optional(),
    required: z.boolean().describe('No default, and the code does not treat it as optional'),
    secret: z.boolean().describe('A secret or a connection URL that may hold one: never copied'),
    at: Location,
    listedIn: Location.optional().describe('The .env-style file line that names it'),
    unread: z
      .boolean()
      .optional()
      .describe("Named in the service's own .env file, but no code seen reads it"),
  })
  .meta({ id: 'EnvVar' });

export const ComponentKind = z.enum([
  'service',
  'database',
  'cache',
  'broker',
  'third-party',
  'client',
]);

export const Component = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    kind: ComponentKind,
    name: z.string(),
    technology: z.string().optional().describe("e.g. 'express', 'postgresql', 'rabbitmq'"),
    root: z.string().optional().describe('Folder of a service, relative to the project root'),
    language: z.enum(['typescript', 'javascript']).optional(),
    moduleSystem: z.enum(['esm', 'commonjs']).optional(),
    entry: Location.optional().describe('Where a service starts listening'),
    reachedBy: Configured.optional().describe('How its clients find it, e.g. a URL variable'),
    config: z.array(EnvVar).default([]),
    container: z
      .strictObject({
        service: z.string().describe('Name of the docker-compose service'),
        image: z.string().optional(),
        at: Location,
      })
      .optional()
      .describe('Where the system runs it in docker-compose'),
    commands: z
      .strictObject({
        start: z.string().optional(),
        migrate: z.string().optional(),
      })
      .optional()
      .describe("The package's own scripts that start the service and apply its migrations"),
    migrations: z
      .strictObject({
        dir: z.string().describe('Folder of migration files, relative to the project root'),
        files: z.array(z.string()),
        runner: Location.optional().describe('The code that applies them'),
      })
      .optional(),
    at: Location.optional(),
  })
  .meta({ id: 'Component' });

export const Protocol = z.enum([
  'http',
  'websocket',
  'sql',
  'redis',
  'amqp',
  'nats',
  'mqtt',
  'kafka',
  'function-call',
]);

/** How a service authenticates callers; routes refer to it by id. */
export const AuthRule = z
  .strictObject({
    id: z.string(),
    component: z.string(),
    kind: z.enum(['jwt-bearer', 'api-key', 'session', 'basic', 'oauth2', 'custom']),
    library: z.string().optional(),
    header: z.string().optional(),
    cookie: z
      .string()
      .optional()
      .describe(
        "The cookie a session credential comes in: its name, `$VAR` when a variable sets it, or 'unknown'",
      ),
    secret: Configured.optional().describe('Where the verification or signing key comes from'),
    claims: z
      .array(z.string())
      .default([])
      .describe('Claims the service reads from the credential'),
    rejects: z.array(
      z
        .strictObject({ status: z.int(), when: z.string(), at: Location })
        .meta({ id: 'AuthRejection' }),
    ),
    at: Location,
  })
  .meta({ id: 'AuthRule' });

export const RouteAuth = z
  .strictObject({
    rule: z.string().describe('Id of an AuthRule'),
    scopes: z.array(z.string()).default([]),
    roles: z.array(z.string()).default([]),
    ownership: z.boolean().optional().describe('Rejects callers who do not own the resource'),
    at: Location,
  })
  .meta({ id: 'RouteAuth' });

export const HeaderSent = z
  .strictObject({
    name: z.string().describe('Lower-case header name'),
    source: z.enum(['incoming-request', 'generated', 'config', 'constant', 'derived']),
    from: z.string().optional().describe('Incoming header, variable or value it comes from'),
    at: Location,
  })
  .meta({ id: 'HeaderSent' });

export const RetryPolicy = z
  .strictObject({
    maxRetries: Configured,
    backoff: z.enum(['none', 'fixed', 'exponential']),
    baseDelayMs: Configured.optional(),
    retryOn: z.array(z.string()).describe("e.g. '5xx', 'timeout', 'network'"),
    at: Location,
  })
  .meta({ id: 'RetryPolicy' });

/** What a caller does with one kind of outcome of a call, e.g. a 409 answered as its own 409. */
export const Outcome = z
  .strictObject({
    when: z.string().describe("'2xx', '402', '5xx', 'timeout', 'connection-error', …"),
    handling: z.enum([
      'success',
      'translated',
      'retried',
      'compensated',
      'ignored',
      'rethrown',
      'acknowledged',
      'requeued',
      'dropped',
    ]),
    status: z.int().optional().describe('The status the caller answers its own client with'),
    code: z.string().optional().describe('The error code in that answer'),
    at: Location,
  })
  .meta({ id: 'Outcome' });

export const ResponseFact = z
  .strictObject({
    status: z.int(),
    code: z.string().optional(),
    description: z.string().optional(),
    shape: Shape.optional(),
    at: Location,
  })
  .meta({ id: 'Response' });

const operationBase = {
  id: z.string().describe('Unique in the map; other facts refer to operations by it'),
  at: z.array(Location).min(1).describe('Every place in the source that performs it'),
};

export const HttpRoute = z
  .strictObject({
    ...operationBase,
    kind: z.literal('http-route'),
    method: z.string(),
    path: z.string(),
    handler: Location.optional(),
    request: z
      .strictObject({ params: Shape.optional(), query: Shape.optional(), body: Shape.optional() })
      .optional(),
    responses: z.array(ResponseFact).default([]),
    auth: RouteAuth.optional().describe('Absent when the route is public'),
    headersRead: z.array(z.string()).default([]),
    effects: z.array(z.string()).default([]).describe('Ids of the operations this route causes'),
  })
  .meta({ id: 'HttpRoute' });

export const HttpCall = z
  .strictObject({
    ...operationBase,
    kind: z.literal('http-call'),
    method: z.string(),
    baseUrl: Configured,
    path: z.string(),
    headers: z.array(HeaderSent).default([]),
    timeoutMs: Configured.optional().describe('Absent when the call has no timeout'),
    retry: RetryPolicy.optional(),
    idempotencyKey: z.strictObject({ header: z.string(), value: z.string() }).optional(),
    request: Shape.optional(),
    response: Shape.optional(),
    outcomes: z.array(Outcome).default([]),
  })
  .meta({ id: 'HttpCall' });

export const SqlOperation = z
  .strictObject({
    ...operationBase,
    kind: z.literal('sql'),
    action: z.enum(['select', 'insert', 'update', 'delete', 'upsert', 'lock', 'ddl']),
    table: z.string(),
    transaction: z.boolean().describe('Runs inside an explicit transaction'),
    lock: z.enum(['for-update', 'for-share']).optional(),
  })
  .meta({ id: 'SqlOperation' });

export const CacheOperation = z
  .strictObject({
    ...operationBase,
    kind: z.literal('cache'),
    command: z.string().describe('Upper-case Redis command'),
    access: z.enum(['read', 'write', 'delete']),
    keyPattern: z.string().describe("Placeholders in braces, e.g. 'order:{id}'"),
    ttlSeconds: Configured.optional(),
  })
  .meta({ id: 'CacheOperation' });

export const MessagePublish = z
  .strictObject({
    ...operationBase,
    kind: z.literal('publish'),
    exchange: z.string().optional(),
    exchangeType: z.enum(['direct', 'topic', 'fanout', 'headers']).optional(),
    routingKey: z.string().optional(),
    subject: z.string().optional().describe('NATS subject, MQTT topic or Kafka topic'),
    exchangeFrom: Configured.optional(),
    message: Shape.optional(),
    headers: z.array(HeaderSent).default([]),
    persistent: z.boolean().optional(),
    confirmed: z.boolean().optional().describe('Waits for the broker to confirm'),
  })
  .meta({ id: 'MessagePublish' });

export const MessageConsume = z
  .strictObject({
    ...operationBase,
    kind: z.literal('consume'),
    queue: z.string().optional(),
    queueFrom: Configured.optional(),
    exchange: z.string().optional(),
    bindingKeys: z.array(z.string()).default([]),
    subject: z.string().optional(),
    ack: z.enum(['manual', 'auto']),
    handler: Location.optional(),
    outcomes: z.array(Outcome).default([]),
    effects: z.array(z.string()).default([]),
  })
  .meta({ id: 'MessageConsume' });

export const SocketEvent = z
  .strictObject({
    ...operationBase,
    kind: z.literal('socket-event'),
    direction: z.enum(['in', 'out']),
    event: z.string(),
    message: Shape.optional(),
    effects: z.array(z.string()).default([]),
  })
  .meta({ id: 'SocketEvent' });

export const FunctionCall = z
  .strictObject({
    ...operationBase,
    kind: z.literal('function-call'),
    callee: z.string(),
  })
  .meta({ id: 'FunctionCall' });

export const Operation = z.discriminatedUnion('kind', [
  HttpRoute,
  HttpCall,
  SqlOperation,
  CacheOperation,
  MessagePublish,
  MessageConsume,
  SocketEvent,
  FunctionCall,
]);

export const FailureMode = z
  .strictObject({
    kind: z.enum([
      'timeout',
      'unavailable',
      'error-response',
      'rejected',
      'conflict',
      'constraint-violation',
      'lock-contention',
      'partial-failure',
      'poison-message',
      'redelivery',
      'stale-read',
      'no-timeout',
      'unbounded-retry',
      'retry-without-idempotency-key',
      'write-outside-transaction',
      'no-error-handling',
    ]),
    description: z.string(),
    handling: z.string().optional().describe('What the code does about it'),
    status: z.int().optional().describe('The status the caller answers with'),
    at: Location,
  })
  .meta({ id: 'FailureMode' });

export const Boundary = z
  .strictObject({
    id: z.string().describe("'<from>-><to>'"),
    from: z.string(),
    to: z.string(),
    protocol: Protocol,
    interaction: z.enum(['request-response', 'publish', 'consume', 'query', 'stream']),
    operations: z.array(Operation).min(1),
    failureModes: z.array(FailureMode).default([]),
  })
  .meta({ id: 'Boundary' });

/** Something analysis saw but could not resolve; kept so nothing is silently dropped. */
export const Unrecognised = z
  .strictObject({
    kind: z.string().describe("e.g. 'computed-route-path', 'dynamic-sql', 'parse-error'"),
    message: z.string(),
    at: Location,
  })
  .meta({ id: 'Unrecognised' });

export const IntegrationMap = z
  .strictObject({
    $schema: z.string().optional(),
    version: z.literal(MAP_VERSION),
    project: z.strictObject({ name: z.string(), root: z.string() }),
    components: z.array(Component),
    boundaries: z.array(Boundary),
    auth: z.array(AuthRule).default([]),
    unrecognised: z.array(Unrecognised).default([]),
  })
  .meta({ id: 'IntegrationMap', title: 'seamtest integration map' });

export type Location = z.infer<typeof Location>;
export type Configured = z.infer<typeof Configured>;
export type Shape = z.infer<typeof Shape>;
export type EnvVar = z.infer<typeof EnvVar>;
export type Component = z.infer<typeof Component>;
export type ComponentKind = z.infer<typeof ComponentKind>;
export type Protocol = z.infer<typeof Protocol>;
export type AuthRule = z.infer<typeof AuthRule>;
export type RouteAuth = z.infer<typeof RouteAuth>;
export type HeaderSent = z.infer<typeof HeaderSent>;
export type RetryPolicy = z.infer<typeof RetryPolicy>;
export type Outcome = z.infer<typeof Outcome>;
export type HttpRoute = z.infer<typeof HttpRoute>;
export type HttpCall = z.infer<typeof HttpCall>;
export type SqlOperation = z.infer<typeof SqlOperation>;
export type CacheOperation = z.infer<typeof CacheOperation>;
export type MessagePublish = z.infer<typeof MessagePublish>;
export type MessageConsume = z.infer<typeof MessageConsume>;
export type SocketEvent = z.infer<typeof SocketEvent>;
export type FunctionCall = z.infer<typeof FunctionCall>;
export type Operation = z.infer<typeof Operation>;
export type FailureMode = z.infer<typeof FailureMode>;
export type Boundary = z.infer<typeof Boundary>;
export type Unrecognised = z.infer<typeof Unrecognised>;
export type IntegrationMap = z.infer<typeof IntegrationMap>;
