// Bounded polling for effects that happen after the response (a consumer acting on a message):
// a check retried until it passes, or a reading taken until it stops changing; never a fixed sleep.
export async function eventually<T>(
  check: () => Promise<T> | T,
  { timeout = 10_000, interval = 50 }: { timeout?: number; interval?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() + interval > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, interval));
    }
  }
}

/**
 * Reads `read` until its value (compared as JSON) has not changed for `quietMs`, or `timeoutMs`
 * has passed, and returns the last reading: for waiting until the system has gone quiet.
 */
export async function untilQuiet<T>(
  read: () => Promise<T> | T,
  { quietMs, timeoutMs, interval = 50 }: { quietMs: number; timeoutMs: number; interval?: number },
): Promise<T> {
  let last = await read();
  let key = JSON.stringify(last);
  let quietSince = Date.now();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && Date.now() - quietSince < quietMs) {
    await new Promise((resolve) => setTimeout(resolve, interval));
    const now = await read();
    const nowKey = JSON.stringify(now);
    if (nowKey !== key) {
      last = now;
      key = nowKey;
      quietSince = Date.now();
    }
  }
  return last;
}
