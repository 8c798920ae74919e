// Redis through ioredis or node-redis: the command, whether it reads, writes or deletes, the key
// pattern (`order:${id}` → 'order:{id}') and the TTL set with it.
import type * as TS from 'typescript';
import { ts } from '../typescript.js';
import { methodCall, nameOf, propertyOf } from './analysis/calls.js';
import { callExpressionsOf } from './analysis/file-nodes.js';
import { configured } from './configured.js';
import type { Configured, DetectContext, Detector } from './types.js';

const ACCESS: Record<string, 'read' | 'write' | 'delete'> = {
  GET: 'read',
  MGET: 'read',
  HGET: 'read',
  HGETALL: 'read',
  HMGET: 'read',
  EXISTS: 'read',
  TTL: 'read',
  SMEMBERS: 'read',
  SISMEMBER: 'read',
  ZRANGE: 'read',
  LRANGE: 'read',
  SET: 'write',
  SETEX: 'write',
  SETNX: 'write',
  MSET: 'write',
  HSET: 'write',
  HMSET: 'write',
  HINCRBY: 'write',
  INCR: 'write',
  INCRBY: 'write',
  DECR: 'write',
  EXPIRE: 'write',
  LPUSH: 'write',
  RPUSH: 'write',
  SADD: 'write',
  ZADD: 'write',
  GETDEL: 'delete',
  DEL: 'delete',
  UNLINK: 'delete',
  HDEL: 'delete',
  SREM: 'delete',
  ZREM: 'delete',
  LPOP: 'delete',
  RPOP: 'delete',
};

const LIBRARIES = new Set(['ioredis', 'redis', '@redis/client']);

export const redisDetector: Detector = {
  name: 'redis',
  enabledBy: [...LIBRARIES],
  detect(ctx) {
    const visit = (node: TS.Node): void => {
      const call = methodCall(node);
      const command = call?.method.toUpperCase();
      if (call && command && command in ACCESS) {
        const library = redisLibrary(ctx, call.receiver);
        if (library) report(ctx, call.call, command, library);
      }
    };
    for (const node of callExpressionsOf(ctx.file.ast)) visit(node);
  },
};

/**
 * The library behind a receiver. A receiver whose value cannot be followed (a property of an
 * untyped object) still counts when its name says it is the cache.
 */
function redisLibrary(ctx: DetectContext, receiver: TS.Expression): string | undefined {
  const value = ctx.values.valueOf(receiver);
  if (value?.kind === 'library') return LIBRARIES.has(value.module) ? value.module : undefined;
  if (value) return undefined;
  const name = ts.isPropertyAccessExpression(receiver) ? receiver.name.text : receiver.getText();
  return /redis|cache/i.test(name) ? 'ioredis' : undefined;
}

function report(
  ctx: DetectContext,
  call: TS.CallExpression,
  command: string,
  library: string,
): void {
  const [keyArgument] = call.arguments;
  if (!keyArgument) return;
  // A caching helper given the key (`cached(key, ttl, load)`) runs one command per caller's key;
  // each is placed at its caller, so the route that calls the helper is the one that causes it.
  const variants = ctx.strings.variants(keyArgument);
  if (variants.length === 0) {
    ctx.unrecognised(
      'dynamic-cache-key',
      `cache key \`${keyArgument.getText()}\` is computed`,
      keyArgument,
    );
    return;
  }
  for (const variant of variants) {
    const ttlSeconds = ctx.strings.within(variant, () => ttlOf(ctx, command, call.arguments));
    const site = variant.site && ts.isCallExpression(variant.site) ? variant.site : undefined;
    ctx.report({
      kind: 'cache',
      library,
      command,
      access: ACCESS[command] ?? 'read',
      key: variant.value,
      ...(ttlSeconds ? { ttlSeconds } : {}),
      node: site ? site.expression : nameOf(call),
    });
  }
}

/** `set(k, v, 'EX', ttl)`, `setex(k, ttl, v)`, node-redis `set(k, v, { EX: ttl })`. */
function ttlOf(
  ctx: DetectContext,
  command: string,
  args: readonly TS.Expression[],
): Configured | undefined {
  if (command === 'SETEX' && args[1]) return configured(ctx, args[1]);
  if (command !== 'SET') return undefined;
  const options = args[2];
  const fromObject = propertyOf(options, 'EX');
  if (fromObject) return configured(ctx, fromObject);
  if (options && ctx.strings.literal(options)?.toUpperCase() === 'EX' && args[3]) {
    return configured(ctx, args[3]);
  }
  return undefined;
}
