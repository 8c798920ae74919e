// Failure modes of a boundary, derived from what the code does at it.
import type { LinkedFacts } from '../detect/link.js';
import type { Boundary, FailureMode, Operation } from './model.js';

type BoundaryShape = Pick<Boundary, 'from' | 'to' | 'protocol' | 'interaction'>;

export function deriveFailureModes(
  shape: BoundaryShape,
  operations: Operation[],
  _linked: LinkedFacts,
): FailureMode[] {
  const modes: FailureMode[] = [];
  for (const operation of operations) {
    const at = operation.at[0];
    if (!at) continue;
    if (operation.kind === 'http-call') {
      if (operation.timeoutMs) {
        modes.push({
          kind: 'timeout',
          description: `${operation.method} ${operation.path} gives up after ${describe(operation.timeoutMs)} ms`,
          at,
        });
      } else {
        modes.push({
          kind: 'no-timeout',
          description: `${operation.method} ${operation.path} has no timeout: a hung ${shape.to} hangs ${shape.from}`,
          at,
        });
      }
      if (operation.retry && !operation.idempotencyKey && operation.method !== 'GET') {
        modes.push({
          kind: 'retry-without-idempotency-key',
          description: `${operation.method} ${operation.path} is retried without an idempotency key`,
          at,
        });
      }
    }
    if (operation.kind === 'sql' && operation.lock) {
      modes.push({
        kind: 'lock-contention',
        description: `rows of ${operation.table} are locked ${operation.lock.replace('-', ' ')}: concurrent callers wait`,
        at,
      });
    }
  }
  return modes;
}

function describe(value: { value?: unknown; env?: string; default?: unknown }): string {
  if (value.value !== undefined) return String(value.value);
  return `${value.env}${value.default === undefined ? '' : ` (default ${value.default})`}`;
}
