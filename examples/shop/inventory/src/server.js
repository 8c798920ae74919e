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
  // A dropped database connection is an 'error' on the client that held it, and an unheard
  // 'error' ends the process. The query on it fails by itself and the pool opens a new one.
  pool.on('error', (error) => console.error('an idle database connection failed', error.message));
  pool.on('connect', (client) =>
    client.on('error', (error) => console.error('a database connection failed', error.message)),
  );
  const connection = await amqp.connect(config.amqpUrl);
  const channel = await startOrderCancelledConsumer({ connection, pool, config });
  const app = buildApp({ pool, config });
  let address;
  try {
    address = await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    if (error.code !== 'EADDRINUSE') throw error;
    console.error(
      `inventory cannot listen on ${config.host}:${config.port}: the port is already in use`,
    );
    process.exit(1);
  }
  console.log(`inventory listening on ${address}`);

  // Ctrl-C in a terminal signals every process of the group, and a supervisor may send SIGTERM
  // as well: the first signal starts the one shutdown, later ones change nothing.
  let stopping = false;
  const shutdown = async (signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`inventory shutting down (${signal})`);
    await app.close();
    await channel.close().catch(() => undefined);
    await connection.close().catch(() => undefined);
    await pool.end();
    process.exit(0);
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
