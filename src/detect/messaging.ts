// Messaging other than RabbitMQ: NATS subjects, MQTT topics, Kafka topics (kafkajs), Redis
// pub/sub channels and BullMQ queues. What is published where, and what is consumed where with
// the handler that runs for each message.
import type * as TS from 'typescript';
import { ts } from '../typescript.js';
import { methodCall, nameOf, propertyOf } from './analysis/calls.js';
import { nodesOfKinds } from './analysis/file-nodes.js';
import type { StaticString } from './analysis/strings.js';
import { unwrap } from './analysis/values.js';
import type { DetectContext, Detector } from './types.js';

/** The only kinds of node `visit` reads. */
const VISITED = new Set([ts.SyntaxKind.CallExpression, ts.SyntaxKind.NewExpression]);

export const MESSAGING_LIBRARIES = ['nats', 'mqtt', 'kafkajs', 'bullmq', 'ioredis', 'redis'];

export const messagingDetector: Detector = {
  name: 'messaging',
  enabledBy: MESSAGING_LIBRARIES,
  detect(ctx) {
    const visit = (node: TS.Node): void => {
      const call = methodCall(node);
      if (call) readCall(ctx, call.call, call.method, call.receiver);
      if (ts.isNewExpression(node)) readBullmq(ctx, node);
    };
    for (const node of nodesOfKinds(ctx.file.ast, VISITED)) visit(node);
  },
};

function libraryOf(
  ctx: DetectContext,
  receiver: TS.Expression,
): { module: string; path: string[] } | undefined {
  const value = ctx.values.valueOf(receiver);
  return value?.kind === 'library' && MESSAGING_LIBRARIES.includes(value.module)
    ? value
    : undefined;
}

function readCall(
  ctx: DetectContext,
  call: TS.CallExpression,
  method: string,
  receiver: TS.Expression,
): void {
  const library = libraryOf(ctx, receiver);
  if (!library) return;
  const [first, second] = call.arguments;
  const subjectOf = (argument: TS.Expression | undefined) =>
    argument ? ctx.strings.evaluate(argument) : undefined;
  const publish = (subject: StaticString | undefined) =>
    subject &&
    ctx.report({
      kind: 'publish',
      library: library.module,
      subject,
      headers: [],
      node: nameOf(call),
    });
  const consume = (subject: StaticString | undefined, handler: TS.Expression | undefined) =>
    subject &&
    ctx.report({
      kind: 'consume',
      library: library.module,
      subject,
      handler,
      ack: 'auto',
      outcomes: [],
      node: nameOf(call),
    });
  switch (library.module) {
    case 'nats':
      if (method === 'publish' || method === 'request') publish(subjectOf(first));
      if (method === 'subscribe')
        consume(subjectOf(first), propertyOf(second && unwrap(second), 'callback'));
      return;
    case 'mqtt':
      if (method === 'publish') publish(subjectOf(first));
      if (method === 'subscribe') consume(subjectOf(first), messageListener(ctx, receiver));
      return;
    case 'kafkajs':
      if (method === 'send') publish(subjectOf(propertyOf(first && unwrap(first), 'topic')));
      if (method === 'subscribe') {
        const options = first && unwrap(first);
        const topics = propertyOf(options, 'topics');
        const each =
          topics && ts.isArrayLiteralExpression(unwrap(topics))
            ? [...(unwrap(topics) as TS.ArrayLiteralExpression).elements]
            : [];
        for (const topic of [propertyOf(options, 'topic'), ...each])
          consume(subjectOf(topic), kafkaHandler(ctx, receiver));
      }
      return;
    default:
      // Redis pub/sub (ioredis, node-redis).
      if (method === 'publish' && call.arguments.length === 2) publish(subjectOf(first));
      if (method === 'subscribe' || method === 'pSubscribe' || method === 'psubscribe') {
        consume(
          subjectOf(first),
          second && !ts.isObjectLiteralExpression(second) ? second : messageListener(ctx, receiver),
        );
      }
  }
}

/** `client.on('message', handler)` on the same client: what runs for each message. */
function messageListener(ctx: DetectContext, receiver: TS.Expression): TS.Expression | undefined {
  const name = unwrap(receiver).getText();
  let found: TS.Expression | undefined;
  const visit = (node: TS.Node): void => {
    const call = methodCall(node);
    if (call?.method === 'on' && call.receiver.getText() === name && call.call.arguments[0]) {
      const event = ctx.strings.literal(call.call.arguments[0]);
      if (event === 'message' || event === 'pmessage') found = call.call.arguments[1];
    }
    if (!found) ts.forEachChild(node, visit);
  };
  visit(ctx.file.ast);
  return found;
}

/** `consumer.run({ eachMessage })` on the same consumer. */
function kafkaHandler(ctx: DetectContext, receiver: TS.Expression): TS.Expression | undefined {
  const name = unwrap(receiver).getText();
  let found: TS.Expression | undefined;
  const visit = (node: TS.Node): void => {
    const call = methodCall(node);
    if (call?.method === 'run' && call.receiver.getText() === name) {
      const options = call.call.arguments[0] && unwrap(call.call.arguments[0]);
      found = propertyOf(options, 'eachMessage') ?? propertyOf(options, 'eachBatch');
    }
    if (!found) ts.forEachChild(node, visit);
  };
  visit(ctx.file.ast);
  return found;
}

/** BullMQ: `new Queue('emails')` then `queue.add(…)` publishes; `new Worker('emails', handler)` consumes. */
function readBullmq(ctx: DetectContext, node: TS.NewExpression): void {
  const value = ctx.values.valueOf(node.expression);
  if (value?.kind !== 'library' || value.module !== 'bullmq') return;
  const [name, handler] = node.arguments ?? [];
  const subject = name && ctx.strings.evaluate(name);
  if (!subject) return;
  if (value.path.join('.') === 'Worker') {
    ctx.report({
      kind: 'consume',
      library: 'bullmq',
      subject,
      handler,
      ack: 'auto',
      outcomes: [],
      node,
    });
    return;
  }
  if (value.path.join('.') !== 'Queue') return;
  // Each `queue.add()` on this queue publishes a job to it.
  const holder = node.parent;
  if (!ts.isVariableDeclaration(holder) || !ts.isIdentifier(holder.name)) return;
  const queueName = holder.name.text;
  const visit = (child: TS.Node): void => {
    const call = methodCall(child);
    if (
      (call?.method === 'add' || call?.method === 'addBulk') &&
      call.receiver.getText() === queueName
    ) {
      ctx.report({
        kind: 'publish',
        library: 'bullmq',
        subject,
        headers: [],
        node: nameOf(call.call),
      });
    }
    ts.forEachChild(child, visit);
  };
  visit(node.getSourceFile());
}
