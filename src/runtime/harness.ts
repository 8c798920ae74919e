// What a test holds: one worker's copy of the system, opened once per test file, with every test
// given a unique tag, a clean start and a cleanup that removes exactly what the test created.
// The runner's hooks call `beforeEach`/`afterEach`/`close`; tests call the rest.
import {
  type CapturedMessage,
  closeSharedConnections,
  MessageCapture,
  publishMessage,
  queueDepth,
} from './amqp.js';
import { untilQuiet } from './eventually.js';
import {
  clearFaults,
  faultStats,
  restoreServices,
  serviceStates,
  setFault,
} from './fault-control.js';
import type { Fault } from './fault-proxy.js';
import { callUntil, type HttpAnswer, type HttpCallOptions, httpCall } from './http.js';
import {
  addAnswer,
  pathMatches,
  pathOf,
  type RecordedRequest,
  recordedRequests,
  resetDouble,
  type StubAnswer,
} from './http-doubles.js';
import { type Changes, type Row, type Snapshot, TestDatabase } from './postgres.js';
import { TestCache } from './redis.js';
import type { StackInfo } from './stack.js';
import type { SystemSpec } from './system.js';
import { signToken, type TokenOptions } from './tokens.js';
import { topicMatches } from './topics.js';

/** Cleanup competes with the system's own late work for row locks; a deadlock is retried. */
async function withRetries(work: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if ((error as { code?: string }).code !== '40P01' || attempt >= 3) throw error;
    }
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class SystemUnderTest {
  /** Unique per test: goes into every value a test makes, so parallel tests never collide. */
  tag = '';
  private readonly databases = new Map<string, TestDatabase>();
  private readonly caches = new Map<string, TestCache>();
  private baselines = new Map<string, Snapshot>();
  private captures = new Map<string, MessageCapture>();
  /** Where `changes` and `messages` count from: the start of the test, or the last checkpoint. */
  private marks = new Map<string, Snapshot>();
  private messageOffsets = new Map<string, number>();
  private counter = 0;
  /** A fault was injected: cleanup lifts it and brings back any service it took down. */
  private faulted = false;
  private faultBaseline = new Map<string, number>();

  constructor(
    readonly spec: SystemSpec,
    readonly stack: StackInfo,
  ) {
    for (const dependency of spec.dependencies) {
      const url = stack.dependencies[dependency.id] as string;
      if (dependency.technology === 'postgresql')
        this.databases.set(dependency.id, new TestDatabase(url));
      if (dependency.technology === 'redis') this.caches.set(dependency.id, new TestCache(url));
    }
  }

  async beforeEach(): Promise<void> {
    this.counter += 1;
    this.tag = `st${this.stack.slot}${Date.now().toString(36)}${this.counter}`;
    this.baselines = new Map();
    for (const [id, database] of this.databases) this.baselines.set(id, await database.snapshot());
    this.marks = new Map(this.baselines);
    this.messageOffsets = new Map();
    this.faultBaseline = new Map();
    if (this.stack.faults.length > 0)
      for (const [boundary, { stats }] of Object.entries(await faultStats(this.stack.control)))
        this.faultBaseline.set(boundary, stats.resets + stats.cuts);
    for (const url of [
      ...Object.values(this.stack.thirdParties),
      ...Object.values(this.stack.serviceProxies),
    ])
      await resetDouble(url);
    this.captures = new Map();
    for (const { dependency, exchange } of this.spec.exchanges) {
      const capture = await MessageCapture.start(
        this.stack.dependencies[dependency] as string,
        this.name(exchange),
      );
      this.captures.set(exchange, capture);
    }
  }

  /** Removes what the test created and fails when something could not be removed. */
  async afterEach(): Promise<void> {
    if (this.faulted) {
      this.faulted = false;
      await clearFaults(this.stack.control);
      const restarted = await restoreServices(this.stack.control);
      // The test's own checks say what went wrong; the note says why later tests still pass.
      if (restarted.length > 0)
        console.warn(`restarted ${restarted.join(', ')}: stopped answering during the test`);
    }
    // A message the test caused may still be in a consumer's hands: let the system go quiet
    // first, or cleanup would race the consumer for the same rows. Messages no consumer of the
    // system binds set nothing in motion.
    const consumed = this.spec.exchanges.some(({ exchange, consumedKeys }) =>
      this.captures
        .get(exchange)
        ?.messages()
        .some((message) => consumedKeys.some((key) => topicMatches(key, message.routingKey))),
    );
    if (consumed) await this.settle();
    for (const capture of this.captures.values()) await capture.stop();
    const createdIds = new Set<string>();
    for (const [id, database] of this.databases) {
      const baseline = this.baselines.get(id);
      if (!baseline) continue;
      for (const changes of Object.values(await database.changesSince(baseline)))
        for (const row of changes.inserted)
          for (const value of Object.values(row))
            if (this.isCreatedId(value)) createdIds.add(value);
      await withRetries(() => database.restore(baseline));
    }
    for (const { dependency, pattern } of this.spec.cacheKeys) {
      const cache = this.caches.get(dependency);
      if (!cache) continue;
      await cache.delete([...createdIds].map((value) => pattern.replace(/\{[^}]+\}/, value)));
    }
    await this.expectClean();
    for (const [id, url] of Object.entries(this.stack.thirdParties)) {
      const unexpected = (await recordedRequests(url)).filter((request) => request.unhandled);
      if (unexpected.length > 0) {
        const what = unexpected.map((request) => `${request.method} ${request.path}`).join(', ');
        throw new Error(`${id} got requests the test did not expect: ${what}`);
      }
    }
  }

  /** Messages the arranging caused may still be on their way: wait until none arrive for 100 ms. */
  private async messagesSettled(): Promise<void> {
    const count = () =>
      [...this.captures.values()].reduce((sum, capture) => sum + capture.messages().length, 0);
    await untilQuiet(count, { quietMs: 100, timeoutMs: 2_000, interval: 25 });
  }

  /** Waits (at most 5 s) until no database has changed for 300 ms. */
  private async settle(): Promise<void> {
    const state = () =>
      Promise.all(
        [...this.databases.values()].map((database) =>
          database.snapshot().then((snapshot) => [...snapshot]),
        ),
      );
    await untilQuiet(state, { quietMs: 300, timeoutMs: 5_000, interval: 100 });
  }

  /** Only ids this test made (a UUID, or a value holding the tag), never a shared word. */
  private isCreatedId(value: unknown): value is string {
    return typeof value === 'string' && (UUID.test(value) || value.includes(this.tag));
  }

  /** Every database as the test found it; throws with what is left over. */
  async expectClean(): Promise<void> {
    for (const [id, database] of this.databases) {
      const baseline = this.baselines.get(id);
      if (!baseline) continue;
      const left = await database.changesSince(baseline);
      if (Object.keys(left).length > 0)
        throw new Error(`${id} still holds changes after cleanup: ${JSON.stringify(left)}`);
    }
  }

  async close(): Promise<void> {
    for (const database of this.databases.values()) await database.close();
    for (const cache of this.caches.values()) await cache.close();
    await closeSharedConnections();
  }

  /** A value unique to this test, e.g. `unique('customer')`. */
  unique(prefix: string): string {
    return `${prefix}-${this.tag}`;
  }

  call(
    service: string,
    method: string,
    path: string,
    options?: HttpCallOptions,
  ): Promise<HttpAnswer> {
    return httpCall(this.serviceUrl(service), method, path, options);
  }

  /**
   * Repeats a call (at most 5 s) until it answers `status`: waiting for the system to recover.
   * Stops early when a service under test has exited, since nothing restarts it mid-test.
   */
  async callUntil(call: () => Promise<HttpAnswer>, status: number): Promise<HttpAnswer> {
    const exited = async () =>
      Object.entries(await serviceStates(this.stack.control)).flatMap(([id, state]) =>
        state.running ? [] : [`${id} exited (${state.exit})`],
      );
    const answer = await callUntil(call, status, {
      givesUp: async () => (await exited()).length > 0,
    });
    if (answer.status !== 0) return answer;
    const gone = await exited();
    return gone.length > 0 ? { ...answer, text: `${answer.text}; ${gone.join(', ')}` } : answer;
  }

  serviceUrl(service: string): string {
    const url = this.stack.services[service];
    if (!url) throw new Error(`no service ${service} in this system`);
    return url;
  }

  token(secretName: string, options: Omit<TokenOptions, 'secret'> & { secret?: string }): string {
    const secret = options.secret ?? (this.stack.secrets[secretName] as string);
    return signToken({ ...options, secret });
  }

  database(id: string): TestDatabase {
    const database = this.databases.get(id);
    if (!database) throw new Error(`no database ${id} in this system`);
    return database;
  }

  cache(id: string): TestCache {
    const cache = this.caches.get(id);
    if (!cache) throw new Error(`no cache ${id} in this system`);
    return cache;
  }

  /** From here on, `changes` and `messages` show only what happens after this point. */
  async checkpoint(): Promise<void> {
    await this.messagesSettled();
    for (const [id, database] of this.databases) this.marks.set(id, await database.snapshot());
    for (const [exchange, capture] of this.captures)
      this.messageOffsets.set(exchange, capture.messages().length);
  }

  /** What changed in a database since the test began, or since its checkpoint. */
  changes(id: string): Promise<Changes> {
    return this.database(id).changesSince(this.marks.get(id) ?? new Map());
  }

  async seed<T extends Row>(id: string, table: string, row: T): Promise<T> {
    await this.database(id).insert(table, row);
    return row;
  }

  /** Messages published to an exchange since the test began. */
  messages(exchange: string, routingKey?: string): CapturedMessage[] {
    const capture = this.captures.get(exchange);
    if (!capture) throw new Error(`no exchange ${exchange} is watched`);
    const offset = this.messageOffsets.get(exchange) ?? 0;
    return capture
      .messages()
      .slice(offset)
      .filter((message) => routingKey === undefined || message.routingKey === routingKey);
  }

  async publish(
    dependency: string,
    exchange: string,
    routingKey: string,
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<void> {
    await publishMessage(
      this.stack.dependencies[dependency] as string,
      this.name(exchange),
      routingKey,
      body,
      headers,
    );
  }

  /** Messages waiting in a queue the system consumes (by its usual name). */
  async queueDepth(queue: string): Promise<number> {
    const broker = this.spec.dependencies.find(
      (dependency) => dependency.technology === 'rabbitmq',
    );
    if (!broker) throw new Error('no broker in this system');
    return queueDepth(this.stack.dependencies[broker.id] as string, this.name(queue));
  }

  /** Requests that reached a service from another service of the system (one operation's, given one). */
  async received(service: string, method?: string, path?: string): Promise<RecordedRequest[]> {
    const requests = await recordedRequests(this.stack.serviceProxies[service] as string);
    return method && path ? requests.filter(operation(method, path)) : requests;
  }

  /** Requests a service received more than once (same method, path and body): retries. */
  async repeatedRequests(service: string): Promise<string[]> {
    const seen = new Map<string, number>();
    for (const request of await this.received(service)) {
      const key = `${request.method} ${request.path} ${JSON.stringify(request.body ?? null)}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    return [...seen].filter(([, count]) => count > 1).map(([key]) => key);
  }

  thirdParty(id: string) {
    const url = this.stack.thirdParties[id] as string;
    return {
      answer: (answer: StubAnswer) => addAnswer(url, answer),
      requests: () => recordedRequests(url),
      /** The attempts at one operation, in order; `at` says when each arrived. */
      attempts: async (method: string, path: string) =>
        (await recordedRequests(url)).filter(operation(method, path)),
    };
  }

  /** Injects a fault on an internal boundary (e.g. 'orders->orders-db'); cleanup lifts it. */
  async fault(boundary: string, fault: Fault): Promise<void> {
    this.faulted = true;
    await setFault(this.stack.control, boundary, fault);
  }

  /** Lifts every fault: the dependencies are back. */
  async clearFaults(): Promise<void> {
    await clearFaults(this.stack.control);
  }

  /** Whether a fault on the boundary acted (reset or cut a connection) since the test began. */
  async faultFired(boundary: string): Promise<boolean> {
    const stats = (await faultStats(this.stack.control))[boundary]?.stats;
    const before = this.faultBaseline.get(boundary) ?? 0;
    return (stats ? stats.resets + stats.cuts : 0) > before;
  }

  /** The last message published with `routingKey`, published again: what a redelivery looks like. */
  async republish(dependency: string, exchange: string, routingKey: string): Promise<void> {
    // Counted from the start of the test: the original usually came before a checkpoint.
    const message = this.captures.get(exchange)?.messages(routingKey).at(-1);
    if (!message) throw new Error(`no ${routingKey} message on ${exchange} to publish again`);
    await this.publish(
      dependency,
      exchange,
      routingKey,
      message.body,
      message.headers as Record<string, string>,
    );
  }

  /** A database's changes once it has not changed for half a second (at most 5 s). */
  changesOnceQuiet(id: string): Promise<Changes> {
    return untilQuiet(() => this.changes(id), { quietMs: 500, timeoutMs: 5_000, interval: 50 });
  }

  /** This worker's name for a broker resource. */
  name(base: string): string {
    return this.stack.names[base] ?? base;
  }
}

/** Requests for one operation: its method, and its path template (`{id}` or `:id` any value). */
function operation(method: string, path: string) {
  return (request: RecordedRequest) =>
    request.method === method && pathMatches(path, pathOf(request.path));
}
