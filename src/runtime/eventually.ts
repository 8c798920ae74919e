// Bounded polling for effects that happen after the response (a consumer acting on a message):
// the check is retried until it passes or the time is up, never a fixed sleep.
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
