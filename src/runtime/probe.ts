// Used only by the observation run seamtest makes while generating a suite: it records what the
// system did at each check, for the generator to turn into expectations. Never part of a suite.
import { appendFileSync } from 'node:fs';
import { untilQuiet } from './eventually.js';
import type { SystemUnderTest } from './harness.js';

const output = process.env.SEAMTEST_OBSERVATIONS ?? 'observations.jsonl';

export async function observe(
  scenario: string,
  check: number,
  value: unknown,
  scope: Record<string, unknown>,
  tag: string,
): Promise<void> {
  appendFileSync(
    output,
    `${JSON.stringify({ scenario, check, value, scope: plain(scope), tag })}\n`,
  );
}

/** The field of a creating answer that holds the new resource's id; recorded for the suite. */
export function idOf(
  body: unknown,
  param: string,
  resource: string,
  scenario: string,
  variable: string,
): string {
  const record = (body ?? {}) as Record<string, unknown>;
  const singular = resource.replace(/ies$/, 'y').replace(/s$/, '');
  const candidates = [
    param,
    `${singular}Id`,
    `${singular}_id`,
    'id',
    ...Object.keys(record).filter((key) => /id$/i.test(key)),
  ];
  const field =
    candidates.find((key) => typeof record[key] === 'string' || typeof record[key] === 'number') ??
    'id';
  appendFileSync(output, `${JSON.stringify({ scenario, idField: { variable, field } })}\n`);
  return String(record[field]);
}

/** Database changes once they stop changing: what a consumer did after the response. */
export function settledChanges(system: SystemUnderTest, dependency: string): Promise<unknown> {
  return untilQuiet(() => system.changes(dependency), {
    quietMs: 1_000,
    timeoutMs: 10_000,
    interval: 100,
  });
}

/** Messages published to an exchange once no more arrive. */
export async function settledMessages(system: SystemUnderTest, exchange: string): Promise<unknown> {
  await untilQuiet(() => system.messages(exchange).length, { quietMs: 300, timeoutMs: 5_000 });
  return system.messages(exchange);
}

export async function cacheEntry(
  system: SystemUnderTest,
  dependency: string,
  key: string,
): Promise<unknown> {
  const cache = system.cache(dependency);
  const raw = await cache.get(key);
  let value: unknown = raw;
  try {
    value = raw === null ? null : JSON.parse(raw);
  } catch {}
  return { value, ttl: await cache.ttl(key) };
}

function plain(scope: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(scope)) {
    if (value && typeof value === 'object' && 'status' in value && 'body' in value) {
      const answer = value as { status: number; headers: unknown; body: unknown; text: string };
      out[name] = {
        status: answer.status,
        headers: answer.headers,
        body: answer.body,
        // No answer at all: the text says why (refused, reset, timed out), for the evidence.
        ...(answer.status === 0 ? { text: answer.text } : {}),
      };
    } else out[name] = value;
  }
  return out;
}

/** The depth of a consumed queue once it stops changing (0 when the consumer dropped a message). */
export async function settledQueue(system: SystemUnderTest, queue: string): Promise<number> {
  const deadline = Date.now() + 5_000;
  let depth = await system.queueDepth(queue);
  while (depth > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    depth = await system.queueDepth(queue);
  }
  return depth;
}
