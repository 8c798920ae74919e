// Integration map → scenario plan. Every route gets its happy path (with the side effects it
// causes on every boundary it reaches, checked on the boundary's own file), auth rejections,
// invalid input and error translation at its third-party boundaries; every consumer gets an
// eventual-consistency scenario driven by the route that publishes what it consumes; and the
// longest chain of routes on one resource becomes the flow through all components.
import type { Boundary, HttpRoute, IntegrationMap } from '../map/model.js';
import type { SystemSpec } from '../runtime/system.js';
import { topicMatches } from '../runtime/topics.js';
import type { FaultScenarios } from './fault-scenarios.js';
import type { Category, Check, Fixture, PlannedFile, PlanValue, Scenario, Step } from './model.js';
import { type Reached, reachOf, scopesNeeded } from './reach.js';
import { invalidVariants, sampleValue } from './sample-values.js';
import { usesValue } from './values.js';

export interface RoutePlan {
  service: string;
  boundary: Boundary;
  route: HttpRoute;
  reach: Reached[];
  /** The route that creates what this route's path parameter names. */
  producer?: RoutePlan;
}

export class ScenarioPlanner {
  private readonly files = new Map<string, PlannedFile>();
  private readonly coverage: Record<string, string[]> = {};
  readonly routes: RoutePlan[];

  constructor(
    readonly map: IntegrationMap,
    readonly system: SystemSpec,
    private readonly fixtures: Fixture[],
  ) {
    const services = new Set(system.services.map((service) => service.id));
    this.routes = map.boundaries
      .filter((boundary) => boundary.from === 'client' && services.has(boundary.to))
      .flatMap((boundary) =>
        boundary.operations.flatMap((operation) =>
          operation.kind === 'http-route'
            ? [{ service: boundary.to, boundary, route: operation, reach: reachOf(map, operation) }]
            : [],
        ),
      );
    for (const plan of this.routes) {
      const producer = this.producerOf(plan);
      if (producer) plan.producer = producer;
    }
    for (const boundary of map.boundaries) this.coverage[boundary.id] = [];
  }

  /** `faults` adds the fault-injection scenarios of each route and consumer. */
  plan(faults?: FaultScenarios): {
    files: PlannedFile[];
    coverage: Record<string, string[]>;
    unplanned: { what: string; why: string }[];
  } {
    const unplanned: { what: string; why: string }[] = [];
    for (const plan of this.routes) {
      const missing = this.credentialProblem(plan);
      if (missing) {
        unplanned.push({
          what: `${plan.service} ${plan.route.method} ${plan.route.path}`,
          why: missing,
        });
        this.authRejections(plan, { onlyMissing: true });
        continue;
      }
      this.happyPath(plan);
      this.authRejections(plan);
      this.invalidInput(plan);
      this.unknownResource(plan);
      this.thirdPartyErrors(plan);
      this.exhaustedAndRaces(plan);
      this.unknownReference(plan);
      this.repeated(plan);
      faults?.forRoute(plan);
    }
    this.consumers();
    faults?.forConsumers();
    this.poisonMessages();
    this.flow();
    return { files: [...this.files.values()], coverage: this.coverage, unplanned };
  }

  /**
   * Why seamtest cannot make a credential this route (or what creates its resource) accepts:
   * it signs HS256 JWTs with a secret it gives the service; sessions, API keys and keys it
   * cannot set are not supported yet.
   */
  credentialProblem(plan: RoutePlan): string | undefined {
    for (const route of plan.producer ? [plan.producer.route, plan.route] : [plan.route]) {
      if (!route.auth) continue;
      const rule = this.map.auth.find((candidate) => candidate.id === route.auth?.rule);
      if (!rule) return `its auth rule ${route.auth.rule} is not in the map`;
      if (rule.kind !== 'jwt-bearer')
        return `${rule.kind} credentials are not made by generated suites yet; only the rejection of a request without one is tested`;
      if (!rule.secret?.env)
        return 'its JWT secret is not read from an environment variable, so the suite cannot give the service a test secret';
    }
    return undefined;
  }

  private happyPath(plan: RoutePlan): void {
    const { route } = plan;
    const name = `${route.method} ${route.path}`;
    const arrange = this.arrange(plan);
    const status = successStatus(route);
    const act: Step[] = [
      ...arrange,
      this.callStep(plan, 'response'),
      check({ kind: 'status', call: 'response', status }),
    ];
    this.add(fileFor(plan.boundary), {
      id: `${plan.service} ${name} happy`,
      title: route.request?.body
        ? `${name} answers ${status} with what it was sent`
        : `${name} answers ${status}`,
      categories: ['happy-path', 'data-transformation'],
      boundaries: [plan.boundary.id],
      steps: [
        ...act,
        check({ kind: 'body', call: 'response' }),
        check({ kind: 'headers', call: 'response' }),
      ],
    });
    for (const [boundaryId, boundary] of this.reachedBoundaries(plan)) {
      const checks = this.boundaryChecks(plan, boundary);
      if (checks.length === 0) continue;
      const categories: Category[] = ['side-effects', 'data-transformation'];
      if (checks.some((step) => step.kind === 'check' && step.check.kind === 'forwarded'))
        categories.push('context-propagation');
      this.add(fileFor(boundary), {
        id: `${plan.service} ${name} → ${boundaryId}`,
        title: `${name} ${describeEffect(boundary)}`,
        categories,
        boundaries: [boundaryId, plan.boundary.id],
        steps: [...act, ...checks],
      });
    }
  }

  private authRejections(plan: RoutePlan, options: { onlyMissing?: boolean } = {}): void {
    const { route } = plan;
    if (!route.auth) return;
    const rule = this.map.auth.find((candidate) => candidate.id === route.auth?.rule);
    const unauthenticated = rule?.rejects.find((reject) => reject.status === 401)?.status ?? 401;
    const forbidden = rule?.rejects.find((reject) => reject.status === 403)?.status ?? 403;
    const variants: {
      title: string;
      token?: Step;
      authorization?: string;
      status: number;
      rule: 'rejects-unauthenticated' | 'rejects-insufficient-scope';
    }[] = [
      { title: 'without a credential', status: unauthenticated, rule: 'rejects-unauthenticated' },
      {
        title: 'with a malformed credential',
        authorization: 'Bearer not-a-token',
        status: unauthenticated,
        rule: 'rejects-unauthenticated',
      },
      {
        title: 'with an expired token',
        token: this.tokenStep(plan, 'variantToken', 'expired'),
        status: unauthenticated,
        rule: 'rejects-unauthenticated',
      },
      {
        title: 'with a token signed by another key',
        token: this.tokenStep(plan, 'variantToken', 'wrong-secret'),
        status: unauthenticated,
        rule: 'rejects-unauthenticated',
      },
    ];
    const own = route.auth.scopes;
    if (own.length > 0) {
      const needed = scopesNeeded(this.map, route).filter((scope) => !own.includes(scope));
      variants.push({
        title: `without the ${own.join(', ')} scope`,
        token: { ...this.tokenStep(plan, 'variantToken'), scopes: needed } as Step,
        status: forbidden,
        rule: 'rejects-insufficient-scope',
      });
    }
    if (route.auth.ownership && plan.producer) {
      variants.push({
        title: 'to a customer who does not own it',
        token: {
          ...this.tokenStep(plan, 'variantToken'),
          subject: { $unique: 'other-customer' },
        } as Step,
        status: forbidden,
        rule: 'rejects-insufficient-scope',
      });
    }
    for (const variant of options.onlyMissing ? variants.slice(0, 1) : variants) {
      const arrange = options.onlyMissing ? [] : this.arrange(plan);
      const call = this.callStep(plan, 'response', {
        token: variant.token ? 'variantToken' : undefined,
        authorization: variant.authorization,
      });
      this.add(fileFor(plan.boundary), {
        id: `${plan.service} ${route.method} ${route.path} rejects ${variant.title}`,
        title: `${route.method} ${route.path} answers ${variant.status} ${variant.title}`,
        categories: ['auth-rejection'],
        boundaries: [plan.boundary.id],
        steps: [
          ...arrange,
          ...(variant.token ? [variant.token] : []),
          call,
          check({ kind: 'status', call: 'response', status: variant.status, rule: variant.rule }),
          ...this.noSideEffects(plan),
        ],
      });
    }
  }

  private invalidInput(plan: RoutePlan): void {
    const { route } = plan;
    const schema = route.request?.body?.schema;
    if (!schema || !['POST', 'PUT', 'PATCH'].includes(route.method)) return;
    const status = route.responses.find((response) => response.status === 400)?.status ?? 400;
    const valid = this.body(plan.route);
    const variants = invalidVariants(schema, sampleValue(schema, { tag: 'TAG' })).slice(0, 3);
    const cases: { title: string; body?: PlanValue; rawBody?: string }[] = [
      ...variants.map((variant) => ({
        title: `when ${variant.description}`,
        body: uniqueTags(substitute(variant.value as PlanValue, valid)),
      })),
      { title: 'when the body is not valid JSON', rawBody: '{"truncated": ' },
    ];
    for (const invalid of cases) {
      const steps: Step[] = [
        ...this.arrange(plan),
        this.callStep(plan, 'response', { body: invalid.body, rawBody: invalid.rawBody }),
        check({ kind: 'status', call: 'response', status, rule: 'rejects-invalid-input' }),
        check({ kind: 'no-stack-trace', call: 'response', rule: 'no-stack-trace' }),
        check({ kind: 'body', call: 'response' }),
        ...this.noSideEffects(plan),
      ];
      this.add(fileFor(plan.boundary), {
        id: `${plan.service} ${route.method} ${route.path} ${invalid.title}`,
        title: `${route.method} ${route.path} answers ${status} ${invalid.title}`,
        categories: ['error-translation'],
        boundaries: [plan.boundary.id],
        steps,
      });
    }
  }

  /** A body naming reference data that does not exist (a product no one seeded). */
  private unknownReference(plan: RoutePlan): void {
    const { route } = plan;
    if (!['POST', 'PUT', 'PATCH'].includes(route.method) || !route.request?.body) return;
    const valid = this.body(route);
    const fixtures = this.fixturesFor([plan]).filter((fixture) => usesRef(valid, fixture.name));
    if (fixtures.length === 0) return;
    const dangling = replaceRefs(
      valid,
      fixtures.map((fixture) => fixture.name),
    );
    const names = fixtures.map((fixture) => fixture.table).join(', ');
    this.add(fileFor(plan.boundary), {
      id: `${plan.service} ${route.method} ${route.path} unknown reference`,
      title: `${route.method} ${route.path} is refused when the ${names} it names does not exist`,
      categories: ['error-translation'],
      boundaries: [plan.boundary.id, ...this.reachedBoundaries(plan).keys()],
      steps: [
        ...this.arrange(plan).filter(
          (step) => !(step.kind === 'seed' && fixtures.some((fixture) => fixture.name === step.as)),
        ),
        this.callStep(plan, 'response', { body: dangling }),
        check({ kind: 'status', call: 'response', status: 422 }),
        check({ kind: 'no-stack-trace', call: 'response', rule: 'no-stack-trace' }),
        check({ kind: 'body', call: 'response' }),
        ...this.noSideEffects(plan),
      ],
    });
  }

  /**
   * The same request sent twice, as a client retrying after a lost answer would: what the second
   * answer and the stores show is recorded (a client-chosen id makes the request idempotent).
   */
  private repeated(plan: RoutePlan): void {
    const { route } = plan;
    if (route.method !== 'POST' || !route.request?.body) return;
    const body = this.body(route);
    if (
      !usesValue(body, (value) => value !== null && typeof value === 'object' && '$uuid' in value)
    )
      return;
    this.add(fileFor(plan.boundary), {
      id: `${plan.service} ${route.method} ${route.path} repeated`,
      title: `${route.method} ${route.path} sent twice with the same body`,
      categories: ['side-effects', 'data-transformation'],
      boundaries: [plan.boundary.id, ...this.reachedBoundaries(plan).keys()],
      steps: [
        ...this.arrange(plan),
        { ...(this.callStep(plan, 'first') as Extract<Step, { kind: 'call' }>) },
        check({ kind: 'status', call: 'first', status: successStatus(route) }),
        {
          ...(this.callStep(plan, 'response') as Extract<Step, { kind: 'call' }>),
          reuseBodyOf: 'first',
        },
        check({ kind: 'status', call: 'response', status: successStatus(route) }),
        check({ kind: 'body', call: 'response' }),
        ...this.databasesReached(plan).map((dependency) => check({ kind: 'rows', dependency })),
      ],
    });
  }

  /** A message a consumer cannot read is dropped: nothing changes and its queue drains. */
  private poisonMessages(): void {
    for (const boundary of this.map.boundaries) {
      for (const operation of boundary.operations) {
        if (operation.kind !== 'consume' || !operation.exchange || !operation.queue) continue;
        const routingKey = operation.bindingKeys.find(
          (key) => !key.includes('*') && !key.includes('#'),
        );
        if (!routingKey || !this.has(boundary.from)) continue;
        const databases = this.map.boundaries
          .filter(
            (candidate) =>
              candidate.from === boundary.to &&
              candidate.protocol === 'sql' &&
              this.has(candidate.to),
          )
          .map((candidate) => candidate.to);
        this.add(fileFor(boundary), {
          id: `${boundary.id} ${operation.id} poison`,
          title: `${boundary.to} drops an unreadable ${routingKey} message and keeps consuming`,
          categories: ['eventual-consistency', 'error-translation'],
          boundaries: [boundary.id],
          steps: [
            {
              kind: 'publish',
              dependency: boundary.from,
              exchange: operation.exchange,
              routingKey,
              body: 'this is not JSON',
            },
            check({ kind: 'queue-drained', dependency: boundary.from, queue: operation.queue }),
            ...databases.map((dependency) =>
              check({ kind: 'rows', dependency, rule: 'no-side-effects-on-failure' as const }),
            ),
          ],
        });
      }
    }
  }

  private unknownResource(plan: RoutePlan): void {
    const { route } = plan;
    const notFound = route.responses.find((response) => response.status === 404);
    if (!notFound || !route.path.includes(':')) return;
    const steps: Step[] = [
      ...this.arrange(plan, { withoutProducer: true }),
      this.callStep(plan, 'response', { unknownIds: true }),
      check({ kind: 'status', call: 'response', status: 404 }),
      check({ kind: 'no-stack-trace', call: 'response', rule: 'no-stack-trace' }),
      check({ kind: 'body', call: 'response' }),
      ...this.noSideEffects(plan),
    ];
    this.add(fileFor(plan.boundary), {
      id: `${plan.service} ${route.method} ${route.path} unknown`,
      title: `${route.method} ${route.path} answers 404 for something that does not exist`,
      categories: ['error-translation'],
      boundaries: [plan.boundary.id],
      steps,
    });
  }

  /**
   * Routes that use up reference data (an order takes stock): once with the seeded row at its
   * lower bounds (nothing left), and as two identical requests racing for the last unit.
   */
  private exhaustedAndRaces(plan: RoutePlan): void {
    const { route } = plan;
    if (!['POST', 'PUT', 'PATCH'].includes(route.method) || !route.request?.body) return;
    const updated = new Set(
      plan.reach.flatMap(({ boundary, operation }) =>
        operation.kind === 'sql' && (operation.action === 'update' || operation.lock)
          ? [`${boundary.to} ${operation.table}`]
          : [],
      ),
    );
    const consumed = this.fixturesFor([plan]).filter(
      (fixture) =>
        updated.has(`${fixture.dependency} ${fixture.table}`) &&
        Object.keys(fixture.lowerBounds).length > 0,
    );
    if (consumed.length === 0) return;
    const at =
      (offset: number) =>
      (step: Step): Step =>
        step.kind === 'seed' && consumed.some((fixture) => fixture.name === step.factory)
          ? {
              ...step,
              overrides: Object.fromEntries(
                Object.entries(
                  consumed.find((fixture) => fixture.name === step.factory)?.lowerBounds ?? {},
                ).map(([column, min]) => [column, min + offset]),
              ),
            }
          : step;
    const names = consumed.map((fixture) => fixture.table).join(', ');
    this.add(fileFor(plan.boundary), {
      id: `${plan.service} ${route.method} ${route.path} exhausted`,
      title: `${route.method} ${route.path} is refused when ${names} has nothing left`,
      categories: ['error-translation'],
      boundaries: [
        plan.boundary.id,
        ...this.databasesReached(plan).map((database) => `${plan.service}->${database}`),
      ].filter((id) => id in this.coverage),
      steps: [
        ...this.arrange(plan).map(at(0)),
        this.callStep(plan, 'response'),
        check({ kind: 'status', call: 'response', status: conflictStatus(route) }),
        check({ kind: 'no-stack-trace', call: 'response', rule: 'no-stack-trace' }),
        check({ kind: 'body', call: 'response' }),
        ...this.noSideEffects(plan),
      ],
    });
    const schema = route.request.body.schema;
    const single = uniqueTags(
      linkToFixtures(sampleValue(schema, { tag: 'TAG' }) as PlanValue, this.fixtures),
    );
    const race = {
      ...(this.callStep(plan, 'responses', { body: single }) as Extract<Step, { kind: 'call' }>),
      concurrent: RACERS,
    };
    this.add(fileFor(plan.boundary), {
      id: `${plan.service} ${route.method} ${route.path} race`,
      title: `${route.method} ${route.path} ${RACERS} times at once for the last of ${names}: one wins`,
      categories: ['race-condition', 'side-effects'],
      boundaries: [plan.boundary.id, ...[...this.reachedBoundaries(plan).keys()]],
      steps: [
        ...this.arrange(plan).map(at(1)),
        ...this.raceWindow(plan),
        race,
        check({ kind: 'statuses', call: 'responses', rule: 'one-winner' }),
        ...this.databasesReached(plan).map((dependency) => check({ kind: 'rows', dependency })),
      ],
    });
  }

  /** A third party's error answers, and how the route translates them for its own caller. */
  private thirdPartyErrors(plan: RoutePlan): void {
    for (const { boundary, operation } of plan.reach) {
      if (operation.kind !== 'http-call') continue;
      const target = this.map.components.find((component) => component.id === boundary.to);
      if (target?.kind !== 'third-party') continue;
      for (const outcome of operation.outcomes) {
        const answer = errorStatusFor(outcome.when);
        if (answer === undefined || outcome.status === undefined) continue;
        if (!['translated', 'retried'].includes(outcome.handling)) continue;
        // Retried failures get their own scenarios, which also count the attempts.
        if (outcome.handling === 'retried' && operation.retry) continue;
        const arrange = this.arrange(plan, {
          thirdPartyOverride: {
            boundary: boundary.to,
            method: operation.method,
            path: operation.path,
            answers: [{ status: answer, body: { error: 'seamtest-stubbed-failure' } }],
          },
        });
        this.add(fileFor(boundary), {
          id: `${plan.service} ${plan.route.method} ${plan.route.path} ${boundary.to} ${outcome.when}`,
          title: `${plan.route.method} ${plan.route.path} answers ${outcome.status} when ${boundary.to} answers ${operation.method} ${operation.path} with ${answer}`,
          categories: ['error-translation', 'side-effects'],
          boundaries: [boundary.id, plan.boundary.id],
          steps: [
            ...arrange,
            this.callStep(plan, 'response'),
            check({ kind: 'status', call: 'response', status: outcome.status }),
            check({ kind: 'no-stack-trace', call: 'response', rule: 'no-stack-trace' }),
            check({ kind: 'body', call: 'response' }),
            ...this.databasesReached(plan).map((dependency) => check({ kind: 'rows', dependency })),
            ...this.exchangesReached(plan).map((exchange) => check({ kind: 'messages', exchange })),
            check({ kind: 'third-party-requests', thirdParty: boundary.to }),
          ],
        });
        if (outcome.handling === 'retried') break;
      }
    }
  }

  /** A consumer's effects, awaited after the route that publishes what it consumes. */
  private consumers(): void {
    for (const boundary of this.map.boundaries) {
      for (const operation of boundary.operations) {
        if (operation.kind !== 'consume') continue;
        const publisher = this.routes.find(
          (plan) =>
            !this.credentialProblem(plan) &&
            plan.reach.some(
              ({ operation: reached }) =>
                reached.kind === 'publish' &&
                reached.routingKey !== undefined &&
                operation.bindingKeys.some((key) =>
                  topicMatches(key, reached.routingKey as string),
                ),
            ),
        );
        if (!publisher) continue;
        const databases = this.map.boundaries
          .filter((candidate) => candidate.from === boundary.to && candidate.protocol === 'sql')
          .map((candidate) => candidate.to)
          .filter((id) => this.system.dependencies.some((dependency) => dependency.id === id));
        if (databases.length === 0) continue;
        this.add(fileFor(boundary), {
          id: `${boundary.id} ${operation.id}`,
          title: `${boundary.to} acts on ${operation.bindingKeys.join(', ')} after ${publisher.route.method} ${publisher.route.path}`,
          categories: ['eventual-consistency', 'side-effects'],
          boundaries: [boundary.id],
          steps: [
            ...this.arrange(publisher),
            this.callStep(publisher, 'response'),
            check({ kind: 'status', call: 'response', status: successStatus(publisher.route) }),
            ...databases.map((dependency) => check({ kind: 'eventually-rows', dependency })),
          ],
        });
      }
    }
  }

  /** The longest chain of routes on one resource: create it, read it, act on it. */
  private flow(): void {
    const chains = new Map<RoutePlan, RoutePlan[]>();
    for (const plan of this.routes) {
      if (!plan.producer || this.credentialProblem(plan)) continue;
      chains.set(plan.producer, [...(chains.get(plan.producer) ?? []), plan]);
    }
    const [producer, followers] = [...chains].sort((a, b) => b[1].length - a[1].length)[0] ?? [];
    if (!producer || !followers) return;
    const ordered = [...followers].sort(
      (a, b) => methodOrder(a.route.method) - methodOrder(b.route.method),
    );
    const steps: Step[] = [...this.arrange(ordered[0] as RoutePlan, { noCheckpoint: true })];
    const touched = new Set<string>([producer.boundary.id]);
    ordered.forEach((plan, index) => {
      const as = `step${index + 1}`;
      steps.push(
        this.callStep(plan, as),
        check({ kind: 'status', call: as, status: successStatus(plan.route) }),
        check({ kind: 'body', call: as }),
      );
      for (const [id] of this.reachedBoundaries(plan)) touched.add(id);
      touched.add(plan.boundary.id);
    });
    // Read it again at the end: what every earlier step did must show, caches included.
    const read = ordered.find((plan) => plan.route.method === 'GET');
    if (read && ordered.at(-1) !== read) {
      steps.push(
        this.callStep(read, 'reread'),
        check({ kind: 'status', call: 'reread', status: successStatus(read.route) }),
        check({ kind: 'body', call: 'reread' }),
      );
    }
    for (const dependency of this.system.dependencies) {
      if (dependency.technology === 'postgresql')
        steps.push(check({ kind: 'eventually-rows', dependency: dependency.id }));
    }
    for (const exchange of this.system.exchanges)
      steps.push(check({ kind: 'messages', exchange: exchange.exchange }));
    this.add(
      {
        path: `flows/${slug(producer.route.path)}-lifecycle`,
        title: `The life of one ${producer.route.path.replace(/^\//, '')} resource through every component`,
      },
      {
        id: `flow ${producer.route.method} ${producer.route.path}`,
        title: `${[producer, ...ordered].map((plan) => `${plan.route.method} ${plan.route.path}`).join(', then ')}`,
        categories: ['happy-path', 'eventual-consistency', 'data-transformation'],
        boundaries: [...touched],
        steps,
      },
    );
  }

  // Building blocks.

  arrange(
    plan: RoutePlan,
    options: {
      withoutProducer?: boolean;
      /** The flow checks everything from the start, arranging included. */
      noCheckpoint?: boolean;
      /** The answers one third-party operation gets instead of success, in order. */
      thirdPartyOverride?: {
        boundary: string;
        method: string;
        path: string;
        answers: Omit<
          Extract<Step, { kind: 'answer' }>,
          'kind' | 'thirdParty' | 'method' | 'path'
        >[];
      };
    } = {},
  ): Step[] {
    const chain = options.withoutProducer || !plan.producer ? [plan] : [plan.producer, plan];
    const steps: Step[] = [];
    const seeded = new Set<string>();
    for (const fixture of this.fixturesFor(chain)) {
      if (seeded.has(fixture.name)) continue;
      seeded.add(fixture.name);
      steps.push({
        kind: 'seed',
        as: fixture.name,
        dependency: fixture.dependency,
        table: fixture.table,
        factory: fixture.name,
      });
    }
    const answered = new Set<string>();
    for (const link of chain) {
      for (const { boundary, operation } of link.reach) {
        if (operation.kind !== 'http-call') continue;
        const target = this.map.components.find((component) => component.id === boundary.to);
        if (target?.kind !== 'third-party') continue;
        const key = `${boundary.to} ${operation.method} ${operation.path}`;
        if (answered.has(key)) continue;
        answered.add(key);
        const override = options.thirdPartyOverride;
        if (
          override &&
          link === plan &&
          override.boundary === boundary.to &&
          override.method === operation.method &&
          override.path === operation.path
        ) {
          for (const answer of override.answers)
            steps.push({
              kind: 'answer',
              thirdParty: boundary.to,
              method: operation.method,
              path: operation.path,
              ...answer,
            });
          continue;
        }
        steps.push({
          kind: 'answer',
          thirdParty: boundary.to,
          method: operation.method,
          path: operation.path,
          ...thirdPartySuccessAnswer(boundary.to, operation.outcomes),
        });
      }
    }
    if (chain.some((link) => link.route.auth)) steps.push(this.tokenStep(plan, 'token'));
    if (chain.length === 2 && plan.producer) {
      steps.push(
        this.callStep(plan.producer, 'created'),
        check({ kind: 'status', call: 'created', status: successStatus(plan.producer.route) }),
      );
    }
    if (!options.noCheckpoint && steps.some((step) => step.kind === 'seed' || step.kind === 'call'))
      steps.push({ kind: 'checkpoint' });
    return steps;
  }

  tokenStep(plan: RoutePlan, as: string, variant?: 'expired' | 'wrong-secret'): Step {
    // One token for the whole family of routes on what the producer creates, so tests of that
    // family can share what they arrange.
    const routes = plan.producer
      ? [
          plan.producer.route,
          ...this.routes
            .filter((other) => other.producer === plan.producer)
            .map((other) => other.route),
        ]
      : [plan.route];
    const scopes = [...new Set(routes.flatMap((route) => scopesNeeded(this.map, route)))];
    const rule = this.map.auth.find((candidate) => candidate.id === plan.route.auth?.rule);
    return {
      kind: 'token',
      as,
      secret: rule?.secret?.env ?? 'JWT_SECRET',
      subject: { $unique: 'customer' },
      scopes,
      ...(variant ? { variant } : {}),
    };
  }

  callStep(
    plan: RoutePlan,
    as: string,
    options: {
      token?: string | undefined;
      authorization?: string | undefined;
      body?: PlanValue | undefined;
      rawBody?: string | undefined;
      unknownIds?: boolean;
      timeoutMs?: number;
      until?: number;
      /** The call that created what the path names, when not `created`. */
      producedBy?: string;
    } = {},
  ): Step {
    const { route } = plan;
    const path: PlanValue[] = route.path.split('/').flatMap((part, index, parts) => {
      const prefix = index === 0 ? '' : '/';
      if (!part.startsWith(':')) return `${prefix}${part}`;
      const param = part.slice(1);
      if (options.unknownIds) return [prefix, this.unknownValue(route, param)];
      if (plan.producer)
        return [
          prefix,
          { $idOf: options.producedBy ?? 'created', param, resource: parts[index - 1] ?? param },
        ];
      return [prefix, this.paramValue(plan, param)];
    }) as PlanValue[];
    const body =
      ['POST', 'PUT', 'PATCH'].includes(route.method) && route.request?.body
        ? this.body(route)
        : undefined;
    const readsRequestId = route.headersRead.includes('x-request-id');
    return {
      kind: 'call',
      as,
      service: plan.service,
      method: route.method,
      path: path.filter((segment) => segment !== ''),
      ...(options.rawBody !== undefined ? { rawBody: options.rawBody } : {}),
      ...(options.rawBody === undefined && (options.body ?? body) !== undefined
        ? { body: (options.body ?? body) as PlanValue }
        : {}),
      ...(route.auth && options.authorization === undefined && !('token' in options)
        ? { token: 'token' }
        : {}),
      ...(options.token ? { token: options.token } : {}),
      ...(options.authorization ? { authorization: options.authorization } : {}),
      ...(readsRequestId ? { headers: { 'x-request-id': { $unique: 'request' } } } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.until ? { until: options.until } : {}),
    };
  }

  private body(route: HttpRoute): PlanValue {
    const schema = route.request?.body?.schema;
    if (!schema) return {};
    const sample = moreThanOne(sampleValue(schema, { tag: 'TAG' }) as PlanValue, schema);
    return uniqueTags(linkToFixtures(sample, this.fixtures));
  }

  private paramValue(plan: RoutePlan, param: string): PlanValue {
    for (const fixture of this.fixturesFor([plan])) {
      if (param in fixture.row) return { $ref: `${fixture.name}.${param}` };
    }
    return this.unknownValue(plan.route, param);
  }

  private unknownValue(route: HttpRoute, param: string): PlanValue {
    const schema = route.request?.params?.schema as
      | { properties?: Record<string, { format?: string }> }
      | undefined;
    if (schema?.properties?.[param]?.format === 'uuid' || param === 'id' || param.endsWith('Id'))
      return { $uuid: true };
    return { $unique: param };
  }

  private fixturesFor(chain: RoutePlan[]): Fixture[] {
    const tables = new Set(
      chain.flatMap((plan) =>
        plan.reach.flatMap(({ boundary, operation }) =>
          operation.kind === 'sql' ? [`${boundary.to} ${operation.table}`] : [],
        ),
      ),
    );
    return this.fixtures.filter((fixture) => tables.has(`${fixture.dependency} ${fixture.table}`));
  }

  private producerOf(plan: RoutePlan): RoutePlan | undefined {
    const at = plan.route.path.indexOf('/:');
    if (at < 0) return undefined;
    const collection = plan.route.path.slice(0, at) || '/';
    return this.routes.find(
      (candidate) =>
        candidate.service === plan.service &&
        candidate.route.method === 'POST' &&
        candidate.route.path === collection &&
        candidate !== plan,
    );
  }

  private reachedBoundaries(plan: RoutePlan): Map<string, Boundary> {
    const reached = new Map<string, Boundary>();
    for (const { boundary } of plan.reach) reached.set(boundary.id, boundary);
    return reached;
  }

  private boundaryChecks(plan: RoutePlan, boundary: Boundary): Step[] {
    const target = this.map.components.find((component) => component.id === boundary.to);
    const operations = plan.reach
      .filter((reached) => reached.boundary.id === boundary.id)
      .map((reached) => reached.operation);
    if (
      boundary.protocol === 'sql' &&
      this.has(boundary.to) &&
      operations.some((operation) => operation.kind === 'sql' && operation.action !== 'select')
    )
      return [check({ kind: 'rows', dependency: boundary.to })];
    if (boundary.protocol === 'amqp') {
      const exchanges = [
        ...new Set(
          operations.flatMap((operation) =>
            operation.kind === 'publish' && operation.exchange ? [operation.exchange] : [],
          ),
        ),
      ];
      return exchanges.map((exchange) => check({ kind: 'messages', exchange }));
    }
    if (boundary.protocol === 'redis' && this.has(boundary.to)) {
      return operations
        .flatMap((operation) =>
          operation.kind === 'cache' && operation.access !== 'read'
            ? [
                check({
                  kind: 'cache',
                  dependency: boundary.to,
                  key: keyValue(operation.keyPattern, plan),
                }),
              ]
            : [],
        )
        .slice(0, 1);
    }
    if (boundary.protocol === 'http' && target?.kind === 'service') {
      const headers = operations.flatMap((operation) =>
        operation.kind === 'http-call'
          ? operation.headers
              .filter((header) => header.source === 'incoming-request')
              .map((header) => header.name)
          : [],
      );
      const expected = [...new Set(headers)].flatMap((name) =>
        name === 'authorization'
          ? [{ name, equals: { $ref: BEARER_OF_TOKEN } as PlanValue }]
          : name === 'x-request-id' && plan.route.headersRead.includes('x-request-id')
            ? [{ name, equals: { $unique: 'request' } as PlanValue }]
            : [],
      );
      if (
        expected.length === 0 ||
        (!plan.route.auth && expected.some((header) => header.name === 'authorization'))
      )
        return [];
      return [
        check({
          kind: 'forwarded',
          service: boundary.to,
          call: 'response',
          headers: expected,
          rule: 'propagates-context',
        }),
      ];
    }
    if (boundary.protocol === 'http' && target?.kind === 'third-party')
      return [check({ kind: 'third-party-requests', thirdParty: boundary.to })];
    return [];
  }

  noSideEffects(plan: RoutePlan): Step[] {
    return [
      ...this.databasesReached(plan).map((dependency) =>
        check({ kind: 'rows', dependency, rule: 'no-side-effects-on-failure' }),
      ),
      ...this.exchangesReached(plan).map((exchange) =>
        check({ kind: 'messages', exchange, rule: 'no-side-effects-on-failure' }),
      ),
    ];
  }

  databasesReached(plan: RoutePlan): string[] {
    return [
      ...new Set(
        plan.reach
          .filter(
            ({ boundary, operation }) =>
              operation.kind === 'sql' && operation.action !== 'select' && this.has(boundary.to),
          )
          .map(({ boundary }) => boundary.to),
      ),
    ];
  }

  exchangesReached(plan: RoutePlan): string[] {
    return [
      ...new Set(
        plan.reach.flatMap(({ operation }) =>
          operation.kind === 'publish' &&
          operation.exchange &&
          this.system.exchanges.some((e) => e.exchange === operation.exchange)
            ? [operation.exchange]
            : [],
        ),
      ),
    ];
  }

  /** Slows the databases whose rows a route locks or updates, so racing requests overlap. */
  raceWindow(plan: RoutePlan): Step[] {
    const contended = new Set(
      plan.reach.flatMap(({ boundary, operation }) =>
        operation.kind === 'sql' &&
        (operation.lock !== undefined || operation.action === 'update') &&
        this.has(boundary.to)
          ? [boundary.id]
          : [],
      ),
    );
    return [...contended].map((boundary) => ({
      kind: 'fault' as const,
      boundary,
      fault: { kind: 'latency' as const, ms: RACE_LATENCY_MS },
    }));
  }

  has(dependency: string): boolean {
    return this.system.dependencies.some((candidate) => candidate.id === dependency);
  }

  add(file: { path: string; title: string }, scenario: Scenario): void {
    const planned = this.files.get(file.path) ?? { ...file, scenarios: [] };
    if (planned.scenarios.some((existing) => existing.id === scenario.id)) return;
    planned.scenarios.push(scenario);
    this.files.set(file.path, planned);
    for (const boundary of scenario.boundaries) {
      this.coverage[boundary] ??= [];
      this.coverage[boundary].push(scenario.id);
    }
  }
}

export function check(value: Check): Step {
  return { kind: 'check', check: value };
}

export function fileFor(boundary: Boundary): { path: string; title: string } {
  return {
    path: `boundaries/${slug(boundary.from)}-${slug(boundary.to)}`,
    title: `${boundary.from} → ${boundary.to} (${boundary.protocol})`,
  };
}

function describeEffect(boundary: Boundary): string {
  switch (boundary.protocol) {
    case 'sql':
      return `writes the rows it should to ${boundary.to}`;
    case 'redis':
      return `keeps ${boundary.to} in step`;
    case 'amqp':
      return `publishes what it should to ${boundary.to}`;
    default:
      return `sends what it should to ${boundary.to}`;
  }
}

export function successStatus(route: HttpRoute): number {
  const statuses = route.responses
    .map((response) => response.status)
    .filter((status) => status >= 200 && status < 300);
  return statuses.length > 0 ? Math.min(...statuses) : 200;
}

/**
 * How many identical requests race for the last unit: enough that, without a lock, some of them
 * read the row before any writes it, even on a slow machine.
 */
export const RACERS = 10;

/**
 * Latency added to each database a race locks or updates rows in, each way: every statement then
 * takes a round trip of 50 ms, so all racers have read the row before the first can commit.
 * Without it a fast machine may serve them one after another and hide a missing lock.
 */
const RACE_LATENCY_MS = 25;

/** What a route answers when what it needs is used up: its 409 if it has one. */
function conflictStatus(route: HttpRoute): number {
  return route.responses.find((response) => response.status === 409)?.status ?? 409;
}

/** How a stubbed third party answers when all goes well. */
export function thirdPartySuccessAnswer(
  thirdParty: string,
  outcomes: { when: string }[],
): { status: number; body: PlanValue } {
  return {
    status: thirdPartySuccess(outcomes.map((outcome) => outcome.when)),
    body: { id: { $unique: thirdParty }, status: 'succeeded' },
  };
}

function thirdPartySuccess(whens: string[]): number {
  const exact = whens.map(Number).find((status) => status >= 200 && status < 300);
  return exact ?? 200;
}

/** The status a stub answers with to produce an outcome: '402' → 402, '4xx' → 400, '5xx' → 503. */
function errorStatusFor(when: string): number | undefined {
  if (/^[45]\d\d$/.test(when)) return Number(when);
  if (when === '4xx') return 400;
  if (when === '5xx') return 503;
  return undefined;
}

function methodOrder(method: string): number {
  return ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].indexOf(method);
}

function keyValue(pattern: string, plan: RoutePlan): PlanValue[] {
  const [prefix = '', rest = ''] = pattern.split(/\{[^}]+\}/);
  const param =
    plan.route.path
      .split('/')
      .find((part) => part.startsWith(':'))
      ?.slice(1) ?? 'id';
  const id: PlanValue = plan.producer
    ? { $idOf: 'created', param, resource: plan.producer.route.path.split('/').at(-1) ?? param }
    : { $ref: 'response.body.id' };
  return [prefix, id, rest].filter((part) => part !== '');
}

/** The expression a forwarded Authorization header must equal: the caller's own token. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: this is generated code, a template literal on purpose
const BEARER_OF_TOKEN = '`Bearer ${token}`';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'root'
  );
}

/** Free-text values that name a seeded row's column take that row's value. */
function linkToFixtures(value: PlanValue, fixtures: Fixture[], key?: string): PlanValue {
  if (Array.isArray(value)) return value.map((item) => linkToFixtures(item, fixtures, key));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([name, item]) => [
        name,
        linkToFixtures(item as PlanValue, fixtures, name),
      ]),
    );
  }
  if (typeof value === 'string' && key) {
    const column = key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
    const fixture = fixtures.find((candidate) => key in candidate.row || column in candidate.row);
    if (fixture) return { $ref: `${fixture.name}.${key in fixture.row ? key : column}` };
  }
  return value;
}

/**
 * Counts of 1 hide arithmetic mistakes (a total that ignores the quantity still matches), so
 * integers at a minimum of 1 or less become 2 where the schema allows it.
 */
function moreThanOne(value: PlanValue, schema: Record<string, unknown> | undefined): PlanValue {
  if (!schema) return value;
  if (Array.isArray(value))
    return value.map((item) =>
      moreThanOne(item, schema.items as Record<string, unknown> | undefined),
    );
  if (value !== null && typeof value === 'object') {
    const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        moreThanOne(item as PlanValue, properties[key]),
      ]),
    );
  }
  if (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value <= 1 &&
    schema.type === 'integer'
  ) {
    const maximum = typeof schema.maximum === 'number' ? schema.maximum : Number.POSITIVE_INFINITY;
    if (maximum >= 2 && !('enum' in schema) && !('const' in schema)) return 2;
  }
  return value;
}

function usesRef(value: PlanValue, name: string): boolean {
  return usesValue(
    value,
    (item) =>
      item !== null &&
      typeof item === 'object' &&
      '$ref' in item &&
      String(item.$ref).startsWith(`${name}.`),
  );
}

/** References to seeded rows become values no seeded row has. */
function replaceRefs(value: PlanValue, names: string[]): PlanValue {
  if (Array.isArray(value)) return value.map((item) => replaceRefs(item, names));
  if (value !== null && typeof value === 'object') {
    if ('$ref' in value && names.some((name) => String(value.$ref).startsWith(`${name}.`)))
      return { $unique: `missing-${String(value.$ref).split('.').at(-1)}` };
    if ('$ref' in value || '$unique' in value || '$uuid' in value || '$idOf' in value) return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, replaceRefs(item as PlanValue, names)]),
    );
  }
  return value;
}

/** Sample text made with the placeholder tag becomes unique to the test that sends it. */
function uniqueTags(value: PlanValue, key = 'value'): PlanValue {
  if (Array.isArray(value)) return value.map((item) => uniqueTags(item, key));
  if (typeof value === 'string' && UUID.test(value)) return { $uuid: true };
  if (typeof value === 'string') return value.includes('TAG') ? { $unique: key } : value;
  if (value !== null && typeof value === 'object' && !('$ref' in value) && !('$unique' in value))
    return Object.fromEntries(
      Object.entries(value).map(([name, item]) => [name, uniqueTags(item as PlanValue, name)]),
    );
  return value;
}

/** An invalid variant keeps the valid body's links to seeded rows where it left a value alone. */
function substitute(invalid: PlanValue, valid: PlanValue): PlanValue {
  if (Array.isArray(invalid) && Array.isArray(valid))
    return invalid.map((item, index) => substitute(item, valid[index] as PlanValue));
  if (
    invalid !== null &&
    typeof invalid === 'object' &&
    valid !== null &&
    typeof valid === 'object' &&
    !Array.isArray(valid) &&
    !Array.isArray(invalid)
  ) {
    const out: Record<string, PlanValue> = {};
    for (const [key, item] of Object.entries(invalid))
      out[key] = substitute(
        item as PlanValue,
        (valid as Record<string, PlanValue>)[key] as PlanValue,
      );
    return out;
  }
  if (
    typeof invalid === 'string' &&
    valid !== null &&
    typeof valid === 'object' &&
    '$ref' in valid &&
    invalid.includes('TAG')
  )
    return valid;
  return invalid;
}
