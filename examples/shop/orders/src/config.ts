// Configuration, read once from the environment at startup.

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; see examples/shop/.env.example`);
  return value;
}

function integer(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${name} must be a non-negative integer`);
  return value;
}

export function loadConfig() {
  return {
    port: integer('PORT', 3001),
    host: process.env.HOST ?? '127.0.0.1',
    databaseUrl: required('DATABASE_URL'),
    redisUrl: required('REDIS_URL'),
    amqpUrl: required('AMQP_URL'),
    amqpExchange: process.env.AMQP_EXCHANGE ?? 'shop.events',
    jwtSecret: required('JWT_SECRET'),
    inventoryBaseUrl: required('INVENTORY_BASE_URL'),
    inventoryTimeoutMs: integer('INVENTORY_TIMEOUT_MS', 2000),
    paymentsBaseUrl: required('PAYMENTS_BASE_URL'),
    paymentsApiKey: required('PAYMENTS_API_KEY'),
    paymentsTimeoutMs: integer('PAYMENTS_TIMEOUT_MS', 2000),
    paymentsMaxRetries: integer('PAYMENTS_MAX_RETRIES', 2),
    paymentsRetryBaseMs: integer('PAYMENTS_RETRY_BASE_MS', 100),
    orderCacheTtlSeconds: integer('ORDER_CACHE_TTL_SECONDS', 60),
  };
}

export type Config = ReturnType<typeof loadConfig>;
