// Runs the shop on this machine against local PostgreSQL, Redis and RabbitMQ: creates the two
// databases if they are missing, applies migrations, seeds a few products, starts both services
// and stops them on Ctrl-C. The payments provider is not started: set PAYMENTS_BASE_URL to a
// sandbox (default http://127.0.0.1:4010).
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const shop = fileURLToPath(new URL('..', import.meta.url));
const adminUrl = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const databaseUrl = (name) => new URL(name, adminUrl.replace(/[^/]*$/, '')).toString();
const common = {
  ...process.env,
  AMQP_URL: process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
  JWT_SECRET: process.env.JWT_SECRET ?? 'local-development-secret',
};

async function createDatabases(names) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  for (const name of names) {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) await admin.query(`CREATE DATABASE ${name}`);
  }
  await admin.end();
}

function migrate(service, command, env) {
  const result = spawnSync(command[0], command.slice(1), {
    cwd: `${shop}/${service}`,
    env,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`migrating ${service} failed`);
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

function start(service, command, env) {
  const child = spawn(command[0], command.slice(1), {
    cwd: `${shop}/${service}`,
    env,
    stdio: 'inherit',
  });
  child.on('exit', (code, signal) => console.log(`${service} stopped (${signal ?? code})`));
  return child;
}

const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const inventoryEnv = { ...common, PORT: '3002', DATABASE_URL: databaseUrl('shop_inventory') };
const ordersEnv = {
  ...common,
  PORT: '3001',
  DATABASE_URL: databaseUrl('shop_orders'),
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  INVENTORY_BASE_URL: 'http://127.0.0.1:3002',
  PAYMENTS_BASE_URL: process.env.PAYMENTS_BASE_URL ?? 'http://127.0.0.1:4010',
  PAYMENTS_API_KEY: process.env.PAYMENTS_API_KEY ?? 'pk_test_local',
};

await createDatabases(['shop_orders', 'shop_inventory']);
migrate('inventory', ['node', 'src/migrate.js'], inventoryEnv);
migrate('orders', [tsx, 'src/migrate.ts'], ordersEnv);
await seedStock(inventoryEnv.DATABASE_URL);

const children = [
  start('inventory', ['node', 'src/server.js'], inventoryEnv),
  start('orders', [tsx, 'src/server.ts'], ordersEnv),
];
const stop = () => {
  for (const child of children) child.kill('SIGTERM');
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
