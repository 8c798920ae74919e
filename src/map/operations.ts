// Facts become operations of the model. Facts of one operation seen at several places (the same
// insert in two functions) merge into one operation with every location.
import { renderPattern, type StaticString, type StringPart } from '../detect/analysis/strings.js';
import type { LinkedConsumer, LinkedRoute } from '../detect/link.js';
import type { CacheFact, HttpCallFact, PublishFact, SqlFact } from '../detect/types.js';
import type {
  CacheOperation,
  Configured,
  HttpCall,
  HttpRoute,
  MessageConsume,
  MessagePublish,
  SqlOperation,
} from './model.js';

export function routeOperation(
  boundaryId: string,
  linked: LinkedRoute,
  effects: string[],
): HttpRoute {
  const { route } = linked;
  return {
    id: `${boundaryId} ${route.method} ${linked.path}`,
    kind: 'http-route',
    method: route.method,
    path: linked.path,
    at: [route.at],
    ...(linked.handlerAt ? { handler: linked.handlerAt } : {}),
    ...(linked.request ? { request: linked.request } : {}),
    responses: linked.responses.map((response) => ({
      status: response.status,
      ...(response.code ? { code: response.code } : {}),
      at: response.at,
    })),
    ...(linked.auth
      ? {
          auth: {
            rule: '',
            scopes: linked.auth.scopes,
            roles: [],
            ...(linked.auth.ownership ? { ownership: true } : {}),
            at: linked.auth.at,
          },
        }
      : {}),
    headersRead: linked.headersRead,
    effects,
  };
}

export function sqlKey(fact: SqlFact): string {
  return `${fact.action} ${fact.table}${fact.lock ? ` ${fact.lock}` : ''}`;
}

export function sqlOperation(
  boundaryId: string,
  fact: SqlFact,
  transaction: boolean,
): SqlOperation {
  return {
    id: `${boundaryId} ${sqlKey(fact)}`,
    kind: 'sql',
    action: fact.action,
    table: fact.table,
    transaction,
    ...(fact.lock ? { lock: fact.lock } : {}),
    at: [fact.at],
  };
}

export function cacheKey(fact: CacheFact): string {
  return `${fact.command} ${renderPattern(fact.key)}`;
}

export function cacheOperation(boundaryId: string, fact: CacheFact): CacheOperation {
  return {
    id: `${boundaryId} ${cacheKey(fact)}`,
    kind: 'cache',
    command: fact.command,
    access: fact.access,
    keyPattern: renderPattern(fact.key),
    ...(fact.ttlSeconds ? { ttlSeconds: fact.ttlSeconds } : {}),
    at: [fact.at],
  };
}

export function publishKey(fact: PublishFact): string {
  if (fact.subject) return `publish ${textOf(fact.subject)}`;
  return `publish ${textOf(fact.exchange) || '(default)'} ${textOf(fact.routingKey)}`;
}

export function publishOperation(
  boundaryId: string,
  fact: PublishFact,
  exchangeType: MessagePublish['exchangeType'],
): MessagePublish {
  const exchangeFrom = envOf(fact.exchange);
  return {
    id: `${boundaryId} ${publishKey(fact)}`,
    kind: 'publish',
    ...(fact.exchange ? { exchange: textOf(fact.exchange) } : {}),
    ...(exchangeType ? { exchangeType } : {}),
    ...(fact.routingKey ? { routingKey: textOf(fact.routingKey) } : {}),
    ...(fact.subject ? { subject: textOf(fact.subject) } : {}),
    ...(exchangeFrom ? { exchangeFrom } : {}),
    headers: fact.headers,
    ...(fact.message ? { message: fact.message } : {}),
    ...(fact.persistent === undefined ? {} : { persistent: fact.persistent }),
    ...(fact.confirmed === undefined ? {} : { confirmed: fact.confirmed }),
    at: [fact.at],
  };
}

export function consumeOperation(
  boundaryId: string,
  linked: LinkedConsumer,
  effects: string[],
): MessageConsume {
  const { consume, bindings } = linked;
  const queueFrom = envOf(consume.queue);
  const exchange = bindings.find((binding) => binding.exchange)?.exchange;
  return {
    id: `${boundaryId} consume ${textOf(consume.queue ?? consume.subject)}`,
    kind: 'consume',
    ...(consume.queue ? { queue: textOf(consume.queue) } : {}),
    ...(consume.subject ? { subject: textOf(consume.subject) } : {}),
    ...(queueFrom ? { queueFrom } : {}),
    ...(exchange ? { exchange: textOf(exchange) } : {}),
    bindingKeys: bindings.map((binding) => textOf(binding.pattern)).filter(Boolean),
    ack: consume.ack,
    ...(linked.handlerAt ? { handler: linked.handlerAt } : {}),
    outcomes: consume.outcomes,
    effects,
    at: [consume.at],
  };
}

export interface SplitUrl {
  baseUrl: Configured;
  path: string;
}

/** `${INVENTORY_BASE_URL}/reservations/${id}` → base from INVENTORY_BASE_URL, path '/reservations/{id}'. */
export function splitUrl(url: StaticString | undefined): SplitUrl | undefined {
  const [first, ...rest] = withoutQuery(url)?.parts ?? [];
  if (!first) return undefined;
  if (first.kind === 'hole') {
    if (!first.env) return undefined;
    const baseUrl: Configured =
      first.default === undefined ? { env: first.env } : { env: first.env, default: first.default };
    const path = renderPattern({ parts: rest }) || '/';
    // got's `prefixUrl` takes paths without their leading slash.
    return { baseUrl, path: path.startsWith('/') ? path : `/${path}` };
  }
  try {
    const parsed = new URL(first.text);
    const tail = renderPattern({ parts: rest });
    return { baseUrl: { value: parsed.origin }, path: decodeURI(parsed.pathname) + tail };
  } catch {
    return undefined;
  }
}

/**
 * The URL up to its query string or fragment: `?page=${page}` is not part of the path a call
 * targets. Only text can hold the `?`; a hole before it stays in the path.
 */
function withoutQuery(url: StaticString | undefined): StaticString | undefined {
  if (!url) return undefined;
  const parts: StringPart[] = [];
  for (const part of url.parts) {
    const cut = part.kind === 'text' ? part.text.search(/[?#]/) : -1;
    if (cut >= 0 && part.kind === 'text') {
      parts.push({ kind: 'text', text: part.text.slice(0, cut) });
      return { parts };
    }
    parts.push(part);
  }
  return { parts };
}

export function httpCallKey(fact: HttpCallFact, split: SplitUrl): string {
  return `${fact.method} ${split.path}`;
}

export function httpCallOperation(
  boundaryId: string,
  fact: HttpCallFact,
  split: SplitUrl,
): HttpCall {
  const idempotency = fact.headers.find((header) => /idempotency-key$/.test(header.name));
  return {
    id: `${boundaryId} ${httpCallKey(fact, split)}`,
    kind: 'http-call',
    method: fact.method,
    baseUrl: split.baseUrl,
    path: split.path,
    headers: fact.headers,
    ...(fact.timeoutMs ? { timeoutMs: fact.timeoutMs } : {}),
    ...(idempotency
      ? {
          idempotencyKey: {
            header: idempotency.name,
            value: idempotency.from ?? idempotency.source,
          },
        }
      : {}),
    ...(fact.retry ? { retry: fact.retry } : {}),
    outcomes: fact.outcomes,
    at: [fact.at],
  };
}

/** The text of a name; one set by a variable reads as its default, the variable kept beside it. */
function textOf(value: StaticString | undefined): string {
  const [only] = value?.parts ?? [];
  if (
    value?.parts.length === 1 &&
    only?.kind === 'hole' &&
    only.env &&
    only.default !== undefined
  ) {
    return only.default;
  }
  return value ? renderPattern(value) : '';
}

function envOf(value: StaticString | undefined): Configured | undefined {
  const [only] = value?.parts ?? [];
  if (value?.parts.length !== 1 || only?.kind !== 'hole' || !only.env) return undefined;
  return only.default === undefined ? { env: only.env } : { env: only.env, default: only.default };
}
