// Walking planned values.
import type { PlanValue } from './model.js';

/** Whether a planned value, or anything inside it, passes the test. */
export function usesValue(
  value: PlanValue | undefined,
  test: (value: PlanValue) => boolean,
): boolean {
  if (value === undefined) return false;
  if (test(value)) return true;
  if (Array.isArray(value)) return value.some((item) => usesValue(item, test));
  if (value !== null && typeof value === 'object')
    return Object.values(value).some((item) => usesValue(item as PlanValue, test));
  return false;
}
