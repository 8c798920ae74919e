// Configuration, read once from the environment at startup.

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; see examples/shop/.env.example`);
  return value;
}

function loadConfig() {
  return {
    port: Number(process.env.PORT ?? 3002),
    host: process.env.HOST ?? '127.0.0.1',
    databaseUrl: required('DATABASE_URL'),
    amqpUrl: required('AMQP_URL'),
    amqpExchange: process.env.AMQP_EXCHANGE ?? 'shop.events',
    amqpQueue: process.env.AMQP_QUEUE ?? 'inventory.order-cancelled',
    jwtSecret: required('JWT_SECRET'),
  };
}

module.exports = { loadConfig };
