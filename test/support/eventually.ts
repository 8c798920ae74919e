// Bounded polling: retries a check until it passes or the time is up, then throws its last error.
import { setTimeout as sleep } from 'node:timers/promises';

export async function eventually<T>(
  check: () => Promise<T>,
  { timeoutMs = 10_000, intervalMs = 50 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await sleep(intervalMs);
    }
  }
}
