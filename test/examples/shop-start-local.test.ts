// examples/shop/scripts/start-local.mjs as a developer runs it: in a terminal, stopped with
// Ctrl-C, which the terminal delivers to its whole foreground process group. Each run gets its
// own databases, ports, exchange and queue, and leaves none of them behind.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import amqp from 'amqplib';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../../src/runtime/eventually.js';

const shop = fileURLToPath(new URL('../../examples/shop/', import.meta.url));
const adminUrl = process.env.SEAMTEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.SEAMTEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const amqpUrl = process.env.SEAMTEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

const run = randomBytes(4).toString('hex');
const names = {
  exchange: `seamtest.local.${run}.events`,
  queue: `seamtest.local.${run}.inventory`,
};
const databases: string[] = [];
const launched: ChildProcess[] = [];
const held: Server[] = [];

interface Launch {
  child: ChildProcess;
  output: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** A port nothing listens on, kept open (and so busy) when `hold` is set. */
async function port(hold = false): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  if (hold) held.push(server);
  else await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts the script as a terminal would: the leader of a process group of its own. */
function launch(tag: string, ports: { orders: number; inventory: number }): Launch {
  const ordersDb = `seamtest_local_${run}_${tag}_orders`;
  const inventoryDb = `seamtest_local_${run}_${tag}_inventory`;
  databases.push(ordersDb, inventoryDb);
  const child = spawn(process.execPath, ['scripts/start-local.mjs'], {
    cwd: shop,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PG_ADMIN_URL: adminUrl,
      REDIS_URL: redisUrl,
      AMQP_URL: amqpUrl,
      AMQP_EXCHANGE: names.exchange,
      AMQP_QUEUE: names.queue,
      JWT_SECRET: `local-secret-${run}`,
      SHOP_ORDERS_DB: ordersDb,
      SHOP_INVENTORY_DB: inventoryDb,
      SHOP_ORDERS_PORT: String(ports.orders),
      SHOP_INVENTORY_PORT: String(ports.inventory),
    },
  });
  launched.push(child);
  let output = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, output: () => output, stderr: () => stderr, exited };
}

function exitWithin(launch: Launch, ms: number): Promise<number | null | 'still running'> {
  return Promise.race([
    launch.exited,
    new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), ms)),
  ]);
}

function count(text: string, pattern: RegExp): number {
  return text.match(new RegExp(pattern, 'g'))?.length ?? 0;
}

afterAll(async () => {
  for (const child of launched) {
    try {
      if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  await Promise.all(held.map((server) => new Promise((resolve) => server.close(resolve))));
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  for (const name of databases) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
  const broker = await amqp.connect(amqpUrl);
  const channel = await broker.createChannel();
  await channel.deleteQueue(names.queue);
  await channel.deleteExchange(names.exchange);
  await broker.close();
});

describe('npm run start:local (examples/shop/scripts/start-local.mjs)', () => {
  it('stops each service exactly once on Ctrl-C and exits cleanly', async () => {
    const shop = launch('ctrlc', { orders: await port(), inventory: await port() });
    await eventually(
      async () => {
        if (shop.child.exitCode !== null) throw new Error(`exited early:\n${shop.output()}`);
        expect(count(shop.output(), /listening on http/)).toBe(2);
      },
      { timeout: 45_000, interval: 100 },
    );

    // Ctrl-C: the terminal sends SIGINT to every process in the foreground group.
    if (!shop.child.pid) throw new Error('no pid');
    process.kill(-shop.child.pid, 'SIGINT');
    const code = await exitWithin(shop, 15_000);
    const output = shop.output();
    expect({ code, output }).toMatchObject({ code: 0 });
    expect(count(output, /orders stopped \(0\)/), output).toBe(1);
    expect(count(output, /inventory stopped \(0\)/), output).toBe(1);
    // Each service ran its shutdown once, though a terminal's Ctrl-C may reach it twice.
    expect(count(output, /orders shutting down/), output).toBe(1);
    expect(count(output, /inventory shutting down/), output).toBe(1);
    expect(output).not.toMatch(/Error|\bat \S+ \(/);
  });

  it('says in one line that a port is busy, and starts nothing', async () => {
    const busy = await port(true);
    const shop = launch('busy', { orders: busy, inventory: await port() });
    const code = await exitWithin(shop, 20_000);
    expect({ code, output: shop.output() }).toMatchObject({ code: 1 });
    const lines = shop.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`port ${busy}\\b.*already in use`));
    expect(shop.output()).not.toMatch(/listening on/);

    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    const created = await admin.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [
      `seamtest_local_${run}_busy_%`,
    ]);
    await admin.end();
    expect(created.rows).toEqual([]);
    // No process of its group outlives the script.
    const pid = shop.child.pid as number;
    expect(() => process.kill(-pid, 0)).toThrow();
  });
});
