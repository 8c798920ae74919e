// Plain TCP on loopback for the fault proxy's tests: an echo server that remembers what reached
// it, and a client that collects what comes back and how its connection ended.
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { eventually } from '../../src/runtime/eventually.js';

export interface EchoServer {
  port: number;
  /** Everything any connection has sent it. */
  received(): string;
  /** Connections open now. */
  open(): number;
  close(): Promise<void>;
}

export async function startEchoServer(): Promise<EchoServer> {
  const sockets = new Set<Socket>();
  const chunks: Buffer[] = [];
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    received: () => Buffer.concat(chunks).toString('utf8'),
    open: () => sockets.size,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface TestClient {
  socket: Socket;
  /** Everything received so far. */
  received(): Buffer;
  /** How the connection ended: 'end' for an orderly close, else the error code. */
  ended: Promise<string>;
  /** Sends `text` and waits until it has come back, last (the far end echoes). */
  roundTrip(text: string): Promise<void>;
}

export async function connectClient(port: number): Promise<TestClient> {
  const socket = connect({ host: '127.0.0.1', port, noDelay: true });
  const chunks: Buffer[] = [];
  let length = 0;
  socket.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    length += chunk.length;
  });
  const ended = new Promise<string>((resolve) => {
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    socket.on('close', () => resolve('end'));
  });
  // A proxy that is down may reset the connection before the client has seen it open.
  await new Promise<void>((resolve) => {
    socket.once('connect', resolve);
    socket.once('close', resolve);
  });
  const received = () => Buffer.concat(chunks, length);
  return {
    socket,
    received,
    ended,
    async roundTrip(text) {
      socket.write(text);
      await eventually(
        () => {
          if (!received().toString('utf8').endsWith(text)) throw new Error(`no echo of ${text}`);
        },
        { timeout: 5_000, interval: 5 },
      );
    },
  };
}
