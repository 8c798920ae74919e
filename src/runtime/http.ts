// A real HTTP client for tests: one call, its status, headers and parsed body, and how long it took.
export interface HttpAnswer {
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
  const response = await fetch(new URL(path, baseUrl), {
    method,
    headers,
    body,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
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
