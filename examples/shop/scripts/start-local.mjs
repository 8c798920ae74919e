// Runs the shop on this machine against local PostgreSQL, Redis and RabbitMQ: creates the two
// databases if they are missing, applies migrations, seeds a few products, starts both services
// and stops them on Ctrl-C. The payments provider is not started: set PAYMENTS_BASE_URL to a
// sandbox (default http://127.0.0.1:4010). SHOP_ORDERS_PORT and SHOP_INVENTORY_PORT (3001, 3002),
// SHOP_ORDERS_DB and SHOP_INVENTORY_DB (shop_orders, shop_inventory) move it aside.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const shop = fileURLToPath(new URL('..', import.meta.url));
const adminUrl = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const databaseUrl = (name) => new URL(name, adminUrl.replace(/[^/]*$/, '')).toString();
const host = process.env.HOST ?? '127.0.0.1';
const ports = {
  orders: process.env.SHOP_ORDERS_PORT ?? '3001',
  inventory: process.env.SHOP_INVENTORY_PORT ?? '3002',
};
const databases = {
  orders: process.env.SHOP_ORDERS_DB ?? 'shop_orders',
  inventory: process.env.SHOP_INVENTORY_DB ?? 'shop_inventory',
};
const common = {
  ...process.env,
  AMQP_URL: process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
  JWT_SECRET: process.env.JWT_SECRET ?? 'local-development-secret',
};

/** A failure that one line explains; anything else is shown with its stack. */
class StartError extends Error {}

/** Fails with one clear line when something already listens where a service is to listen. */
function checkPortFree(service, port, variable) {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error) => {
      if (error.code !== 'EADDRINUSE') return reject(error);
      reject(
        new StartError(
          `port ${port} on ${host} (${service}) is already in use: stop what listens there or set ${variable}`,
        ),
      );
    });
    probe.listen(Number(port), host, () => probe.close(() => resolve()));
  });
}

async function createDatabases(names) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  for (const name of names) {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
  }
  await admin.end();
}

function migrate(service, command, env) {
  const result = spawnSync(command[0], command.slice(1), {
    cwd: `${shop}/${service}`,
    env,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new StartError(`migrating ${service} failed`);
}

async function seedStock(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(
    `INSERT INTO stock (sku, name, unit_price_cents, available) VALUES
       ('MUG-01', 'Enamel mug', 1250, 40), ('TEA-01', 'Loose-leaf tea', 899, 25), ('KETTLE-01', 'Kettle', 4900, 3)
     ON CONFLICT (sku) DO NOTHING`,
  );
  await client.end();
}

// The services run in process groups of their own, so Ctrl-C reaches only this script, which
// asks each service to stop exactly once (SIGTERM). A second Ctrl-C kills what is still running.
const running = new Map();
let stopping = false;

function start(service, command, env) {
  const child = spawn(command[0], command.slice(1), {
    cwd: `${shop}/${service}`,
    env,
    stdio: 'inherit',
    detached: true,
  });
  running.set(service, child);
  child.on('exit', (code, signal) => {
    running.delete(service);
    console.log(`${service} stopped (${signal ?? code})`);
    if (code !== 0) process.exitCode = 1;
    // A service that stops by itself takes the others down with it.
    if (!stopping) stop();
    if (running.size === 0) process.exit();
  });
}

function stop() {
  if (stopping) {
    for (const child of running.values()) child.kill('SIGKILL');
    return;
  }
  stopping = true;
  for (const child of running.values()) child.kill('SIGTERM');
}

const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const inventoryEnv = {
  ...common,
  PORT: ports.inventory,
  DATABASE_URL: databaseUrl(databases.inventory),
};
const ordersEnv = {
  ...common,
  PORT: ports.orders,
  DATABASE_URL: databaseUrl(databases.orders),
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  INVENTORY_BASE_URL: `http://127.0.0.1:${ports.inventory}`,
  PAYMENTS_BASE_URL: process.env.PAYMENTS_BASE_URL ?? 'http://127.0.0.1:4010',
  PAYMENTS_API_KEY: process.env.PAYMENTS_API_KEY ?? 'pk_test_local',
};

try {
  await checkPortFree('orders', ports.orders, 'SHOP_ORDERS_PORT');
  await checkPortFree('inventory', ports.inventory, 'SHOP_INVENTORY_PORT');
  await createDatabases([databases.orders, databases.inventory]);
  migrate('inventory', [process.execPath, 'src/migrate.js'], inventoryEnv);
  migrate('orders', [tsx, 'src/migrate.ts'], ordersEnv);
  await seedStock(inventoryEnv.DATABASE_URL);
} catch (error) {
  if (!(error instanceof StartError)) throw error;
  console.error(`start-local: ${error.message}`);
  process.exit(1);
}

start('inventory', [process.execPath, 'src/server.js'], inventoryEnv);
start('orders', [tsx, 'src/server.ts'], ordersEnv);
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
process.on('SIGHUP', stop);
// Detached services would outlive this script if it crashed; make sure they do not.
process.on('exit', () => {
  for (const child of running.values()) child.kill('SIGTERM');
});
