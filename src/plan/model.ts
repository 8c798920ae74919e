// The scenario plan: what each generated test does and checks, independent of the test runner.
// Emitters print it; the observation run plays it against the real system and records what the
// checks marked `observed` should expect.
import type { SystemSpec } from '../runtime/system.js';

export const SCENARIO_CATEGORIES = [
  'happy-path',
  'data-transformation',
  'context-propagation',
  'error-translation',
  'auth-rejection',
  'side-effects',
  'eventual-consistency',
  'timeouts',
  'retries',
  'partial-failure',
  'outage',
  'race-condition',
] as const;
export type Category = (typeof SCENARIO_CATEGORIES)[number];

/** JSON with references to values the test made: `{ $ref: 'stock.sku' }`, `{ $unique: 'customer' }`. */
export type PlanValue =
  | null
  | boolean
  | number
  | string
  | PlanValue[]
  | { $ref: string }
  | { $unique: string }
  | { $uuid: true }
  /** The id a created resource came back with, e.g. the `id` or `reservationId` of a POST's answer. */
  | { $idOf: string; param: string; resource: string }
  | { [key: string]: PlanValue };

/** A rule of the spec a check enforces; a system that breaks it gets a finding, not a test. */
export type Rule =
  | 'rejects-unauthenticated'
  | 'rejects-insufficient-scope'
  | 'rejects-invalid-input'
  | 'no-stack-trace'
  | 'no-side-effects-on-failure'
  | 'propagates-context'
  /** Answers within its configured timeout (plus retries and backoff), with the translated error. */
  | 'answers-within-timeout'
  /** Retries exactly as configured: attempts, spacing, one idempotency key. */
  | 'retries-as-configured'
  /** A call without an idempotency key is sent once, never retried. */
  | 'no-retry-without-idempotency-key'
  /** A dependency outage is answered with a server error, or absorbed where the code falls back. */
  | 'translates-dependency-outage'
  | 'recovers-after-outage'
  /** A consumer given the same message twice applies its effect once. */
  | 'applies-once'
  /** Concurrent requests for one thing: exactly one wins. */
  | 'one-winner';

/** A fault the suite injects on an internal boundary, through the proxy the service reaches it by. */
export type PlannedFault =
  /** Holds every chunk `ms` in each direction: widens a race's window, answers stay correct. */
  | { kind: 'latency'; ms: number }
  | { kind: 'down' }
  | { kind: 'stall' }
  /** Resets the connection that sends a statement matching `match` (a case-insensitive pattern). */
  | { kind: 'cut-on'; match: string };

export type Step =
  | {
      kind: 'seed';
      as: string;
      dependency: string;
      table: string;
      factory: string;
      /** Column values that differ from the factory's, e.g. no stock left. */
      overrides?: Record<string, PlanValue>;
    }
  | {
      kind: 'answer';
      thirdParty: string;
      method: string;
      path: string;
      status: number;
      body?: PlanValue;
      /** Sent as is instead of `body`: an answer that is not JSON. */
      rawBody?: string;
      /** Only the next `times` requests get this answer; later answers follow. */
      times?: number;
      delayMs?: number;
      /** Drop the connection instead of answering. */
      reset?: boolean;
    }
  | { kind: 'fault'; boundary: string; fault: PlannedFault }
  /** Every fault lifted: the dependencies are back. */
  | { kind: 'clear-faults' }
  | {
      kind: 'token';
      as: string;
      secret: string;
      subject: PlanValue;
      scopes: string[];
      variant?: 'expired' | 'wrong-secret';
    }
  | {
      kind: 'call';
      as: string;
      service: string;
      method: string;
      /** Path segments: literal text and references. */
      path: PlanValue[];
      body?: PlanValue;
      rawBody?: string;
      token?: string;
      /** A malformed Authorization header, sent as is. */
      authorization?: string;
      headers?: Record<string, PlanValue>;
      /** Sent this many times at once, to race itself; `as` then holds every answer. */
      concurrent?: number;
      /** Sends exactly the body an earlier call sent (a retry). */
      reuseBodyOf?: string;
      /** Gives up after this long (an answer of status 0): for calls a fault may hang. */
      timeoutMs?: number;
      /** Repeated (bounded) until it answers this status: recovery after a fault is lifted. */
      until?: number;
    }
  /** Later checks of changes and messages count from here: what the arranging did is not the act's. */
  | { kind: 'checkpoint' }
  | { kind: 'publish'; dependency: string; exchange: string; routingKey: string; body: PlanValue }
  /** The last message captured with this routing key, published again: a redelivery. */
  | { kind: 'republish'; dependency: string; exchange: string; routingKey: string }
  | { kind: 'check'; check: Check };

export type Check =
  | { kind: 'status'; call: string; status: number; rule?: Rule }
  /** The statuses of concurrent calls, in order: e.g. exactly one 201 and one 409. */
  | { kind: 'statuses'; call: string; rule?: 'one-winner' }
  /** How long a call took, within bounds derived from the configured timeouts and backoff. */
  | {
      kind: 'elapsed';
      call: string;
      atLeastMs: number;
      atMostMs: number;
      rule: 'answers-within-timeout';
    }
  /** The attempts a third party saw for one operation: how many, how far apart, what they shared. */
  | {
      kind: 'attempts';
      thirdParty: string;
      method: string;
      path: string;
      count: number;
      /** The least gap before each retry. */
      backoffMs: number[];
      /** Headers every attempt carries with one value (the idempotency key). */
      sameHeaders: string[];
      rule: 'retries-as-configured';
    }
  /** No request reached another service twice: calls without an idempotency key are not retried. */
  | { kind: 'received-once'; service: string; rule: 'no-retry-without-idempotency-key' }
  /** The answer while a dependency is down: `status` when the code says, a 5xx otherwise. */
  | {
      kind: 'outage-status';
      call: string;
      status?: number;
      /** The code absorbs the outage (a cache read falls back): the planned success status. */
      fallback?: number;
      rule: 'translates-dependency-outage';
    }
  /** The injected fault happened: a scenario whose fault never fired is not kept. */
  | { kind: 'fault-fired'; boundary: string }
  /** No change in a database once the system has gone quiet. */
  | { kind: 'settled-no-rows'; dependency: string; rule: 'applies-once' }
  | { kind: 'body'; call: string }
  /** Response headers whose values come from the request (an echoed request id). */
  | { kind: 'headers'; call: string }
  | { kind: 'no-stack-trace'; call: string; rule: 'no-stack-trace' }
  | { kind: 'rows'; dependency: string; rule?: 'no-side-effects-on-failure' }
  | { kind: 'messages'; exchange: string; rule?: 'no-side-effects-on-failure' }
  | {
      kind: 'forwarded';
      service: string;
      call: string;
      /** Headers the downstream request must carry, and what they must equal. */
      headers: { name: string; equals: PlanValue }[];
      rule: 'propagates-context';
    }
  | { kind: 'third-party-requests'; thirdParty: string }
  | { kind: 'cache'; dependency: string; key: PlanValue[] }
  | { kind: 'eventually-rows'; dependency: string }
  /** The queue a consumer reads is eventually empty: it did not requeue a message forever. */
  | { kind: 'queue-drained'; dependency: string; queue: string };

export interface Scenario {
  id: string;
  title: string;
  categories: Category[];
  boundaries: string[];
  steps: Step[];
}

export interface PlannedFile {
  /** Relative to the suite folder, without extension: 'boundaries/client-orders'. */
  path: string;
  title: string;
  scenarios: Scenario[];
}

/** A factory for seed rows of one table, tagged with the test's unique tag. */
export interface Fixture {
  name: string;
  dependency: string;
  table: string;
  /** Column → value; `{ $unique: x }` values become unique per test. */
  row: Record<string, PlanValue>;
  /** Integer columns with a CHECK lower bound (stock, balance): their least allowed value. */
  lowerBounds: Record<string, number>;
}

export interface ScenarioPlan {
  system: SystemSpec;
  fixtures: Fixture[];
  files: PlannedFile[];
  /** Boundaries of the map and the scenario ids that cover them. */
  coverage: Record<string, string[]>;
  /** What the planner could not plan, with why. */
  unplanned: { what: string; why: string }[];
}
