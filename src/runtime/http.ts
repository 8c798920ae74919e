// A real HTTP client for tests: one call, its status, headers and parsed body, and how long it took.
export interface HttpAnswer {
  /** 0 when no answer came: the connection failed or the call gave up (`text` says which). */
  status: number;
  headers: Record<string, string>;
  /** Whatever the service sent, parsed when it is JSON; tests check it with `expect`. */
  // biome-ignore lint/suspicious/noExplicitAny: an answer's shape is what the test asserts, not a type it trusts
  body: any;
  /** The body exactly as sent, for checks that no stack trace leaks. */
  text: string;
  durationMs: number;
}

export interface HttpCallOptions {
  body?: unknown;
  /** Sent as is, not as JSON: for malformed-body tests. */
  rawBody?: string;
  token?: string;
  headers?: Record<string, string>;
  /** Gives up after this long; 30 s by default. */
  timeoutMs?: number;
}

export async function httpCall(
  baseUrl: string,
  method: string,
  path: string,
  options: HttpCallOptions = {},
): Promise<HttpAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.rawBody !== undefined || options.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = options.rawBody ?? JSON.stringify(options.body);
  }
  const started = performance.now();
  let response: Response;
  let text: string;
  try {
    response = await fetch(new URL(path, baseUrl), {
      method,
      headers,
      body,
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
    text = await response.text();
  } catch (error) {
    // A service that hangs or drops the connection is an answer a test can assert on (a crash
    // during an outage is a finding), so it is not thrown.
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    return {
      status: 0,
      headers: {},
      body: undefined,
      text: `no answer to ${method} ${path}: ${cause}`,
      durationMs: performance.now() - started,
    };
  }
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {}
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers),
    body: parsed,
    text,
    durationMs: performance.now() - started,
  };
}

/**
 * Repeats a call (at most `timeoutMs`, 250 ms apart) until it answers `status`, and returns the
 * last answer: how a test waits for a system to recover once a dependency is back. When a call
 * gets no answer at all, `givesUp` may say the wait is hopeless (the service has exited).
 */
export async function callUntil(
  call: () => Promise<HttpAnswer>,
  status: number,
  options: { timeoutMs?: number; givesUp?: () => Promise<boolean> } = {},
): Promise<HttpAnswer> {
  const deadline = Date.now() + (options.timeoutMs ?? 5_000);
  for (;;) {
    const answer = await call();
    if (answer.status === status || Date.now() + 250 > deadline) return answer;
    if (answer.status === 0 && (await options.givesUp?.())) return answer;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
