// A live run of the example system: both services started as the project starts them, against
// the real PostgreSQL, Redis and RabbitMQ of this machine, with only the third-party payments
// provider played by a local stub. One order is placed, read and cancelled end to end, and the
// run must leave no database, key, queue or exchange behind.
import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../src/runtime/eventually.js';
import { type PaymentsStub, startPaymentsStub } from '../support/payments-stub.js';
import { type RunningService, startService } from '../support/service-process.js';

const shop = fileURLToPath(new URL('../../examples/shop/', import.meta.url));
const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
const adminUrl = process.env.SEAMTEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.SEAMTEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const amqpUrl = process.env.SEAMTEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

const run = randomBytes(4).toString('hex');
const names = {
  ordersDb: `seamtest_smoke_${run}_orders`,
  inventoryDb: `seamtest_smoke_${run}_inventory`,
  exchange: `seamtest.smoke.${run}.events`,
  queue: `seamtest.smoke.${run}.inventory`,
  sku: `SMOKE-${run}`,
  // Reserved directly at inventory, so the order flow's stock figures are not disturbed.
  teaSku: `SMOKE-TEA-${run}`,
  kettleSku: `SMOKE-KETTLE-${run}`,
};
const jwtSecret = `smoke-secret-${run}`;
const customerId = `customer-${run}`;

const databaseUrl = (name: string) => {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
};

let admin: pg.Client;
let inventoryDb: pg.Client;
let ordersDb: pg.Client;
let redis: Redis;
let broker: amqp.ChannelModel;
const captured: amqp.ConsumeMessage[] = [];
let payments: PaymentsStub;
let services: RunningService[] = [];
let orders: RunningService;
let inventory: RunningService;
const createdKeys = new Set<string>();
let tornDown = false;

function token(scope: string): string {
  return jwt.sign({ sub: customerId, scope }, jwtSecret, { algorithm: 'HS256', expiresIn: '5m' });
}

/** Applies a service's migrations the way the project does: its own migrate script. */
function migrate(service: string, command: string, args: string[], database: string): void {
  const result = spawnSync(command, args, {
    cwd: `${shop}${service}`,
    env: { ...process.env, DATABASE_URL: databaseUrl(database) },
    encoding: 'utf8',
  });
  if (result.status !== 0)
    throw new Error(`${service} migration failed:\n${result.stdout}${result.stderr}`);
}

beforeAll(async () => {
  admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${names.ordersDb}`);
  await admin.query(`CREATE DATABASE ${names.inventoryDb}`);
  migrate('inventory', process.execPath, ['src/migrate.js'], names.inventoryDb);
  migrate('orders', tsx, ['src/migrate.ts'], names.ordersDb);

  inventoryDb = new pg.Client({ connectionString: databaseUrl(names.inventoryDb) });
  ordersDb = new pg.Client({ connectionString: databaseUrl(names.ordersDb) });
  await Promise.all([inventoryDb.connect(), ordersDb.connect()]);
  await inventoryDb.query(
    'INSERT INTO stock (sku, name, unit_price_cents, available) VALUES ($1, $2, $3, $4), ($5, $6, $7, $8), ($9, $10, $11, $12)',
    [
      names.sku,
      'Smoke-test mug',
      1250,
      5,
      names.teaSku,
      'Smoke-test tea',
      899,
      50,
      names.kettleSku,
      'Smoke-test kettle',
      4900,
      50,
    ],
  );

  redis = new Redis(redisUrl);
  broker = await amqp.connect(amqpUrl);
  const channel = await broker.createChannel();
  await channel.assertExchange(names.exchange, 'topic', { durable: true });
  // Bound before anything happens, so no message can be missed.
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  await channel.bindQueue(queue, names.exchange, 'order.*');
  await channel.consume(
    queue,
    (message) => {
      if (message) captured.push(message);
    },
    { noAck: true },
  );

  payments = await startPaymentsStub();
  const common = {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: '0',
    AMQP_URL: amqpUrl,
    AMQP_EXCHANGE: names.exchange,
    JWT_SECRET: jwtSecret,
  };
  inventory = await startService({
    name: 'inventory',
    command: process.execPath,
    args: ['src/server.js'],
    cwd: `${shop}inventory`,
    env: { ...common, DATABASE_URL: databaseUrl(names.inventoryDb), AMQP_QUEUE: names.queue },
  });
  services.push(inventory);
  orders = await startService({
    name: 'orders',
    command: tsx,
    args: ['src/server.ts'],
    cwd: `${shop}orders`,
    env: {
      ...common,
      DATABASE_URL: databaseUrl(names.ordersDb),
      REDIS_URL: redisUrl,
      INVENTORY_BASE_URL: inventory.url,
      PAYMENTS_BASE_URL: payments.url,
      PAYMENTS_API_KEY: `pk_test_${run}`,
    },
  });
  services.push(orders);
});

afterAll(async () => {
  await teardown();
});

/** Removes exactly what this run created; safe to call twice. */
async function teardown(): Promise<void> {
  if (tornDown) return;
  tornDown = true;
  await Promise.all(services.map((service) => service.stop()));
  services = [];
  await payments?.close();
  if (redis) {
    if (createdKeys.size > 0) await redis.del(...createdKeys);
    redis.disconnect();
  }
  if (broker) {
    const channel = await broker.createChannel();
    await channel.deleteQueue(names.queue);
    await channel.deleteExchange(names.exchange);
    await broker.close();
  }
  await Promise.all([inventoryDb?.end(), ordersDb?.end()]);
  if (admin) {
    await admin.query(`DROP DATABASE IF EXISTS ${names.ordersDb} WITH (FORCE)`);
    await admin.query(`DROP DATABASE IF EXISTS ${names.inventoryDb} WITH (FORCE)`);
    await admin.end();
  }
}

/** A 400 with the service's JSON error and nothing of its insides (no stack, no class names). */
async function expectJsonError(response: Response, code: string): Promise<void> {
  const text = await response.text();
  expect({ status: response.status, text }).toMatchObject({ status: 400 });
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(JSON.parse(text)).toMatchObject({ error: { code } });
  expect(text).not.toMatch(/\bat \S+ \(|node_modules|Error\b|FST_/);
}

/** POST /orders as a customer allowed to order, under a request id of the test's own. */
function placeOrder(requestId: string, order: Record<string, unknown>) {
  return fetch(`${orders.url}/orders`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token('orders:read orders:write inventory:reserve')}`,
      'content-type': 'application/json',
      'x-request-id': requestId,
    },
    body: JSON.stringify(order),
  });
}

function messages(routingKey: string) {
  return captured.filter((message) => message.fields.routingKey === routingKey);
}

describe('the shop, end to end', () => {
  const requestId = `smoke-${randomUUID()}`;
  let orderId: string;

  it('places an order through inventory, payments, PostgreSQL and RabbitMQ', async () => {
    const response = await placeOrder(requestId, {
      items: [{ sku: names.sku, quantity: 2 }],
      currency: 'EUR',
      note: 'smoke',
    });
    const body = (await response.json()) as Record<string, unknown>;
    expect(response.status, JSON.stringify(body)).toBe(201);
    expect(response.headers.get('x-request-id')).toBe(requestId);
    expect(body).toMatchObject({
      customerId,
      status: 'confirmed',
      currency: 'EUR',
      totalCents: 2500,
      note: 'smoke',
      items: [{ sku: names.sku, quantity: 2, unitPriceCents: 1250 }],
    });
    orderId = String(body.id);
    createdKeys.add(`order:${orderId}`);

    const stored = await ordersDb.query(
      'SELECT customer_id, status, total_cents, request_id FROM orders WHERE id = $1',
      [orderId],
    );
    expect(stored.rows).toEqual([
      { customer_id: customerId, status: 'confirmed', total_cents: 2500, request_id: requestId },
    ]);
    const items = await ordersDb.query(
      'SELECT sku, quantity, unit_price_cents FROM order_items WHERE order_id = $1',
      [orderId],
    );
    expect(items.rows).toEqual([{ sku: names.sku, quantity: 2, unit_price_cents: 1250 }]);

    // Inventory saw the caller's identity and request id, forwarded by orders.
    const reservation = await inventoryDb.query(
      'SELECT customer_id, request_id, status FROM reservations WHERE order_id = $1',
      [orderId],
    );
    expect(reservation.rows).toEqual([
      { customer_id: customerId, request_id: requestId, status: 'held' },
    ]);
    const stock = await inventoryDb.query('SELECT available, reserved FROM stock WHERE sku = $1', [
      names.sku,
    ]);
    expect(stock.rows).toEqual([{ available: 3, reserved: 2 }]);

    expect(payments.requests).toHaveLength(1);
    expect(payments.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/charges',
      headers: {
        'idempotency-key': orderId,
        'x-request-id': requestId,
        authorization: `Bearer pk_test_${run}`,
      },
      body: { amountCents: 2500, currency: 'EUR', reference: orderId, customerId },
    });

    const created = await eventually(async () => {
      const [message] = messages('order.created');
      if (!message) throw new Error('no order.created message yet');
      return message;
    });
    expect(created.properties.headers?.['x-request-id']).toBe(requestId);
    expect(JSON.parse(created.content.toString())).toMatchObject({
      orderId,
      customerId,
      totalCents: 2500,
      currency: 'EUR',
      items: [{ sku: names.sku, quantity: 2, unitPriceCents: 1250 }],
    });
  });

  it('answers a declined payment with 402 and gives the reserved stock back', async () => {
    const declinedRequestId = `smoke-declined-${randomUUID()}`;
    payments.declineNext();
    const response = await placeOrder(declinedRequestId, {
      items: [{ sku: names.sku, quantity: 1 }],
      currency: 'EUR',
    });
    expect(response.status).toBe(402);
    expect(await response.json()).toMatchObject({ error: { code: 'payment_declined' } });
    // The reservation made before the charge is released, and the stock is as it was.
    const reservation = await inventoryDb.query(
      'SELECT status FROM reservations WHERE request_id = $1',
      [declinedRequestId],
    );
    expect(reservation.rows).toEqual([{ status: 'released' }]);
    const stock = await inventoryDb.query('SELECT available, reserved FROM stock WHERE sku = $1', [
      names.sku,
    ]);
    expect(stock.rows).toEqual([{ available: 3, reserved: 2 }]);
    const stored = await ordersDb.query('SELECT id FROM orders WHERE request_id = $1', [
      declinedRequestId,
    ]);
    expect(stored.rows).toEqual([]);
  });

  it('reads the order back, the second time from the Redis cache', async () => {
    const read = () =>
      fetch(`${orders.url}/orders/${orderId}`, {
        headers: { authorization: `Bearer ${token('orders:read')}` },
      });
    const first = await read();
    expect(first.status).toBe(200);
    expect(await redis.exists(`order:${orderId}`)).toBe(1);
    const second = await read();
    expect(second.status).toBe(200);
    expect(await second.json()).toMatchObject({
      id: orderId,
      status: 'confirmed',
      totalCents: 2500,
    });
  });

  it('cancels the order: cache dropped, order.cancelled published, stock released by the consumer', async () => {
    const response = await fetch(`${orders.url}/orders/${orderId}/cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token('orders:write')}`, 'x-request-id': requestId },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: orderId, status: 'cancelled' });
    expect(await redis.exists(`order:${orderId}`)).toBe(0);

    const cancelled = await eventually(async () => {
      const [message] = messages('order.cancelled');
      if (!message) throw new Error('no order.cancelled message yet');
      return message;
    });
    expect(JSON.parse(cancelled.content.toString())).toMatchObject({ orderId });

    await eventually(async () => {
      const stock = await inventoryDb.query(
        'SELECT available, reserved FROM stock WHERE sku = $1',
        [names.sku],
      );
      expect(stock.rows).toEqual([{ available: 5, reserved: 0 }]);
    });
    const reservation = await inventoryDb.query(
      'SELECT status FROM reservations WHERE order_id = $1',
      [orderId],
    );
    expect(reservation.rows).toEqual([{ status: 'released' }]);
  });

  it('answers malformed JSON and ids that are not UUIDs with 400 and a JSON error, in both services', async () => {
    const asCustomer = { authorization: `Bearer ${token('orders:read orders:write')}` };
    const asService = { authorization: `Bearer ${token('inventory:reserve')}` };
    const json = { 'content-type': 'application/json' };

    await expectJsonError(
      await fetch(`${orders.url}/orders`, {
        method: 'POST',
        headers: { ...asCustomer, ...json },
        body: '{"items": [',
      }),
      'invalid_json',
    );
    await expectJsonError(
      await fetch(`${orders.url}/orders/not-a-uuid`, { headers: asCustomer }),
      'validation_failed',
    );
    await expectJsonError(
      await fetch(`${orders.url}/orders/%E0%A4%A`, { headers: asCustomer }),
      'validation_failed',
    );
    await expectJsonError(
      await fetch(`${orders.url}/orders/not-a-uuid/cancel`, {
        method: 'POST',
        headers: asCustomer,
      }),
      'validation_failed',
    );

    await expectJsonError(
      await fetch(`${inventory.url}/reservations`, {
        method: 'POST',
        headers: { ...asService, ...json },
        body: '{"orderId": ',
      }),
      'invalid_json',
    );
    await expectJsonError(
      await fetch(`${inventory.url}/reservations`, {
        method: 'POST',
        headers: { ...asService, ...json },
      }),
      'invalid_json',
    );
    await expectJsonError(
      await fetch(`${inventory.url}/reservations/not-a-uuid`, {
        method: 'DELETE',
        headers: asService,
      }),
      'validation_failed',
    );
    // What orders used to send: a JSON content-type on a DELETE without a body.
    await expectJsonError(
      await fetch(`${inventory.url}/reservations/${randomUUID()}`, {
        method: 'DELETE',
        headers: { ...asService, ...json },
      }),
      'invalid_json',
    );
  });

  it('reserves once per order: a repeated reservation answers the one already made', async () => {
    const reserve = (orderId: string, items: { sku: string; quantity: number }[]) =>
      fetch(`${inventory.url}/reservations`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token('inventory:reserve')}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ orderId, items }),
      });
    const stockOf = async (sku: string) =>
      (await inventoryDb.query('SELECT available, reserved FROM stock WHERE sku = $1', [sku]))
        .rows[0];
    const orderId = randomUUID();
    const items = [{ sku: names.teaSku, quantity: 2 }];

    const first = await reserve(orderId, items);
    const made = (await first.json()) as { reservationId: string };
    expect(first.status, JSON.stringify(made)).toBe(201);
    expect(made).toEqual({
      reservationId: expect.any(String),
      items: [{ sku: names.teaSku, quantity: 2, unitPriceCents: 899 }],
    });
    // A retry, then several at once: each gets the same reservation, and stock moves once.
    const again = await Promise.all(
      [1, 2, 3, 4].map(async () => {
        const response = await reserve(orderId, items);
        return { status: response.status, body: await response.json() };
      }),
    );
    expect(again).toEqual(Array(4).fill({ status: 201, body: made }));
    expect(await stockOf(names.teaSku)).toEqual({ available: 48, reserved: 2 });
    const rows = await inventoryDb.query('SELECT id FROM reservations WHERE order_id = $1', [
      orderId,
    ]);
    expect(rows.rows).toEqual([{ id: made.reservationId }]);

    // The same order id for other items is a conflict, not a second reservation.
    const other = await reserve(orderId, [{ sku: names.teaSku, quantity: 3 }]);
    expect(other.status).toBe(409);
    expect(await other.json()).toMatchObject({ error: { code: 'duplicate_reservation' } });
    expect(await stockOf(names.teaSku)).toEqual({ available: 48, reserved: 2 });

    // Racing reservations of one order for different products: one wins, the other is told so.
    for (let round = 0; round < 10; round++) {
      const racedOrder = randomUUID();
      const raced = await Promise.all([
        reserve(racedOrder, [{ sku: names.teaSku, quantity: 1 }]),
        reserve(racedOrder, [{ sku: names.kettleSku, quantity: 1 }]),
      ]);
      expect(raced.map((response) => response.status).sort()).toEqual([201, 409]);
    }
    const tea = await stockOf(names.teaSku);
    const kettle = await stockOf(names.kettleSku);
    expect(tea.reserved + kettle.reserved).toBe(2 + 10);
    expect(tea.available + tea.reserved + kettle.available + kettle.reserved).toBe(100);
  });

  it('leaves no database, key, queue or exchange behind', async () => {
    await teardown();
    const check = new pg.Client({ connectionString: adminUrl });
    await check.connect();
    const databases = await check.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [
      `seamtest_smoke_${run}%`,
    ]);
    await check.end();
    expect(databases.rows).toEqual([]);

    const keysClient = new Redis(redisUrl);
    const keys = await keysClient.keys(`order:${orderId}`);
    keysClient.disconnect();
    expect(keys).toEqual([]);

    const connection = await amqp.connect(amqpUrl);
    const exists = async (check: (channel: amqp.Channel) => Promise<unknown>) => {
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      try {
        await check(channel);
        await channel.close();
        return true;
      } catch {
        return false;
      }
    };
    expect(await exists((channel) => channel.checkQueue(names.queue))).toBe(false);
    expect(await exists((channel) => channel.checkExchange(names.exchange))).toBe(false);
    await connection.close();
  });
});
