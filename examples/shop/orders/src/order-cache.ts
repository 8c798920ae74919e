// Cache-aside for single orders in Redis. The cache is an optimisation: when Redis fails, reads
// fall through to the database, writes are skipped and a missed invalidation expires with the TTL.
import type { Redis } from 'ioredis';
import type { Order } from './orders-repository.js';

export function createOrderCache(redis: Redis, ttlSeconds: number) {
  return {
    async get(id: string): Promise<Order | undefined> {
      try {
        const cached = await redis.get(`order:${id}`);
        return cached ? (JSON.parse(cached) as Order) : undefined;
      } catch (error) {
        console.error('order cache read failed', error);
        return undefined;
      }
    },

    async set(order: Order): Promise<void> {
      try {
        await redis.set(`order:${order.id}`, JSON.stringify(order), 'EX', ttlSeconds);
      } catch (error) {
        console.error('order cache write failed', error);
      }
    },

    /** A failed invalidation leaves a stale entry for at most the TTL; the cancel stands. */
    async invalidate(id: string): Promise<void> {
      try {
        await redis.del(`order:${id}`);
      } catch (error) {
        console.error('order cache invalidation failed', error);
      }
    },
  };
}

export type OrderCache = ReturnType<typeof createOrderCache>;
