// Domain events, published to a RabbitMQ topic exchange on a confirm channel: a publish only
// resolves once the broker has the message.
import type { ConfirmChannel } from 'amqplib';

export function createEventPublisher(channel: ConfirmChannel, exchange: string) {
  async function publish(routingKey: string, messageId: string, body: unknown, requestId: string) {
    channel.publish(exchange, routingKey, Buffer.from(JSON.stringify(body)), {
      persistent: true,
      contentType: 'application/json',
      messageId,
      headers: { 'x-request-id': requestId },
    });
    await channel.waitForConfirms();
  }

  return {
    orderCreated: (event: { orderId: string } & Record<string, unknown>, requestId: string) =>
      publish('order.created', event.orderId, event, requestId),
    orderCancelled: (event: { orderId: string } & Record<string, unknown>, requestId: string) =>
      publish('order.cancelled', event.orderId, event, requestId),
  };
}

export type EventPublisher = ReturnType<typeof createEventPublisher>;
