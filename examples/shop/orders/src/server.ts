// Starts the orders service with its real dependencies and stops it cleanly on SIGTERM/SIGINT.
import type { AddressInfo } from 'node:net';
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createApp } from './app.js';
import { createInventoryClient } from './clients/inventory.js';
import { createPaymentsClient } from './clients/payments.js';
import { loadConfig } from './config.js';
import { createEventPublisher } from './events.js';
import { createOrderCache } from './order-cache.js';
import { createOrdersRepository } from './orders-repository.js';

const config = loadConfig();
const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 10 });
// A dropped database connection is an 'error' on the client that held it, and an unheard 'error'
// ends the process. The query on it fails by itself and the pool opens a new connection.
pool.on('error', (error) => console.error('an idle database connection failed', error.message));
pool.on('connect', (client) =>
  client.on('error', (error) => console.error('a database connection failed', error.message)),
);
// A dead cache must not hang requests: fail fast and let reads fall through to the database.
const redis = new Redis(config.redisUrl, { commandTimeout: 500, maxRetriesPerRequest: 1 });
const connection = await amqp.connect(config.amqpUrl);
const channel = await connection.createConfirmChannel();
await channel.assertExchange(config.amqpExchange, 'topic', { durable: true });

const app = createApp({
  orders: createOrdersRepository(pool),
  cache: createOrderCache(redis, config.orderCacheTtlSeconds),
  events: createEventPublisher(channel, config.amqpExchange),
  inventory: createInventoryClient(config.inventoryBaseUrl, config.inventoryTimeoutMs),
  payments: createPaymentsClient({
    baseUrl: config.paymentsBaseUrl,
    apiKey: config.paymentsApiKey,
    timeoutMs: config.paymentsTimeoutMs,
    maxRetries: config.paymentsMaxRetries,
    retryBaseMs: config.paymentsRetryBaseMs,
  }),
  jwtSecret: config.jwtSecret,
});

const server = app.listen(config.port, config.host, (error?: Error) => {
  if (error) {
    const busy = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    const reason = busy ? 'the port is already in use' : error.message;
    console.error(`orders cannot listen on ${config.host}:${config.port}: ${reason}`);
    process.exit(1);
  }
  const { port } = server.address() as AddressInfo;
  console.log(`orders listening on http://${config.host}:${port}`);
});

// Ctrl-C in a terminal signals every process of the group, and a supervisor may send SIGTERM as
// well: the first signal starts the one shutdown, later ones change nothing.
let stopping = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`orders shutting down (${signal})`);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await channel.close().catch(() => undefined);
  await connection.close().catch(() => undefined);
  redis.disconnect();
  await pool.end();
  process.exit(0);
}

process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
