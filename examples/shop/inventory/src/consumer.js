// Releases the stock of cancelled orders. The message is acknowledged only after the release is
// committed; releasing is idempotent, so a redelivery is harmless. A message that cannot be read
// is dropped rather than requeued forever.
const { releaseForOrder } = require('./reservations');

async function startOrderCancelledConsumer({ connection, pool, config }) {
  const channel = await connection.createChannel();
  await channel.assertExchange(config.amqpExchange, 'topic', { durable: true });
  const { queue } = await channel.assertQueue(config.amqpQueue, { durable: true });
  await channel.bindQueue(queue, config.amqpExchange, 'order.cancelled');
  await channel.prefetch(10);

  await channel.consume(queue, async (message) => {
    if (!message) return;
    let event;
    try {
      event = JSON.parse(message.content.toString('utf8'));
    } catch {
      event = undefined;
    }
    if (!event || typeof event.orderId !== 'string') {
      console.error('dropping an order.cancelled message without an orderId');
      channel.nack(message, false, false);
      return;
    }
    try {
      await releaseForOrder(pool, event.orderId);
      channel.ack(message);
    } catch (error) {
      console.error(`releasing the reservation of order ${event.orderId} failed`, error);
      channel.nack(message, false, !message.fields.redelivered);
    }
  });

  return channel;
}

module.exports = { startOrderCancelledConsumer };
