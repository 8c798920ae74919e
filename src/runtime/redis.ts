// Redis from a test's side: read what the system cached, and delete the keys a test made.
import { Redis } from 'ioredis';

export class TestCache {
  private readonly redis: Redis;

  constructor(url: string) {
    this.redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  }

  async get(key: string): Promise<string | null> {
    return this.redis.get(key);
  }

  /** Seconds left to live; -1 without expiry, -2 when the key is absent. */
  async ttl(key: string): Promise<number> {
    return this.redis.ttl(key);
  }

  async exists(key: string): Promise<boolean> {
    return (await this.redis.exists(key)) === 1;
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length > 0) await this.redis.del(...keys);
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
