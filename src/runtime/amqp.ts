// RabbitMQ from a test's side: a temporary queue bound before the test acts, to see what the
// system published; publishing as another service would, to drive a consumer; and deleting the
// exchanges and queues a run declared.
import amqp from 'amqplib';

export interface CapturedMessage {
  routingKey: string;
  body: unknown;
  headers: Record<string, unknown>;
  messageId?: string;
  contentType?: string;
  persistent: boolean;
}

/** One connection per broker for a test process: a capture per test only opens a channel on it. */
const connections = new Map<string, Promise<amqp.ChannelModel>>();

function sharedConnection(url: string): Promise<amqp.ChannelModel> {
  let connection = connections.get(url);
  if (!connection) {
    connection = amqp.connect(url).then((opened) => {
      opened.on('error', () => undefined);
      opened.on('close', () => connections.delete(url));
      return opened;
    });
    connection.catch(() => connections.delete(url));
    connections.set(url, connection);
  }
  return connection;
}

/** Closes the connections captures shared; for the end of a test file. */
export async function closeSharedConnections(): Promise<void> {
  const open = [...connections.values()];
  connections.clear();
  for (const connection of open)
    await connection.then((opened) => opened.close()).catch(() => undefined);
}

export class MessageCapture {
  private readonly received: CapturedMessage[] = [];

  private constructor(private readonly channel: amqp.Channel) {}

  /** Binds an exclusive, self-deleting queue to `exchange` with `bindingKey` (all by default). */
  static async start(url: string, exchange: string, bindingKey = '#'): Promise<MessageCapture> {
    const connection = await sharedConnection(url);
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    await channel.assertExchange(exchange, 'topic', { durable: true });
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    await channel.bindQueue(queue, exchange, bindingKey);
    const capture = new MessageCapture(channel);
    await channel.consume(
      queue,
      (message) => {
        if (!message) return;
        const text = message.content.toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {}
        capture.received.push({
          routingKey: message.fields.routingKey,
          body,
          headers: (message.properties.headers ?? {}) as Record<string, unknown>,
          messageId: message.properties.messageId,
          contentType: message.properties.contentType,
          persistent: message.properties.deliveryMode === 2,
        });
      },
      { noAck: true },
    );
    return capture;
  }

  messages(routingKey?: string): CapturedMessage[] {
    return this.received.filter(
      (message) => routingKey === undefined || message.routingKey === routingKey,
    );
  }

  async stop(): Promise<void> {
    await this.channel.close().catch(() => undefined);
  }
}

/** Publishes one message the way a producer of the system would. */
export async function publishMessage(
  url: string,
  exchange: string,
  routingKey: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<void> {
  const connection = await amqp.connect(url);
  try {
    const channel = await connection.createConfirmChannel();
    await channel.assertExchange(exchange, 'topic', { durable: true });
    const content = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    channel.publish(exchange, routingKey, content, {
      persistent: true,
      contentType: 'application/json',
      headers,
    });
    await channel.waitForConfirms();
    await channel.close();
  } finally {
    await connection.close().catch(() => undefined);
  }
}

/** How many messages wait in a queue (0 when the queue is gone). */
export async function queueDepth(url: string, queue: string): Promise<number> {
  const connection = await amqp.connect(url);
  try {
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    const { messageCount } = await channel.checkQueue(queue);
    await channel.close();
    return messageCount;
  } catch {
    return 0;
  } finally {
    await connection.close().catch(() => undefined);
  }
}

/** Deletes exchanges and queues this run declared; a missing one is not an error. */
export async function deleteBrokerResources(
  url: string,
  resources: { exchanges: string[]; queues: string[] },
): Promise<void> {
  const connection = await amqp.connect(url);
  try {
    for (const queue of resources.queues) {
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      await channel.deleteQueue(queue).catch(() => undefined);
      await channel.close().catch(() => undefined);
    }
    for (const exchange of resources.exchanges) {
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      await channel.deleteExchange(exchange).catch(() => undefined);
      await channel.close().catch(() => undefined);
    }
  } finally {
    await connection.close().catch(() => undefined);
  }
}
