// Scenarios that inject faults at the boundaries a route crosses: a third party or service that
// does not answer in time, a third party failing then recovering, a dependency down at request
// time, a connection cut in the middle of a transaction, concurrent actions on one resource, and
// a consumer given a message twice or failing once. Expectations on timing and attempts come
// from the configuration the map recorded; the rest from observing the real system.
import type { Boundary, HttpCall, Operation, SqlOperation } from '../map/model.js';
import { topicMatches } from '../runtime/topics.js';
import type { Category, PlannedFault, Step } from './model.js';
import {
  check,
  fileFor,
  RACERS,
  type RoutePlan,
  type ScenarioPlanner,
  successStatus,
  thirdPartySuccessAnswer,
} from './scenarios.js';

/** Slack on the upper bound of a timing check: a loaded two-core machine is slow, not wrong. */
const TIMING_MARGIN_MS = 1_500;
/** How long a call may take when the system under a fault hangs instead of answering. */
const HANG_LIMIT_MS = 15_000;

export class FaultScenarios {
  constructor(private readonly planner: ScenarioPlanner) {}

  forRoute(plan: RoutePlan): void {
    this.timeouts(plan);
    this.retries(plan);
    this.unusableAnswers(plan);
    this.outages(plan);
    this.cutMidTransaction(plan);
    this.cutAtEachRead(plan);
    this.concurrentActions(plan);
  }

  forConsumers(): void {
    for (const { boundary, operation, publisher } of this.consumed()) {
      this.redelivery(boundary, operation, publisher);
      this.consumerFailsOnce(boundary, operation, publisher);
    }
  }

  /** A call that never answers: the route answers within its timeout, with the translated error. */
  private timeouts(plan: RoutePlan): void {
    const stalled = new Set<string>();
    for (const { boundary, operation } of this.ownCalls(plan)) {
      if (!operation.timeoutMs) continue;
      // A stalled service stalls whichever call comes first: one scenario per service.
      if (this.isService(boundary.to)) {
        if (stalled.has(boundary.id)) continue;
        stalled.add(boundary.id);
      }
      const timeout = this.configured(plan.service, operation.timeoutMs);
      if (timeout === undefined) continue;
      const retried = operation.retry?.retryOn.includes('timeout') ?? false;
      const attempts = retried ? this.attemptsOf(plan.service, operation) : 1;
      const backoff = retried ? this.backoffOf(plan.service, operation, attempts) : [];
      const least = attempts * timeout;
      const most = least + sum(backoff) + Math.max(TIMING_MARGIN_MS, least / 2);
      const translated = operation.outcomes.find((outcome) => outcome.when === 'timeout')?.status;
      const target = this.component(boundary.to);
      const thirdParty = target?.kind === 'third-party';
      if (!thirdParty && !this.isService(boundary.to)) continue;
      const arrange = thirdParty
        ? this.planner.arrange(plan, {
            thirdPartyOverride: {
              boundary: boundary.to,
              method: operation.method,
              path: operation.path,
              // Late enough that a caller without a timeout fails the timing check as well.
              answers: [
                {
                  ...thirdPartySuccessAnswer(boundary.to, operation.outcomes),
                  delayMs: most + TIMING_MARGIN_MS,
                },
              ],
            },
          })
        : [...this.planner.arrange(plan), fault(boundary, { kind: 'stall' })];
      const steps: Step[] = [
        ...arrange,
        this.planner.callStep(plan, 'response', { timeoutMs: most + HANG_LIMIT_MS }),
        translated === undefined
          ? check({ kind: 'outage-status', call: 'response', rule: 'translates-dependency-outage' })
          : check({
              kind: 'status',
              call: 'response',
              status: translated,
              rule: 'answers-within-timeout',
            }),
        check({
          kind: 'elapsed',
          call: 'response',
          atLeastMs: Math.floor(least * 0.9),
          atMostMs: Math.ceil(most),
          rule: 'answers-within-timeout',
        }),
        ...this.attemptChecks(plan, boundary, operation, attempts, backoff),
        ...this.failureEffects(plan),
      ];
      this.add(plan, boundary, ['timeouts', 'error-translation'], {
        id: `${this.routeName(plan)} ${boundary.to}${thirdParty ? ` ${operation.method} ${operation.path}` : ''} timeout`,
        title: `${this.routeName(plan)} answers ${translated ?? 'an error'} within ${Math.ceil(most)} ms when ${boundary.to} does not answer${thirdParty ? ` ${operation.method} ${operation.path}` : ''}`,
        steps,
      });
    }
  }

  /** A third party failing with 5xx: retried as configured, then success or the translated error. */
  private retries(plan: RoutePlan): void {
    for (const { boundary, operation } of this.ownCalls(plan)) {
      const policy = operation.retry;
      if (!policy?.retryOn.includes('5xx') || this.component(boundary.to)?.kind !== 'third-party')
        continue;
      const attempts = this.attemptsOf(plan.service, operation);
      const backoff = this.backoffOf(plan.service, operation, attempts);
      const failure = { status: 503, body: { error: 'seamtest-stubbed-outage' } };
      const name = `${operation.method} ${operation.path}`;
      const translated = operation.outcomes.find((outcome) => outcome.when === '5xx')?.status;
      const cases = [
        {
          title: `${this.routeName(plan)} succeeds when ${boundary.to} fails ${name} ${attempts - 1} times, then answers`,
          id: 'recovers',
          answers: [
            { ...failure, times: attempts - 1 },
            thirdPartySuccessAnswer(boundary.to, operation.outcomes),
          ],
          expect: [
            check({ kind: 'status', call: 'response', status: successStatus(plan.route) }),
            check({ kind: 'body', call: 'response' }),
            ...this.planner
              .databasesReached(plan)
              .map((dependency) => check({ kind: 'rows', dependency })),
          ],
        },
        {
          title: `${this.routeName(plan)} gives up after ${attempts} attempts when ${boundary.to} keeps failing ${name}`,
          id: 'gives up',
          answers: [failure],
          expect: [
            translated === undefined
              ? check({
                  kind: 'outage-status',
                  call: 'response',
                  rule: 'translates-dependency-outage',
                })
              : check({
                  kind: 'status',
                  call: 'response',
                  status: translated,
                  rule: 'retries-as-configured',
                }),
            ...this.failureEffects(plan),
          ],
        },
      ];
      for (const retryCase of cases) {
        const steps: Step[] = [
          ...this.planner.arrange(plan, {
            thirdPartyOverride: {
              boundary: boundary.to,
              method: operation.method,
              path: operation.path,
              answers: retryCase.answers,
            },
          }),
          this.planner.callStep(plan, 'response', {
            timeoutMs: sum(backoff) + HANG_LIMIT_MS,
          }),
          ...retryCase.expect,
          ...this.attemptChecks(plan, boundary, operation, attempts, backoff),
        ];
        this.add(plan, boundary, ['retries', 'error-translation'], {
          id: `${this.routeName(plan)} ${boundary.to} ${name} retry ${retryCase.id}`,
          title: retryCase.title,
          steps,
        });
      }
    }
  }

  /**
   * A third party answering what the caller cannot use: a body that is not JSON, or a connection
   * reset instead of an answer (on every attempt, so retries do not hide it). The route answers an
   * error (the code's own status for a connection error when it names one), leaks nothing and
   * announces nothing.
   */
  private unusableAnswers(plan: RoutePlan): void {
    for (const { boundary, operation } of this.ownCalls(plan)) {
      if (this.component(boundary.to)?.kind !== 'third-party') continue;
      const name = `${operation.method} ${operation.path}`;
      const success = thirdPartySuccessAnswer(boundary.to, operation.outcomes);
      // A dropped connection is retried when the policy says so; an answer that came is not.
      const retried = operation.retry?.retryOn.includes('connection-error') ?? false;
      const attempts = retried ? this.attemptsOf(plan.service, operation) : 1;
      const cases = [
        {
          id: 'malformed',
          what: `answers ${name} with a body that is not JSON`,
          answer: { status: success.status, rawBody: '{"id": "unfinished' },
          translated: undefined,
          attempts: 1,
          backoff: [],
        },
        {
          id: 'reset',
          what: `drops the connection on ${name}`,
          answer: { ...success, reset: true },
          translated: operation.outcomes.find((outcome) => outcome.when === 'connection-error')
            ?.status,
          attempts,
          backoff: retried ? this.backoffOf(plan.service, operation, attempts) : [],
        },
      ];
      for (const unusable of cases) {
        this.add(plan, boundary, ['error-translation', 'outage'], {
          id: `${this.routeName(plan)} ${boundary.to} ${name} ${unusable.id}`,
          title: `${this.routeName(plan)} answers an error when ${boundary.to} ${unusable.what}`,
          steps: [
            ...this.planner.arrange(plan, {
              thirdPartyOverride: {
                boundary: boundary.to,
                method: operation.method,
                path: operation.path,
                answers: [unusable.answer],
              },
            }),
            this.planner.callStep(plan, 'response', {
              timeoutMs: sum(unusable.backoff) + HANG_LIMIT_MS,
            }),
            check({
              kind: 'outage-status',
              call: 'response',
              ...(unusable.translated === undefined ? {} : { status: unusable.translated }),
              rule: 'translates-dependency-outage',
            }),
            ...this.failureEffects(plan),
            // Also drops the scenario when the route never makes this call (a compensation).
            ...this.attemptChecks(plan, boundary, operation, unusable.attempts, unusable.backoff),
          ],
        });
      }
    }
  }

  /**
   * Each internal dependency of the route down when the request arrives: a server error (or the
   * code's fallback), no leak, and the route works again once the dependency is back.
   */
  private outages(plan: RoutePlan): void {
    for (const boundary of this.ownInternalBoundaries(plan)) {
      const modes = boundary.failureModes.filter(
        (mode) => mode.kind === 'unavailable' || mode.kind === 'timeout',
      );
      const translated = [
        ...new Set(
          modes.filter((mode) => mode.kind === 'unavailable').flatMap((mode) => mode.status ?? []),
        ),
      ];
      // An unavailable dependency the code handles without an error answer (a cache) is absorbed.
      const absorbed =
        modes.some((mode) => mode.kind === 'unavailable') &&
        modes.every((mode) => mode.status === undefined);
      const success = successStatus(plan.route);
      const steps: Step[] = [
        ...this.planner.arrange(plan),
        fault(boundary, { kind: 'down' }),
        this.planner.callStep(plan, 'response', { timeoutMs: HANG_LIMIT_MS }),
        check({
          kind: 'outage-status',
          call: 'response',
          ...(translated.length === 1 ? { status: translated[0] } : {}),
          ...(absorbed ? { fallback: success } : {}),
          rule: 'translates-dependency-outage',
        }),
        check({ kind: 'no-stack-trace', call: 'response', rule: 'no-stack-trace' }),
        check({ kind: 'body', call: 'response' }),
        ...this.receivedOnce(boundary),
        ...this.planner
          .databasesReached(plan)
          .map((dependency) => check({ kind: 'rows', dependency })),
        { kind: 'clear-faults' },
        ...this.again(plan),
      ];
      this.add(plan, boundary, ['outage', 'error-translation'], {
        id: `${this.routeName(plan)} ${boundary.id} down`,
        title: absorbed
          ? `${this.routeName(plan)} still answers ${success} while ${boundary.to} is down`
          : `${this.routeName(plan)} answers an error while ${boundary.to} is down, and recovers`,
        steps,
      });
    }
  }

  /**
   * The connection to a database cut at the route's last write of a transaction: nothing of the
   * transaction stays, no message announces it, and what earlier steps did elsewhere is undone
   * as the code intends (observed: a refund, a released reservation).
   */
  private cutMidTransaction(plan: RoutePlan): void {
    for (const boundary of this.ownInternalBoundaries(plan)) {
      if (boundary.protocol !== 'sql') continue;
      const writes = this.statements(plan, boundary).filter(
        (operation) =>
          operation.transaction &&
          ['insert', 'update', 'delete', 'upsert'].includes(operation.action),
      );
      if (writes.length < 2) continue;
      const last = [...writes].sort((a, b) => firstLine(b) - firstLine(a))[0] as SqlOperation;
      // The status the code answers when a step fails after others succeeded (it compensates).
      const translated = [
        ...new Set(
          boundary.failureModes
            .filter((mode) => mode.kind === 'partial-failure')
            .flatMap((mode) => mode.status ?? []),
        ),
      ];
      this.add(plan, boundary, ['partial-failure', 'side-effects'], {
        id: `${this.routeName(plan)} ${boundary.id} cut at ${last.action} ${last.table}`,
        title: `${this.routeName(plan)} leaves nothing half-done when the ${boundary.to} connection drops at ${last.action} ${last.table}`,
        steps: this.cutSteps(plan, boundary, last, translated),
      });
    }
  }

  /**
   * The connection to a database cut at each read of a route that sends it more than one
   * statement: whatever came before succeeded, so a route that swallowed the failure would answer
   * with half the data. It must answer a 5xx, leak nothing and change nothing. (The statuses a
   * boundary's compensation answers belong to the writes it protects, not to reads.)
   */
  private cutAtEachRead(plan: RoutePlan): void {
    for (const boundary of this.ownInternalBoundaries(plan)) {
      if (boundary.protocol !== 'sql') continue;
      const statements = this.statements(plan, boundary);
      if (statements.length < 2) continue;
      // One statement may read several tables (a join): cut it once.
      const reads = new Map<string, SqlOperation>();
      for (const operation of statements) {
        const at = operation.at[0];
        if (operation.action === 'select' && at) reads.set(`${at.file}:${at.line}`, operation);
      }
      for (const read of reads.values()) {
        this.add(plan, boundary, ['partial-failure', 'outage'], {
          id: `${this.routeName(plan)} ${boundary.id} cut at select ${read.table}`,
          title: `${this.routeName(plan)} answers an error when the ${boundary.to} connection drops at select ${read.table}`,
          steps: this.cutSteps(plan, boundary, read),
        });
      }
    }
  }

  /** The SQL statements a route sends over one boundary. */
  private statements(plan: RoutePlan, boundary: Boundary): SqlOperation[] {
    return plan.reach
      .filter((reached) => reached.boundary.id === boundary.id)
      .map((reached) => reached.operation)
      .filter((operation): operation is SqlOperation => operation.kind === 'sql');
  }

  /**
   * Cut the connection as `statement` goes out; then the answer, and every store checked. The
   * answer is `translated` when the code names it, else the 5xx observed.
   */
  private cutSteps(
    plan: RoutePlan,
    boundary: Boundary,
    statement: SqlOperation,
    translated: number[] = [],
  ): Step[] {
    return [
      ...this.planner.arrange(plan),
      fault(boundary, { kind: 'cut-on', match: statementPattern(statement) }),
      this.planner.callStep(plan, 'response', { timeoutMs: HANG_LIMIT_MS }),
      check({ kind: 'fault-fired', boundary: boundary.id }),
      check({
        kind: 'outage-status',
        call: 'response',
        ...(translated.length === 1 ? { status: translated[0] } : {}),
        rule: 'translates-dependency-outage',
      }),
      check({ kind: 'no-stack-trace', call: 'response', rule: 'no-stack-trace' }),
      check({ kind: 'rows', dependency: boundary.to, rule: 'no-side-effects-on-failure' }),
      ...this.planner
        .databasesReached(plan)
        .filter((dependency) => dependency !== boundary.to)
        .map((dependency) => check({ kind: 'rows', dependency })),
      ...this.planner
        .exchangesReached(plan)
        .map((exchange) =>
          check({ kind: 'messages', exchange, rule: 'no-side-effects-on-failure' }),
        ),
      ...this.thirdPartiesReached(plan).map((thirdParty) =>
        check({ kind: 'third-party-requests', thirdParty }),
      ),
    ];
  }

  /** The same action on one resource, many times at once: the invariant holds. */
  private concurrentActions(plan: RoutePlan): void {
    const { route } = plan;
    if (!plan.producer || route.method === 'GET') return;
    const locks = plan.reach.some(
      ({ boundary, operation }) =>
        boundary.from === plan.service &&
        operation.kind === 'sql' &&
        (operation.lock !== undefined || operation.action === 'update'),
    );
    if (!locks) return;
    const conflicts = route.responses.some((response) => response.status === 409);
    const race = {
      ...(this.planner.callStep(plan, 'responses') as Extract<Step, { kind: 'call' }>),
      concurrent: RACERS,
    };
    this.add(plan, plan.boundary, ['race-condition', 'side-effects'], {
      id: `${this.routeName(plan)} concurrent`,
      title: conflicts
        ? `${this.routeName(plan)} ${RACERS} times at once on one resource: exactly one succeeds`
        : `${this.routeName(plan)} ${RACERS} times at once on one resource: applied once`,
      steps: [
        ...this.planner.arrange(plan),
        ...this.planner.raceWindow(plan),
        race,
        check({
          kind: 'statuses',
          call: 'responses',
          ...(conflicts ? { rule: 'one-winner' } : {}),
        }),
        ...this.planner
          .databasesReached(plan)
          .map((dependency) => check({ kind: 'rows', dependency })),
        ...this.planner
          .exchangesReached(plan)
          .map((exchange) => check({ kind: 'messages', exchange })),
      ],
    });
  }

  /** A message delivered twice: the consumer's effect happens once. */
  private redelivery(boundary: Boundary, operation: ConsumeOperation, publisher: Publisher): void {
    const databases = this.consumerDatabases(boundary);
    if (databases.length === 0) return;
    const steps: Step[] = [
      ...this.planner.arrange(publisher.plan),
      this.planner.callStep(publisher.plan, 'response'),
      check({ kind: 'status', call: 'response', status: successStatus(publisher.plan.route) }),
      ...databases.map((dependency) => check({ kind: 'eventually-rows', dependency })),
      { kind: 'checkpoint' },
      {
        kind: 'republish',
        dependency: boundary.from,
        exchange: publisher.exchange,
        routingKey: publisher.routingKey,
      },
      ...databases.map((dependency) =>
        check({ kind: 'settled-no-rows', dependency, rule: 'applies-once' }),
      ),
    ];
    this.planner.add(fileFor(boundary), {
      id: `${boundary.id} ${operation.id} redelivered`,
      title: `${boundary.to} applies a ${publisher.routingKey} message delivered twice only once`,
      categories: ['eventual-consistency', 'race-condition'],
      boundaries: [boundary.id],
      steps,
    });
  }

  /** The consumer's first attempt fails mid-write: the message comes back and the effect happens. */
  private consumerFailsOnce(
    boundary: Boundary,
    operation: ConsumeOperation,
    publisher: Publisher,
  ): void {
    if (!operation.outcomes.some((outcome) => outcome.handling === 'requeued')) return;
    const effects = operation.effects
      .map((id) => this.operationById(id))
      .filter(
        (found): found is { boundary: Boundary; operation: SqlOperation } =>
          found?.operation.kind === 'sql' &&
          ['insert', 'update', 'delete'].includes(found.operation.action) &&
          this.planner.has(found.boundary.to),
      );
    const first = [...effects].sort((a, b) => firstLine(a.operation) - firstLine(b.operation))[0];
    if (!first) return;
    const steps: Step[] = [
      ...this.planner.arrange(publisher.plan),
      fault(first.boundary, { kind: 'cut-on', match: statementPattern(first.operation) }),
      this.planner.callStep(publisher.plan, 'response'),
      check({ kind: 'status', call: 'response', status: successStatus(publisher.plan.route) }),
      check({ kind: 'eventually-rows', dependency: first.boundary.to }),
      check({ kind: 'fault-fired', boundary: first.boundary.id }),
    ];
    this.planner.add(fileFor(boundary), {
      id: `${boundary.id} ${operation.id} fails once`,
      title: `${boundary.to} still acts on ${publisher.routingKey} when its first attempt loses the ${first.boundary.to} connection`,
      categories: ['eventual-consistency', 'partial-failure'],
      boundaries: [boundary.id, first.boundary.id],
      steps,
    });
  }

  // Building blocks.

  /** After the fault is lifted the route works again: on a fresh resource when it needs one. */
  private again(plan: RoutePlan): Step[] {
    const success = successStatus(plan.route);
    const steps: Step[] = [];
    if (plan.producer) {
      steps.push(
        this.planner.callStep(plan.producer, 'recreated', {
          until: successStatus(plan.producer.route),
        }),
        check({
          kind: 'status',
          call: 'recreated',
          status: successStatus(plan.producer.route),
          rule: 'recovers-after-outage',
        }),
      );
    }
    steps.push(
      this.planner.callStep(plan, 'again', {
        until: success,
        ...(plan.producer ? { producedBy: 'recreated' } : {}),
      }),
      check({ kind: 'status', call: 'again', status: success, rule: 'recovers-after-outage' }),
    );
    return steps;
  }

  private attemptChecks(
    plan: RoutePlan,
    boundary: Boundary,
    operation: HttpCall,
    attempts: number,
    backoff: number[],
  ): Step[] {
    if (this.component(boundary.to)?.kind === 'third-party') {
      const sameHeaders = [
        ...(operation.idempotencyKey ? [operation.idempotencyKey.header] : []),
        ...operation.headers
          .filter(
            (header) =>
              header.source === 'incoming-request' &&
              plan.route.headersRead.includes(header.from ?? header.name),
          )
          .map((header) => header.name),
      ];
      return [
        check({
          kind: 'attempts',
          thirdParty: boundary.to,
          method: operation.method,
          path: operation.path,
          count: attempts,
          backoffMs: backoff,
          sameHeaders: [...new Set(sameHeaders)],
          rule: 'retries-as-configured',
        }),
      ];
    }
    return this.receivedOnce(boundary);
  }

  /** Calls into a service without an idempotency key must never be repeated. */
  private receivedOnce(boundary: Boundary): Step[] {
    if (!this.isService(boundary.to)) return [];
    const keyed = boundary.operations.some(
      (operation) => operation.kind === 'http-call' && operation.idempotencyKey,
    );
    return keyed
      ? []
      : [
          check({
            kind: 'received-once',
            service: boundary.to,
            rule: 'no-retry-without-idempotency-key',
          }),
        ];
  }

  /** A failed request changes no database of its own service and announces nothing. */
  private failureEffects(plan: RoutePlan): Step[] {
    return [
      check({ kind: 'no-stack-trace', call: 'response', rule: 'no-stack-trace' }),
      ...this.planner
        .databasesReached(plan)
        .map((dependency) => check({ kind: 'rows', dependency })),
      ...this.planner
        .exchangesReached(plan)
        .map((exchange) =>
          check({ kind: 'messages', exchange, rule: 'no-side-effects-on-failure' }),
        ),
    ];
  }

  private ownCalls(plan: RoutePlan): { boundary: Boundary; operation: HttpCall }[] {
    return plan.reach.flatMap(({ boundary, operation }) =>
      boundary.from === plan.service && operation.kind === 'http-call'
        ? [{ boundary, operation }]
        : [],
    );
  }

  /** Databases, caches, brokers and services the route's own service reaches through a proxy. */
  private ownInternalBoundaries(plan: RoutePlan): Boundary[] {
    const seen = new Map<string, Boundary>();
    for (const { boundary } of plan.reach) {
      if (boundary.from !== plan.service) continue;
      if (this.planner.has(boundary.to) || this.isService(boundary.to))
        seen.set(boundary.id, boundary);
    }
    return [...seen.values()];
  }

  private thirdPartiesReached(plan: RoutePlan): string[] {
    return [
      ...new Set(
        plan.reach
          .filter(({ boundary }) => this.component(boundary.to)?.kind === 'third-party')
          .map(({ boundary }) => boundary.to),
      ),
    ];
  }

  private consumerDatabases(boundary: Boundary): string[] {
    return this.planner.map.boundaries
      .filter(
        (candidate) =>
          candidate.from === boundary.to &&
          candidate.protocol === 'sql' &&
          this.planner.has(candidate.to),
      )
      .map((candidate) => candidate.to);
  }

  /** Consumers with the route that publishes what they consume. */
  private consumed(): { boundary: Boundary; operation: ConsumeOperation; publisher: Publisher }[] {
    const found = [];
    for (const boundary of this.planner.map.boundaries) {
      for (const operation of boundary.operations) {
        if (operation.kind !== 'consume' || !this.planner.has(boundary.from)) continue;
        for (const plan of this.planner.routes) {
          if (this.planner.credentialProblem(plan)) continue;
          const published = plan.reach.find(
            ({ operation: reached }) =>
              reached.kind === 'publish' &&
              reached.routingKey !== undefined &&
              reached.exchange !== undefined &&
              operation.bindingKeys.some((key) => topicMatches(key, reached.routingKey as string)),
          )?.operation;
          if (published?.kind !== 'publish' || !published.exchange || !published.routingKey)
            continue;
          found.push({
            boundary,
            operation,
            publisher: { plan, exchange: published.exchange, routingKey: published.routingKey },
          });
          break;
        }
      }
    }
    return found;
  }

  private operationById(id: string): { boundary: Boundary; operation: Operation } | undefined {
    for (const boundary of this.planner.map.boundaries)
      for (const operation of boundary.operations)
        if (operation.id === id) return { boundary, operation };
    return undefined;
  }

  /** A configured number as the suite runs it: the suite's own setting, else the code's. */
  private configured(
    service: string,
    value: { value?: unknown; env?: string | undefined; default?: unknown },
  ): number | undefined {
    const source = value.env
      ? this.planner.system.services.find((spec) => spec.id === service)?.env[value.env]
      : undefined;
    const raw = source?.kind === 'literal' ? source.value : (value.value ?? value.default);
    const number = Number(raw);
    return raw === undefined || !Number.isFinite(number) ? undefined : number;
  }

  private attemptsOf(service: string, operation: HttpCall): number {
    const retries = operation.retry ? this.configured(service, operation.retry.maxRetries) : 0;
    return 1 + (retries ?? 0);
  }

  /** The least wait before each retry. */
  private backoffOf(service: string, operation: HttpCall, attempts: number): number[] {
    const policy = operation.retry;
    const base = policy?.baseDelayMs ? (this.configured(service, policy.baseDelayMs) ?? 0) : 0;
    return Array.from({ length: attempts - 1 }, (_, retry) =>
      policy?.backoff === 'exponential' ? base * 2 ** retry : policy?.backoff === 'none' ? 0 : base,
    );
  }

  private component(id: string) {
    return this.planner.map.components.find((component) => component.id === id);
  }

  private isService(id: string): boolean {
    return this.planner.system.services.some((service) => service.id === id);
  }

  private routeName(plan: RoutePlan): string {
    return `${plan.route.method} ${plan.route.path}`;
  }

  private add(
    plan: RoutePlan,
    boundary: Boundary,
    categories: Category[],
    scenario: { id: string; title: string; steps: Step[] },
  ): void {
    this.planner.add(fileFor(boundary), {
      ...scenario,
      id: `${plan.service} ${scenario.id}`,
      categories,
      boundaries: [...new Set([boundary.id, plan.boundary.id])],
    });
  }
}

type ConsumeOperation = Extract<Operation, { kind: 'consume' }>;

interface Publisher {
  plan: RoutePlan;
  exchange: string;
  routingKey: string;
}

function fault(boundary: Boundary, planned: PlannedFault): Step {
  return { kind: 'fault', boundary: boundary.id, fault: planned };
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function firstLine(operation: { at: { line: number }[] }): number {
  return Math.min(...operation.at.map((location) => location.line));
}

/**
 * What the statement looks like on the wire: `INSERT INTO order_items`, `SELECT … FROM orders`,
 * any case or quoting. `[^\0]` keeps a read's pattern inside one statement: PostgreSQL's wire
 * protocol ends each statement's text with a NUL byte.
 */
export function statementPattern(operation: SqlOperation): string {
  // An identifier may be quoted ("orders" or `orders`) and schema-qualified.
  const quote = '["`]?';
  const name = operation.table.replace(/[^A-Za-z0-9_]/g, '');
  const table = `(${quote}\\w+${quote}\\.)?${quote}${name}${quote}\\b`;
  switch (operation.action) {
    case 'select':
      return `select\\s[^\\0]*?\\b(from|join)\\s+${table}`;
    case 'insert':
    case 'upsert':
      return `insert\\s+into\\s+${table}`;
    case 'update':
      return `update\\s+${table}`;
    case 'delete':
      return `delete\\s+from\\s+${table}`;
    default:
      return `\\b${table}`;
  }
}
