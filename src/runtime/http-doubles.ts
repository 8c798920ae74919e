// HTTP doubles that run beside the system under test:
// - a recording proxy in front of an internal service: it forwards every request unchanged to the
//   real service and remembers what crossed, so a test can check what one service sent another;
// - a stub for a third party: it answers as the test told it to and remembers what it was sent.
//   A request nobody told it how to answer gets a 501 and is flagged, so the test can fail on it.
// Tests reach both through `/__seamtest/*` control routes, because the doubles live in the
// process that started the system and tests run in worker processes.
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type Server,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** A stub had no answer for it. */
  unhandled?: boolean;
  /** Milliseconds since the double was last reset. */
  at: number;
}

export interface StubAnswer {
  method: string;
  /** A path; `{name}` segments match any value. */
  path: string;
  status: number;
  body?: unknown;
  /** Sent as it is instead of `body`, e.g. malformed JSON. */
  rawBody?: string;
  /** Drop the connection without answering (after `delayMs`), as a crashed or cut-off API does. */
  reset?: boolean;
  /** How many requests it answers; unlimited when absent. */
  times?: number;
  delayMs?: number;
}

export interface RunningDouble {
  url: string;
  close(): Promise<void>;
}

const CONTROL = '/__seamtest/';

export async function startRecordingProxy(target: string): Promise<RunningDouble> {
  const recorder = new Recorder();
  const server = createServer(async (req, res) => {
    const raw = await readBody(req);
    if (raw === undefined || recorder.control(req, raw, res)) return;
    recorder.record(req, raw);
    const upstream = new URL(req.url ?? '/', target);
    const forwarded = httpRequest(
      upstream,
      { method: req.method, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => {
      // The real service is unreachable: to the caller that looks like a refused connection.
      res.destroy();
    });
    forwarded.end(raw);
  });
  return listenOnLoopback(server);
}

export async function startThirdPartyStub(): Promise<RunningDouble> {
  const recorder = new Recorder();
  // Aborted by close(), so a delayed answer never holds the stub (or the test run) open.
  const closing = new AbortController();
  const server = createServer(async (req, res) => {
    const raw = await readBody(req);
    if (raw === undefined || recorder.control(req, raw, res)) return;
    const answer = recorder.answerFor(req.method ?? 'GET', pathOf(req.url));
    recorder.record(req, raw, answer === undefined);
    if (!answer) {
      res.writeHead(501, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'the test did not say how to answer this request' }));
      return;
    }
    if (answer.delayMs) {
      await sleep(answer.delayMs, undefined, { signal: closing.signal }).catch(() => undefined);
    }
    // The client gave up waiting, or the stub is closing: there is nobody to answer.
    if (res.destroyed || closing.signal.aborted) return;
    if (answer.reset) {
      req.socket.resetAndDestroy();
      return;
    }
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(
      answer.rawBody ?? (answer.body === undefined ? undefined : JSON.stringify(answer.body)),
    );
  });
  const running = await listenOnLoopback(server);
  return {
    url: running.url,
    close: () => {
      closing.abort();
      return running.close();
    },
  };
}

class Recorder {
  private requests: RecordedRequest[] = [];
  private answers: (StubAnswer & { used: number })[] = [];
  private since = Date.now();

  record(
    req: { method?: string; url?: string; headers: IncomingHttpHeaders },
    raw: Buffer,
    unhandled = false,
  ) {
    this.requests.push({
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers,
      body: parseBody(raw),
      at: Date.now() - this.since,
      ...(unhandled ? { unhandled } : {}),
    });
  }

  answerFor(method: string, path: string): StubAnswer | undefined {
    const answer = this.answers.find(
      (candidate) =>
        candidate.method === method &&
        pathMatches(candidate.path, path) &&
        (candidate.times === undefined || candidate.used < candidate.times),
    );
    if (answer) answer.used += 1;
    return answer;
  }

  /** Handles a control request; false when the request is for the real service or stub. */
  control(
    req: { method?: string; url?: string },
    raw: Buffer,
    res: {
      writeHead(status: number, headers?: Record<string, string>): unknown;
      end(body?: string): unknown;
    },
  ): boolean {
    if (!req.url?.startsWith(CONTROL)) return false;
    const action = `${req.method} ${req.url.slice(CONTROL.length)}`;
    if (action === 'GET requests') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(this.requests));
    } else if (action === 'POST answers') {
      this.answers.push({ ...(parseBody(raw) as StubAnswer), used: 0 });
      res.writeHead(204);
      res.end();
    } else if (action === 'POST reset') {
      this.requests = [];
      this.answers = [];
      this.since = Date.now();
      res.writeHead(204);
      res.end();
    } else {
      res.writeHead(404);
      res.end();
    }
    return true;
  }
}

export function pathOf(url: string | undefined): string {
  return (url ?? '/').split('?')[0] ?? '/';
}

/** Whether a path fits a template whose `{name}` or `:name` segments match any value. */
export function pathMatches(pattern: string, path: string): boolean {
  const expected = pattern.split('/');
  const actual = path.split('/');
  return (
    expected.length === actual.length &&
    expected.every((part, index) => /^(\{[^}]+\}|:\w+)$/.test(part) || part === actual[index])
  );
}

/**
 * A request's whole body; undefined when the client went away before sending it all. That is
 * not an error of the double's: a rejection here would crash the process hosting it.
 */
export async function readBody(req: AsyncIterable<Buffer>): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of req) chunks.push(chunk);
  } catch {
    return undefined;
  }
  return Buffer.concat(chunks);
}

function parseBody(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Serves on an ephemeral loopback port; close() drops open connections rather than wait for them. */
export async function listenOnLoopback(server: Server): Promise<RunningDouble> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// The test side of the control routes.

export async function recordedRequests(doubleUrl: string): Promise<RecordedRequest[]> {
  const response = await fetch(`${doubleUrl}${CONTROL}requests`);
  return (await response.json()) as RecordedRequest[];
}

export async function resetDouble(doubleUrl: string): Promise<void> {
  await fetch(`${doubleUrl}${CONTROL}reset`, { method: 'POST' });
}

export async function addAnswer(doubleUrl: string, answer: StubAnswer): Promise<void> {
  await fetch(`${doubleUrl}${CONTROL}answers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(answer),
  });
}
