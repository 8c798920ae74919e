// Starts the inventory service (HTTP and the order.cancelled consumer) with its real
// dependencies, and stops both cleanly on SIGTERM/SIGINT.
const amqp = require('amqplib');
const { Pool } = require('pg');
const { buildApp } = require('./app');
const { loadConfig } = require('./config');
const { startOrderCancelledConsumer } = require('./consumer');

async function main() {
  const config = loadConfig();
  const pool = new Pool({ connectionString: config.databaseUrl, max: 10 });
  const connection = await amqp.connect(config.amqpUrl);
  const channel = await startOrderCancelledConsumer({ connection, pool, config });
  const app = buildApp({ pool, config });
  const address = await app.listen({ port: config.port, host: config.host });
  console.log(`inventory listening on ${address}`);

  const shutdown = async () => {
    await app.close();
    await channel.close().catch(() => undefined);
    await connection.close().catch(() => undefined);
    await pool.end();
    process.exit(0);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
