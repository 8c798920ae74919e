// Turns linked facts into the integration map: components, then one boundary per pair of
// components that talk directly, with its operations, the auth rules and failure modes.
import type { LinkedFacts } from '../detect/link.js';
import type { AuthFact, Fact, FactOf, SqlFact } from '../detect/types.js';
import type { Project } from '../project/types.js';
import {
  isService,
  reachedBy,
  serviceComponent,
  slug,
  targetNameFromEnv,
  targetNameFromUrl,
} from './components.js';
import { operationFailureModes, recoveryFailureModes } from './failure-modes.js';
import type {
  AuthRule,
  Boundary,
  Component,
  IntegrationMap,
  Operation,
  Protocol,
  Unrecognised,
} from './model.js';
import { MAP_VERSION } from './model.js';
import {
  cacheOperation,
  consumeOperation,
  httpCallOperation,
  publishOperation,
  routeOperation,
  splitUrl,
  sqlOperation,
} from './operations.js';

export function buildMap(
  project: Project,
  linked: LinkedFacts,
  unrecognised: Unrecognised[],
): IntegrationMap {
  const builder = new MapBuilder(project, linked);
  builder.addServices();
  builder.addDependencies();
  builder.addRoutes();
  builder.addConsumers();
  builder.addSocketEvents();
  builder.attachContainers();
  return {
    version: MAP_VERSION,
    project: { name: project.name, root: '.' },
    components: [...builder.components.values()].sort((a, b) => a.id.localeCompare(b.id)),
    boundaries: builder.boundaries(),
    auth: builder.authRules(),
    unrecognised: [...unrecognised, ...builder.unrecognised].sort(
      (a, b) => a.at.file.localeCompare(b.at.file) || a.at.line - b.at.line,
    ),
  };
}

type BoundaryShape = Pick<Boundary, 'from' | 'to' | 'protocol' | 'interaction'>;

class MapBuilder {
  readonly components = new Map<string, Component>();
  readonly unrecognised: Unrecognised[] = [];
  private readonly shapes = new Map<string, BoundaryShape>();
  private readonly operations = new Map<string, Map<string, Operation>>();
  /** Operation id of every fact that became part of an operation. */
  /** The operations each fact became part of (one per service that causes it). */
  private readonly operationsOfFact = new Map<Fact, string[]>();
  /** Services whose routes or consumers reach a fact of a shared (non-service) package. */
  private readonly reachingServices = new Map<Fact, Set<string>>();
  private readonly auth = new Map<AuthFact, AuthRule>();
  private readonly authBySignature = new Map<string, AuthRule>();
  private readonly serviceOfDir = new Map<string, string>();
  /** The services that use each dependency, in the order they were seen. */
  private readonly owners = new Map<string, string[]>();
  /** The technology of each service's first database. */
  private readonly databasesOf = new Map<string, string>();

  constructor(
    private readonly project: Project,
    private readonly linked: LinkedFacts,
  ) {}

  addServices(): void {
    for (const pkg of this.project.packages) {
      if (!isService(pkg, this.linked.facts)) continue;
      const component = serviceComponent(this.project, pkg, this.linked.facts);
      this.components.set(component.id, component);
      this.serviceOfDir.set(pkg.dir, component.id);
    }
  }

  /** Databases, caches, brokers and HTTP targets, each with the operations that reach it. */
  addDependencies(): void {
    this.indexReachingServices();
    for (const fact of this.linked.facts) {
      for (const service of this.servicesOf(fact)) this.addDependency(service, fact);
    }
  }

  /** The service a fact's package is, or, for a shared package, the services that use it. */
  private servicesOf(fact: Fact): string[] {
    const own = this.serviceOfDir.get(fact.packageDir);
    if (own) return [own];
    return [...(this.reachingServices.get(fact) ?? [])].sort();
  }

  private indexReachingServices(): void {
    const entries = [
      ...this.linked.routes.map((linked) => ({
        packageDir: linked.route.packageDir,
        effects: linked.effects,
      })),
      ...this.linked.consumers.map((linked) => ({
        packageDir: linked.consume.packageDir,
        effects: linked.effects,
      })),
    ];
    for (const { packageDir, effects } of entries) {
      const service = this.serviceOfDir.get(packageDir);
      if (!service) continue;
      for (const fact of effects) {
        if (this.serviceOfDir.has(fact.packageDir)) continue;
        const services = this.reachingServices.get(fact) ?? new Set<string>();
        services.add(service);
        this.reachingServices.set(fact, services);
      }
    }
  }

  private addDependency(service: string, fact: Fact): void {
    switch (fact.kind) {
      case 'sql':
        this.addSql(service, fact);
        break;
      case 'cache': {
        const to = this.broker(service, 'redis').id;
        this.addOperation(
          { from: service, to, protocol: 'redis', interaction: 'request-response' },
          cacheOperation(boundaryId(service, to), fact),
          fact,
        );
        break;
      }
      case 'publish': {
        const { id: to, protocol } = this.broker(service, fact.library);
        const type = this.exchangeType(fact);
        this.addOperation(
          { from: service, to, protocol, interaction: 'publish' },
          publishOperation(boundaryId(service, to), fact, type),
          fact,
        );
        break;
      }
      case 'http-call':
        this.addHttpCall(service, fact);
        break;
      default:
        break;
    }
  }

  addRoutes(): void {
    for (const linked of this.linked.routes) {
      const service = this.serviceOfDir.get(linked.route.packageDir);
      if (!service) continue;
      this.ensureComponent({ id: 'client', kind: 'client', name: 'HTTP clients', config: [] });
      const shape: BoundaryShape = {
        from: 'client',
        to: service,
        protocol: 'http',
        interaction: 'request-response',
      };
      const operation = routeOperation(
        boundaryId('client', service),
        linked,
        this.effectIds(linked.effects, service),
      );
      // A route whose code declares no body schema takes the one its OpenAPI document gives.
      const documented = this.project.openApi.find(
        (candidate) =>
          candidate.method === operation.method &&
          candidate.path === operation.path &&
          candidate.body,
      );
      if (documented?.body && !operation.request?.body) {
        operation.request = {
          ...operation.request,
          body: { source: 'openapi', ...documented.body },
        };
      }
      if (linked.auth && operation.auth)
        operation.auth.rule = this.authRule(service, linked.auth.fact, linked.auth.rejections).id;
      this.addOperation(shape, operation, linked.route);
    }
  }

  addConsumers(): void {
    for (const linked of this.linked.consumers) {
      const service = this.serviceOfDir.get(linked.consume.packageDir);
      if (!service) continue;
      const { id: broker, protocol } = this.broker(service, linked.consume.library);
      const shape: BoundaryShape = {
        from: broker,
        to: service,
        protocol,
        interaction: 'consume',
      };
      const operation = consumeOperation(
        boundaryId(broker, service),
        linked,
        this.effectIds(linked.effects, service),
      );
      this.addOperation(shape, operation, linked.consume);
    }
  }

  /** WebSocket events in and out, on a client→service boundary of their own. */
  addSocketEvents(): void {
    for (const linked of this.linked.socketEvents) {
      const { event } = linked;
      const service = this.serviceOfDir.get(event.packageDir);
      if (!service) continue;
      this.ensureComponent({ id: 'client', kind: 'client', name: 'HTTP clients', config: [] });
      const id = boundaryId('client', service);
      const operation: Operation = {
        id: `${id} ws ${event.direction} ${event.event}`,
        kind: 'socket-event',
        direction: event.direction,
        event: event.event,
        effects: this.effectIds(linked.effects, service),
        at: [event.at],
      };
      this.addOperation(
        { from: 'client', to: service, protocol: 'websocket', interaction: 'stream' },
        operation,
        event,
      );
    }
  }

  boundaries(): Boundary[] {
    const recovered = recoveryFailureModes(this.linked.recoveries, (fact) =>
      this.operationOf(fact),
    );
    return [...this.shapes.entries()]
      .map(([id, shape]) => {
        const operations = [...(this.operations.get(id)?.values() ?? [])].sort((a, b) =>
          a.id.localeCompare(b.id),
        );
        const failureModes = [
          ...operationFailureModes(shape.to, operations),
          ...(recovered.get(id) ?? []),
        ];
        return { id, ...shape, operations, failureModes };
      })
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  private operationOf(fact: Fact): { boundaryId: string; operation: Operation } | undefined {
    const operationId = this.operationsOfFact.get(fact)?.[0];
    if (!operationId) return undefined;
    for (const [boundaryId, operations] of this.operations) {
      const operation = operations.get(operationId);
      if (operation) return { boundaryId, operation };
    }
    return undefined;
  }

  authRules(): AuthRule[] {
    // Several facts can share one rule (the same guard named on many controllers).
    return [...new Set(this.auth.values())].sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Each driver speaks to its database; Prisma to whatever its schema's datasource names. */
  private databaseTechnology(fact: SqlFact): string {
    if (fact.technology) return fact.technology;
    if (fact.driver === 'prisma') return this.project.prismaTables.get('$provider') ?? 'prisma';
    if (fact.driver === 'mysql2') return 'mysql';
    if (fact.driver === 'better-sqlite3' || fact.driver === 'sqlite3') return 'sqlite';
    return 'postgresql';
  }

  private addSql(service: string, fact: SqlFact): void {
    // A service's first database is `<service>-db`; one of another kind is named after it.
    const technology = this.databaseTechnology(fact);
    const first = this.databasesOf.get(service) ?? technology;
    this.databasesOf.set(service, first);
    const id = technology === first ? `${service}-db` : `${service}-${slug(technology)}`;
    const name = technology === first ? `${service} database` : `${service} ${technology} database`;
    const to = this.dependency(
      id,
      'database',
      name,
      technology,
      service,
      /^(DATABASE|POSTGRES|PG|DB|MYSQL|SQLITE)\w*_(URL|URI)$/,
    );
    const transaction = this.linked.transactional.has(fact);
    this.addOperation(
      { from: service, to, protocol: 'sql', interaction: 'query' },
      sqlOperation(boundaryId(service, to), fact, transaction),
      fact,
      (known) => {
        if (known.kind === 'sql') known.transaction &&= transaction;
      },
    );
  }

  private addHttpCall(service: string, fact: FactOf<'http-call'>): void {
    const split = splitUrl(fact.url);
    const target =
      split &&
      (split.baseUrl.env
        ? targetNameFromEnv(split.baseUrl.env)
        : targetNameFromUrl(String(split.baseUrl.value ?? '')));
    if (!split || !target) {
      this.unrecognised.push({
        kind: 'unknown-http-target',
        message: 'outbound HTTP call to a target that is not known statically',
        at: fact.at,
      });
      return;
    }
    const loopback = this.loopbackService(split.baseUrl.value, service);
    if (loopback) {
      this.addOperation(
        { from: service, to: loopback, protocol: 'http', interaction: 'request-response' },
        httpCallOperation(boundaryId(service, loopback), fact, split),
        fact,
      );
      return;
    }
    const known = this.components.get(target);
    const internal = known?.kind === 'service' && target !== service;
    if (internal && !known.reachedBy) known.reachedBy = split.baseUrl;
    if (!internal) {
      this.ensureComponent({
        id: target,
        kind: 'third-party',
        name: target,
        reachedBy: split.baseUrl,
        config: [],
      });
    }
    this.addOperation(
      { from: service, to: target, protocol: 'http', interaction: 'request-response' },
      httpCallOperation(boundaryId(service, target), fact, split),
      fact,
    );
  }

  /**
   * `http://localhost:3002`: the service of the project that listens there by default (its
   * `PORT` variable's default), so a local call between services is not taken for a third party.
   */
  private loopbackService(origin: unknown, caller: string): string | undefined {
    if (typeof origin !== 'string') return undefined;
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return undefined;
    }
    if (!['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) || !url.port) return undefined;
    const listening = [...this.components.values()].filter(
      (component) =>
        component.kind === 'service' &&
        component.id !== caller &&
        component.config.some(
          (variable) => /(^|_)PORT$/.test(variable.name) && String(variable.default) === url.port,
        ),
    );
    return listening.length === 1 ? listening[0]?.id : undefined;
  }

  /** The compose service each component runs as: by build folder, or by where its clients point. */
  attachContainers(): void {
    const compose = this.project.compose;
    const byName = new Map(compose.map((service) => [service.name, service]));
    const appOf = new Map<string, (typeof compose)[number]>();
    for (const component of this.components.values()) {
      const app = compose.find(
        (service) => service.build !== undefined && service.build === component.root,
      );
      if (component.kind === 'service' && app) appOf.set(component.id, app);
    }
    for (const component of this.components.values()) {
      const running = appOf.get(component.id) ?? this.pointedAt(component, appOf, byName);
      if (running) {
        component.container = {
          service: running.name,
          ...(running.image ? { image: running.image } : {}),
          at: running.at,
        };
      }
    }
  }

  private pointedAt(
    component: Component,
    appOf: ReadonlyMap<string, Project['compose'][number]>,
    byName: ReadonlyMap<string, Project['compose'][number]>,
  ): Project['compose'][number] | undefined {
    const variable = component.reachedBy?.env;
    if (!variable) return undefined;
    for (const owner of this.owners.get(component.id) ?? []) {
      const host = appOf.get(owner)?.hostsByVariable[variable];
      const target = host ? byName.get(host) : undefined;
      if (target) return target;
    }
    return undefined;
  }

  /** The broker a messaging library talks to, and the protocol of that boundary. */
  private broker(service: string, library: string): { id: string; protocol: Protocol } {
    switch (library) {
      case 'nats':
        return {
          id: this.dependency(
            'nats',
            'broker',
            'NATS',
            'nats',
            service,
            /^NATS\w*_(URL|URI|SERVERS)$/,
          ),
          protocol: 'nats',
        };
      case 'mqtt':
        return {
          id: this.dependency(
            'mqtt',
            'broker',
            'MQTT broker',
            'mqtt',
            service,
            /^MQTT\w*_(URL|URI)$/,
          ),
          protocol: 'mqtt',
        };
      case 'kafkajs':
        return {
          id: this.dependency(
            'kafka',
            'broker',
            'Kafka',
            'kafka',
            service,
            /^KAFKA\w*_(BROKERS|URL|URI)$/,
          ),
          protocol: 'kafka',
        };
      case 'bullmq':
      case 'ioredis':
      case 'redis':
        return {
          id: this.dependency(
            'redis',
            'cache',
            'Redis',
            'redis',
            service,
            /^REDIS.*_(URL|URI)$|^REDIS_HOST$/,
          ),
          protocol: 'redis',
        };
      default:
        return {
          id: this.dependency(
            'rabbitmq',
            'broker',
            'RabbitMQ',
            'rabbitmq',
            service,
            /^(AMQP|RABBITMQ|RABBIT)\w*_(URL|URI)$/,
          ),
          protocol: 'amqp',
        };
    }
  }

  private dependency(
    id: string,
    kind: Component['kind'],
    name: string,
    technology: string,
    service: string,
    variable: RegExp,
  ): string {
    const from = this.components.get(service);
    const via = from && reachedBy(from, variable);
    this.owners.set(id, [...new Set([...(this.owners.get(id) ?? []), service])]);
    this.ensureComponent({
      id,
      kind,
      name,
      technology,
      ...(via ? { reachedBy: via } : {}),
      config: [],
    });
    return id;
  }

  private ensureComponent(component: Component): void {
    if (!this.components.has(component.id)) this.components.set(component.id, component);
  }

  private exchangeType(
    fact: FactOf<'publish'>,
  ): 'direct' | 'topic' | 'fanout' | 'headers' | undefined {
    const name = JSON.stringify(fact.exchange);
    const declared = this.linked.facts.find(
      (other) => other.kind === 'exchange' && JSON.stringify(other.name) === name,
    );
    const type = declared?.kind === 'exchange' ? declared.type : undefined;
    return type === 'direct' || type === 'topic' || type === 'fanout' || type === 'headers'
      ? type
      : undefined;
  }

  private addOperation(
    shape: BoundaryShape,
    operation: Operation,
    fact: Fact,
    merge?: (known: Operation) => void,
  ): void {
    const id = boundaryId(shape.from, shape.to);
    if (!this.shapes.has(id)) this.shapes.set(id, shape);
    const operations = this.operations.get(id) ?? new Map<string, Operation>();
    this.operations.set(id, operations);
    const known = operations.get(operation.id);
    if (known) {
      if (!known.at.some((at) => at.file === fact.at.file && at.line === fact.at.line))
        known.at.push(fact.at);
      known.at.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
      merge?.(known);
    } else {
      operations.set(operation.id, operation);
    }
    const operationIds = this.operationsOfFact.get(fact) ?? [];
    if (!operationIds.includes(operation.id))
      this.operationsOfFact.set(fact, [...operationIds, operation.id]);
  }

  private effectIds(effects: Fact[], service: string): string[] {
    const ids = effects
      .flatMap((fact) => this.operationsOfFact.get(fact) ?? [])
      .filter((id) => id.startsWith(`${service}->`));
    return [...new Set(ids)].sort();
  }

  private authRule(service: string, fact: AuthFact, rejections: FactOf<'response'>[]): AuthRule {
    // A check with no function of its own (`@UseGuards(AuthGuard('jwt'))` written on each
    // controller) is one rule however many places name it.
    const signature =
      fact.fn === undefined
        ? `${service} ${fact.library} ${fact.mechanism} ${fact.node.getText()}`
        : undefined;
    const named = signature === undefined ? undefined : this.authBySignature.get(signature);
    if (named && !this.auth.has(fact)) this.auth.set(fact, named);
    const known = this.auth.get(fact);
    const rejects = rejections.map((response) => ({
      status: response.status,
      when:
        response.status === 401
          ? 'missing, malformed, expired or invalid credential'
          : 'credential lacks the required scope or role',
      at: response.at,
    }));
    if (known) {
      for (const reject of rejects) {
        if (
          !known.rejects.some(
            (other) =>
              other.status === reject.status &&
              other.at.line === reject.at.line &&
              other.at.file === reject.at.file,
          )
        ) {
          known.rejects.push(reject);
        }
      }
      known.rejects.sort((a, b) => a.status - b.status);
      return known;
    }
    const sameService = [...new Set(this.auth.values())].filter(
      (rule) => rule.component === service,
    ).length;
    const rule: AuthRule = {
      id: `${service}:${fact.mechanism}${sameService > 0 ? `-${sameService + 1}` : ''}`,
      component: service,
      kind: fact.mechanism,
      library: fact.library,
      header: fact.header ?? (fact.cookie ? 'cookie' : 'authorization'),
      ...(fact.cookie ? { cookie: fact.cookie } : {}),
      ...(fact.secret ? { secret: fact.secret } : {}),
      claims: fact.claims,
      rejects: rejects.sort((a, b) => a.status - b.status),
      at: fact.at,
    };
    this.auth.set(fact, rule);
    if (signature !== undefined) this.authBySignature.set(signature, rule);
    return rule;
  }
}

function boundaryId(from: string, to: string): string {
  return `${from}->${to}`;
}
