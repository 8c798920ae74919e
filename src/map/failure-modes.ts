// Failure modes of each boundary, derived from what the code does at it: the answers and errors
// of outbound calls it handles (and how), row locks it takes, messages it drops or requeues, and
// the places where it catches a failure and compensates or carries on.
import type { Recovery } from '../detect/recoveries.js';
import type { Fact } from '../detect/types.js';
import type { Configured, FailureMode, HttpCall, Operation, Outcome } from './model.js';

/** Where a fact ended up in the map. */
export type OperationLookup = (
  fact: Fact,
) => { boundaryId: string; operation: Operation } | undefined;

export function operationFailureModes(to: string, operations: Operation[]): FailureMode[] {
  const modes: FailureMode[] = [];
  for (const operation of operations) {
    if (operation.kind === 'http-call') modes.push(...callFailureModes(to, operation));
    if (operation.kind === 'sql' && operation.lock && operation.at[0]) {
      modes.push({
        kind: 'lock-contention',
        description: `rows of ${operation.table} are locked (${operation.lock}): concurrent requests wait for each other`,
        at: operation.at[0],
      });
    }
    if (operation.kind === 'consume') {
      for (const outcome of operation.outcomes) {
        if (outcome.handling === 'dropped') {
          modes.push({
            kind: 'poison-message',
            description: 'a message the consumer cannot use',
            handling: 'dropped',
            at: outcome.at,
          });
        } else if (outcome.handling === 'requeued') {
          modes.push({
            kind: 'redelivery',
            description: 'a message delivered again after a failure',
            handling: 'requeued',
            at: outcome.at,
          });
        }
      }
    }
  }
  return unique(modes);
}

function callFailureModes(to: string, call: HttpCall): FailureMode[] {
  const modes: FailureMode[] = [];
  const at = call.at[0];
  if (!call.timeoutMs && at) {
    modes.push({
      kind: 'no-timeout',
      description: `${call.method} ${call.path} has no timeout: a hung ${to} hangs the caller`,
      at,
    });
  }
  if (call.retry && !call.idempotencyKey && call.method !== 'GET' && at) {
    modes.push({
      kind: 'retry-without-idempotency-key',
      description: `${call.method} ${call.path} is retried without an idempotency key`,
      at,
    });
  }
  for (const outcome of call.outcomes) {
    const kind = failureKind(outcome);
    if (!kind) continue;
    modes.push({
      kind,
      description: describeOutcome(to, call, outcome),
      handling: describeHandling(outcome),
      ...(outcome.status ? { status: outcome.status } : {}),
      at: outcome.at,
    });
  }
  if (call.timeoutMs && at && !call.outcomes.some((outcome) => outcome.when === 'timeout')) {
    modes.push({
      kind: 'timeout',
      description: `${to} does not answer within ${describeSetting(call.timeoutMs)} ms`,
      at,
    });
  }
  return modes;
}

function failureKind(outcome: Outcome): FailureMode['kind'] | undefined {
  if (outcome.handling === 'success') return undefined;
  switch (outcome.when) {
    case 'timeout':
      return 'timeout';
    case 'connection-error':
      return 'unavailable';
    case '5xx':
      return outcome.handling === 'retried' ? 'unavailable' : 'error-response';
    case 'other':
      return 'error-response';
    case '409':
      return 'conflict';
    default:
      return /^4/.test(outcome.when) ? 'rejected' : 'error-response';
  }
}

function describeOutcome(to: string, call: HttpCall, outcome: Outcome): string {
  switch (outcome.when) {
    case 'timeout':
      return `${to} does not answer ${call.method} ${call.path} within ${call.timeoutMs ? describeSetting(call.timeoutMs) : 'the timeout'} ms`;
    case 'connection-error':
      return `${to} cannot be reached`;
    case 'other':
      return `${to} answers ${call.method} ${call.path} with a status the caller does not expect`;
    default:
      return `${to} answers ${call.method} ${call.path} with ${outcome.when}`;
  }
}

function describeHandling(outcome: Outcome): string {
  const answer = outcome.status
    ? `answered ${outcome.status}${outcome.code ? ` ${outcome.code}` : ''}`
    : '';
  switch (outcome.handling) {
    case 'retried':
      return answer ? `retried, then ${answer}` : 'retried';
    case 'translated':
      return answer;
    default:
      return outcome.handling;
  }
}

/** Compensation after a later step fails, and failures absorbed at caches and brokers. */
export function recoveryFailureModes(
  recoveries: Recovery[],
  lookup: OperationLookup,
): Map<string, FailureMode[]> {
  const byBoundary = new Map<string, FailureMode[]>();
  const add = (boundaryId: string, mode: FailureMode) => {
    byBoundary.set(boundaryId, [...(byBoundary.get(boundaryId) ?? []), mode]);
  };
  for (const recovery of recoveries) {
    const protectedOps = recovery.protects.map(lookup).filter((found) => found !== undefined);
    const compensations = recovery.compensates.map(lookup).filter((found) => found !== undefined);
    if (compensations.length > 0) {
      const undone = [...new Set(compensations.map(({ operation }) => operation.id))].join(', ');
      for (const boundaryId of new Set(protectedOps.map((found) => found.boundaryId))) {
        add(boundaryId, {
          kind: 'partial-failure',
          description: 'this step fails after earlier steps succeeded',
          handling: `compensated: ${undone}`,
          ...(recovery.status ? { status: recovery.status } : {}),
          at: recovery.at,
        });
      }
      continue;
    }
    if (!recovery.swallows) continue;
    for (const { boundaryId, operation } of protectedOps) {
      if (operation.kind === 'cache') {
        add(boundaryId, {
          kind: operation.access === 'delete' ? 'stale-read' : 'unavailable',
          description:
            operation.access === 'delete'
              ? `a failed ${operation.command} leaves ${operation.keyPattern} stale`
              : `${operation.command} ${operation.keyPattern} fails`,
          handling: 'logged and skipped',
          at: recovery.at,
        });
      } else if (operation.kind === 'publish') {
        add(boundaryId, {
          kind: 'partial-failure',
          description: `publishing ${operation.routingKey ?? operation.subject ?? ''} fails after the work it announces was done`,
          handling: 'logged; the message is lost',
          at: recovery.at,
        });
      }
    }
  }
  for (const [boundaryId, modes] of byBoundary) byBoundary.set(boundaryId, unique(modes));
  return byBoundary;
}

function describeSetting(value: Configured): string {
  if (value.value !== undefined) return String(value.value);
  return `${value.env}${value.default === undefined ? '' : ` (default ${value.default})`}`;
}

/** One failure mode per kind and place. */
function unique(modes: FailureMode[]): FailureMode[] {
  const seen = new Set<string>();
  return modes.filter((mode) => {
    const key = `${mode.kind} ${mode.at.file}:${mode.at.line}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
