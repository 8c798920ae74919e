// WebSockets: socket.io events a server listens to (`socket.on('chat:send', handler)`) and
// emits (`socket.emit`, `io.emit`, `io.to(room).emit`), and ws servers' messages in and out.
import type * as TS from 'typescript';
import { ts } from '../typescript.js';
import { forEachMethodCall, methodCall, nameOf } from './analysis/calls.js';
import { findDeclaration } from './analysis/scope.js';
import { unwrap } from './analysis/values.js';
import type { DetectContext, Detector } from './types.js';

const SERVER_EVENTS = new Set(['connection', 'connect']);
/** Events a socket raises itself; they are not messages from the client. */
const LIFECYCLE = new Set([
  'disconnect',
  'disconnecting',
  'error',
  'close',
  'open',
  'ping',
  'pong',
]);

export const websocketDetector: Detector = {
  name: 'websocket',
  enabledBy: ['socket.io', 'ws'],
  detect(ctx) {
    forEachMethodCall(ctx.file.ast, (call, method, receiver) => read(ctx, call, method, receiver));
  },
};

type Kind = { library: 'socket.io' | 'ws'; role: 'server' | 'socket' };

/** A socket.io or ws server, or a socket handed to a server's connection handler. */
function kindOf(ctx: DetectContext, expression: TS.Expression): Kind | undefined {
  const target = unwrap(expression);
  const value = ctx.values.valueOf(target);
  if (value?.kind === 'library' && (value.module === 'socket.io' || value.module === 'ws')) {
    return { library: value.module, role: value.path.at(-1) === 'new' ? 'server' : 'socket' };
  }
  // `io.on('connection', (socket) => …)`: the parameter is a socket of that server.
  if (ts.isIdentifier(target)) {
    const declaration = findDeclaration(target, ctx.file.imports);
    const parameter = declaration?.kind === 'parameter' ? declaration.node : undefined;
    const fn = parameter?.parent;
    const registration = fn?.parent;
    const call = registration && methodCall(registration);
    if (call?.method === 'on' && fn && ts.isFunctionLike(fn) && fn.parameters[0] === parameter) {
      const server = kindOf(ctx, call.receiver);
      const event = call.call.arguments[0] && ctx.strings.literal(call.call.arguments[0]);
      if (server?.role === 'server' && event && SERVER_EVENTS.has(event))
        return { library: server.library, role: 'socket' };
    }
  }
  // `io.to(room).emit(…)`, `io.of('/chat')`: still the server.
  const chained = methodCall(target);
  if (chained && ['to', 'in', 'of', 'except', 'broadcast'].includes(chained.method))
    return kindOf(ctx, chained.receiver);
  return undefined;
}

function read(
  ctx: DetectContext,
  call: TS.CallExpression,
  method: string,
  receiver: TS.Expression,
): void {
  const kind = kindOf(ctx, receiver);
  if (!kind) return;
  const [first, second] = call.arguments;
  if (
    kind.role === 'socket' &&
    (method === 'on' || method === 'addEventListener') &&
    first &&
    second
  ) {
    const event = ctx.strings.literal(first);
    if (!event || LIFECYCLE.has(event)) return;
    ctx.report({
      kind: 'socket-event',
      library: kind.library,
      direction: 'in',
      event,
      handler: second,
      node: nameOf(call),
    });
  } else if (method === 'emit' && first) {
    const event = ctx.strings.literal(first);
    if (event && !SERVER_EVENTS.has(event)) {
      ctx.report({
        kind: 'socket-event',
        library: kind.library,
        direction: 'out',
        event,
        handler: undefined,
        node: nameOf(call),
      });
    }
  } else if (method === 'send' && kind.library === 'ws' && kind.role === 'socket') {
    ctx.report({
      kind: 'socket-event',
      library: 'ws',
      direction: 'out',
      event: 'message',
      handler: undefined,
      node: nameOf(call),
    });
  }
}
