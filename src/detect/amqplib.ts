// RabbitMQ through amqplib: exchanges declared, messages published (exchange, routing key,
// headers, persistence, publisher confirms), queues bound and consumed (ack mode, handler).
import type * as TS from 'typescript';
import { ts } from '../typescript.js';
import { methodCall, nameOf, propertyOf } from './analysis/calls.js';
import { callExpressionsOf } from './analysis/file-nodes.js';
import { byWhen } from './analysis/outcomes.js';
import { findDeclaration } from './analysis/scope.js';
import type { StaticString, StringVariant } from './analysis/strings.js';
import { unwrap } from './analysis/values.js';
import { sentHeaders } from './sent-headers.js';
import type { ConsumeOutcome, DetectContext, Detector, Shape } from './types.js';

export const amqplibDetector: Detector = {
  name: 'amqplib',
  enabledBy: ['amqplib', 'amqp-connection-manager'],
  detect(ctx) {
    const visit = (node: TS.Node): void => {
      const call = methodCall(node);
      if (call && CHANNEL_METHODS.has(call.method)) {
        const channel = channelKind(ctx, call.receiver);
        if (channel) readChannelCall(ctx, call.call, call.method, channel);
      }
    };
    for (const node of callExpressionsOf(ctx.file.ast)) visit(node);
  },
};

const CHANNEL_METHODS = new Set([
  'publish',
  'sendToQueue',
  'assertExchange',
  'bindQueue',
  'consume',
]);

type ChannelKind = 'plain' | 'confirm';

function channelKind(ctx: DetectContext, receiver: TS.Expression): ChannelKind | undefined {
  const value = ctx.values.valueOf(receiver);
  if (value?.kind === 'library') {
    if (value.module !== 'amqplib' && value.module !== 'amqp-connection-manager') return undefined;
    return value.path.some((step) => step === 'createConfirmChannel' || step === 'ConfirmChannel')
      ? 'confirm'
      : 'plain';
  }
  if (value) return undefined;
  const name = ts.isPropertyAccessExpression(receiver) ? receiver.name.text : receiver.getText();
  return /channel/i.test(name) ? 'plain' : undefined;
}

function readChannelCall(
  ctx: DetectContext,
  call: TS.CallExpression,
  method: string,
  channel: ChannelKind,
) {
  const args = call.arguments;
  const node = nameOf(call);
  const text = (argument: TS.Expression | undefined) =>
    argument ? ctx.strings.evaluate(argument) : undefined;
  switch (method) {
    case 'publish':
    case 'sendToQueue': {
      const toQueue = method === 'sendToQueue';
      const options = args[toQueue ? 2 : 3];
      const exchange: StaticString | undefined = toQueue
        ? { parts: [{ kind: 'text', text: '' }] }
        : text(args[0]);
      const keyArgument = toQueue ? args[0] : args[1];
      const persistent = propertyOf(options, 'persistent');
      const headers = sentHeaders(ctx, propertyOf(options, 'headers'));
      const content = args[toQueue ? 1 : 2];
      // A routing key passed into a shared publish helper is one publish per caller.
      const keys = keyArgument ? ctx.strings.variants(keyArgument) : [];
      const variants: StringVariant[] = keys.length > 0 ? keys : [{ value: { parts: [] } }];
      for (const variant of variants) {
        const { site } = variant;
        const routingKey = keys.length > 0 ? variant.value : undefined;
        const message = content && ctx.strings.within(variant, () => messageShape(ctx, content));
        ctx.report({
          kind: 'publish',
          library: 'amqplib',
          ...(exchange ? { exchange } : {}),
          ...(routingKey ? { routingKey } : {}),
          headers,
          ...(message ? { message } : {}),
          ...(persistent ? { persistent: persistent.kind === ts.SyntaxKind.TrueKeyword } : {}),
          confirmed: channel === 'confirm',
          node: site ? nameOf(site) : node,
        });
      }
      return;
    }
    case 'assertExchange': {
      const name = text(args[0]);
      const type = args[1] ? ctx.strings.literal(args[1]) : undefined;
      ctx.report({ kind: 'exchange', ...(name ? { name } : {}), type: type ?? 'direct', node });
      return;
    }
    case 'bindQueue': {
      const queue = queueName(ctx, args[0]);
      const exchange = text(args[1]);
      // `for (const key of ['a', 'b']) bindQueue(q, ex, key)` binds each key.
      const looped = args[2] ? loopValues(ctx, args[2]) : undefined;
      const patterns = looped ?? [text(args[2])];
      for (const pattern of patterns) {
        ctx.report({
          kind: 'binding',
          ...(queue ? { queue } : {}),
          ...(exchange ? { exchange } : {}),
          ...(pattern ? { pattern } : {}),
          node,
        });
      }
      return;
    }
    case 'consume': {
      const queue = queueName(ctx, args[0]);
      const noAck = propertyOf(args[2], 'noAck');
      ctx.report({
        kind: 'consume',
        library: 'amqplib',
        ...(queue ? { queue } : {}),
        handler: args[1],
        ack: noAck?.kind === ts.SyntaxKind.TrueKeyword ? 'auto' : 'manual',
        outcomes: args[1] ? consumeOutcomes(ctx, args[1]) : [],
        node,
      });
      return;
    }
  }
}

/**
 * A queue name, followed back to the `assertQueue(name)` that declared it: through
 * `const { queue } = await channel.assertQueue(name)` or `const q = …; q.queue`.
 */
function queueName(
  ctx: DetectContext,
  argument: TS.Expression | undefined,
): StaticString | undefined {
  if (!argument) return undefined;
  const direct = ctx.strings.evaluate(argument);
  if (direct) return direct;
  const expression = unwrap(argument);
  let source: TS.Expression | undefined;
  if (ts.isPropertyAccessExpression(expression) && expression.name.text === 'queue') {
    source = expression.expression;
  } else if (ts.isIdentifier(expression)) {
    const declaration = findDeclaration(expression, ctx.file.imports);
    if (declaration?.kind === 'variable' && declaration.path.join('.') === 'queue') {
      source = declaration.node.initializer;
    }
  }
  const unwrapped = source && unwrap(source);
  const held =
    unwrapped && ts.isIdentifier(unwrapped) ? constantInitializer(ctx, unwrapped) : unwrapped;
  const assert = held && methodCall(unwrap(held));
  if (assert?.method !== 'assertQueue') return undefined;
  const [nameArgument] = assert.call.arguments;
  const name = nameArgument ? ctx.strings.evaluate(nameArgument) : undefined;
  // No name, or an empty one, asks the broker to make one up: `amq.gen-…`.
  const empty = !nameArgument || name?.parts.every((part) => part.kind === 'text' && !part.text);
  return empty ? SERVER_NAMED : name;
}

const SERVER_NAMED: StaticString = {
  parts: [
    { kind: 'text', text: 'amq.gen-' },
    { kind: 'hole', name: 'generated' },
  ],
};

function constantInitializer(
  ctx: DetectContext,
  identifier: TS.Identifier,
): TS.Expression | undefined {
  const declaration = findDeclaration(identifier, ctx.file.imports);
  return declaration?.kind === 'variable' && declaration.path.length === 0
    ? declaration.node.initializer
    : undefined;
}

/** The values a `for (const x of [...])` variable takes, when the list is written out. */
function loopValues(
  ctx: DetectContext,
  argument: TS.Expression,
): (StaticString | undefined)[] | undefined {
  const expression = unwrap(argument);
  if (!ts.isIdentifier(expression)) return undefined;
  const declaration = findDeclaration(expression, ctx.file.imports);
  const list = declaration?.kind === 'variable' ? declaration.node.parent : undefined;
  const loop = list?.parent;
  if (!loop || !ts.isForOfStatement(loop)) return undefined;
  let items = unwrap(loop.expression);
  if (ts.isIdentifier(items)) items = constantInitializer(ctx, items) ?? items;
  if (!ts.isArrayLiteralExpression(items)) return undefined;
  return items.elements.map((element) => ctx.strings.evaluate(element));
}

/** `Buffer.from(JSON.stringify(event))`: the keys of the object `event` was built as. */
function messageShape(ctx: DetectContext, content: TS.Expression): Shape | undefined {
  let payload = unwrap(content);
  for (const wrapper of ['Buffer.from', 'JSON.stringify']) {
    if (
      ts.isCallExpression(payload) &&
      payload.expression.getText() === wrapper &&
      payload.arguments[0]
    ) {
      payload = unwrap(payload.arguments[0]);
    }
  }
  const literal = ctx.headers.objectLiteralOf(payload);
  if (!literal) return undefined;
  const keys = literal.properties
    .map((property) =>
      property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))
        ? property.name.text
        : undefined,
    )
    .filter((key): key is string => key !== undefined);
  return {
    source: 'code',
    schema: {
      type: 'object',
      properties: Object.fromEntries(keys.map((key) => [key, {}])),
      required: keys,
    },
    at: ctx.locate(literal),
  };
}

/**
 * `channel.ack(msg)` is success; `nack`/`reject` without requeue drops the message, with requeue
 * (or a condition) requeues it. One in a catch block answers an error while processing; one
 * outside answers a message that cannot be used.
 */
function consumeOutcomes(ctx: DetectContext, handler: TS.Expression): ConsumeOutcome[] {
  const value = ctx.values.valueOf(handler);
  const body = value?.kind === 'function' ? value.node.body : undefined;
  if (!body) return [];
  const outcomes: ConsumeOutcome[] = [];
  const visit = (node: TS.Node, inCatch: boolean): void => {
    const call = methodCall(node);
    if (call && (call.method === 'ack' || call.method === 'nack' || call.method === 'reject')) {
      const requeue = call.call.arguments[call.method === 'nack' ? 2 : 1];
      const dropped = requeue?.kind === ts.SyntaxKind.FalseKeyword;
      outcomes.push(
        call.method === 'ack'
          ? { when: 'success', handling: 'acknowledged', at: ctx.locate(call.call) }
          : {
              when: inCatch ? 'error' : 'unreadable-message',
              handling: dropped ? 'dropped' : 'requeued',
              at: ctx.locate(call.call),
            },
      );
    }
    ts.forEachChild(node, (child) => visit(child, inCatch || ts.isCatchClause(child)));
  };
  visit(body, false);
  return outcomes.sort(byWhen);
}
