// A TCP proxy in front of one dependency of the system under test (a database, Redis, a broker,
// an internal service) that a test can make misbehave: slow, hung, down, or cut on one request.
// It forwards bytes and never parses them, so one proxy serves every protocol; with no fault set
// it only copies, so it costs the system next to nothing. It lives in the process that started
// the system; tests in worker processes steer it through `fault-control.ts`.
import { type AddressInfo, createConnection, createServer, type Socket } from 'node:net';

export type Fault =
  /** Every chunk in both directions is delayed by `ms` (order preserved). */
  | { kind: 'latency'; ms: number }
  /** Connections stay open but nothing more is forwarded in either direction; new connections are accepted and held. */
  | { kind: 'stall' }
  /** The dependency is down: open connections are reset (RST) and new ones are reset as soon as accepted. */
  | { kind: 'down' }
  /**
   * Once: the connection whose client→target chunk matches `match` (a case-insensitive regular
   * expression, e.g. `insert\s+into\s+order_items`) is reset before that chunk is forwarded;
   * then the fault clears itself.
   */
  | { kind: 'cut-on'; match: string };

export interface FaultStats {
  /** Connections accepted since start. */
  connections: number;
  /** Connections open now. */
  open: number;
  /** Bytes forwarded client → target. */
  bytesUp: number;
  /** Bytes forwarded target → client. */
  bytesDown: number;
  /** Connections reset by a fault (down, cut-on, the end of a stall). */
  resets: number;
  /** Times a cut-on fault fired. */
  cuts: number;
}

export interface FaultProxy {
  /** host:port the system under test should use instead of the target. */
  readonly host: string;
  readonly port: number;
  /** `undefined` clears the fault. */
  setFault(fault: Fault | undefined): void;
  readonly fault: Fault | undefined;
  stats(): FaultStats;
  /** Resets every open connection and stops listening. */
  close(): Promise<void>;
}

/** What a lane carries: bytes, the sender's end of stream, or the sender being gone. */
type Passage = Buffer | 'end' | 'close';

/** One direction of one connection: what `from` sends is written to `to`, held back under latency. */
class Lane {
  private held: { due: number; passage: Passage }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private waitingForDrain = false;
  private stopped = false;

  constructor(
    private readonly from: Socket,
    private readonly to: Socket,
    private readonly forwarded: (bytes: number) => void,
  ) {}

  pass(passage: Passage, delayMs: number) {
    if (this.stopped) return;
    // Without latency nothing is held and no timer runs: the chunk is written straight away.
    if (delayMs === 0 && this.held.length === 0) return this.write(passage);
    this.held.push({ due: performance.now() + delayMs, passage });
    if (this.timer === undefined) this.schedule();
  }

  /** Writes everything held, in order: the latency was lifted. */
  flush() {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const { passage } of this.held.splice(0)) this.write(passage);
  }

  /** Forwards nothing more and reads nothing more; what was held is dropped. */
  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.held = [];
    this.from.pause();
  }

  private schedule() {
    const next = this.held[0];
    if (next === undefined) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        const now = performance.now();
        while (this.held[0] !== undefined && this.held[0].due <= now) {
          this.write((this.held.shift() as { passage: Passage }).passage);
        }
        this.schedule();
      },
      Math.max(0, Math.ceil(next.due - performance.now())),
    );
  }

  private write(passage: Passage) {
    if (this.to.destroyed) return;
    if (passage === 'end') {
      this.to.end();
    } else if (passage === 'close') {
      // The sender is gone: whatever it said is delivered, then this side goes too.
      this.to.end(() => this.to.destroy());
    } else {
      this.forwarded(passage.length);
      if (!this.to.write(passage) && !this.waitingForDrain) {
        // The receiver is slower than the sender: stop reading until it catches up, as pipe() does.
        this.waitingForDrain = true;
        this.from.pause();
        this.to.once('drain', () => {
          this.waitingForDrain = false;
          if (!this.stopped) this.from.resume();
        });
      }
    }
  }
}

interface Link {
  client: Socket;
  upstream: Socket;
  up: Lane;
  down: Lane;
  stalled: boolean;
}

export async function startFaultProxy(target: { host: string; port: number }): Promise<FaultProxy> {
  const links = new Set<Link>();
  const counts = { connections: 0, bytesUp: 0, bytesDown: 0, resets: 0, cuts: 0 };
  let fault: Fault | undefined;
  let closed = false;
  const delayMs = () => (fault?.kind === 'latency' ? fault.ms : 0);

  const resetLink = (link: Link, byFault: boolean) => {
    link.up.stop();
    link.down.stop();
    reset(link.client);
    reset(link.upstream);
    if (links.delete(link) && byFault) counts.resets += 1;
  };

  const stall = (link: Link) => {
    link.stalled = true;
    link.up.stop();
    link.down.stop();
  };

  const accept = (client: Socket) => {
    counts.connections += 1;
    if (closed || fault?.kind === 'down') {
      client.on('error', () => undefined);
      if (!closed) counts.resets += 1;
      reset(client);
      return;
    }
    const upstream = createConnection({ ...target, noDelay: true, allowHalfOpen: true });
    const link: Link = {
      client,
      upstream,
      up: new Lane(client, upstream, (bytes) => {
        counts.bytesUp += bytes;
      }),
      down: new Lane(upstream, client, (bytes) => {
        counts.bytesDown += bytes;
      }),
      stalled: false,
    };
    links.add(link);
    client.on('data', (chunk: Buffer) => {
      if (fault?.kind === 'cut-on' && new RegExp(fault.match, 'i').test(chunk.toString('latin1'))) {
        fault = undefined;
        counts.cuts += 1;
        resetLink(link, true);
        return;
      }
      link.up.pass(chunk, delayMs());
    });
    upstream.on('data', (chunk: Buffer) => link.down.pass(chunk, delayMs()));
    client.on('end', () => link.up.pass('end', delayMs()));
    upstream.on('end', () => link.down.pass('end', delayMs()));
    // A failure on one side is shown to the other as a reset, as the failed peer itself would.
    client.on('error', () => resetLink(link, false));
    upstream.on('error', () => resetLink(link, false));
    const onClose = (lane: Lane) => () => {
      // A stalled lane delivers nothing, not even the end: the other side goes now.
      if (link.stalled) resetLink(link, false);
      else lane.pass('close', delayMs());
      if (client.destroyed && upstream.destroyed) links.delete(link);
    };
    client.on('close', onClose(link.up));
    upstream.on('close', onClose(link.down));
    if (fault?.kind === 'stall') stall(link);
  };

  const server = createServer({ allowHalfOpen: true, noDelay: true }, accept);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // A failed accept must not crash the process hosting the proxy (the test runner's setup).
  server.on('error', () => undefined);
  const { port } = server.address() as AddressInfo;

  return {
    host: '127.0.0.1',
    port,
    get fault() {
      return fault;
    },
    setFault(next) {
      fault = next;
      if (next?.kind === 'down') {
        for (const link of [...links]) resetLink(link, true);
      } else if (next?.kind === 'stall') {
        for (const link of links) if (!link.stalled) stall(link);
      } else {
        // A request held by a stall must never complete late, after the test has moved on.
        for (const link of [...links]) if (link.stalled) resetLink(link, true);
        if (next?.kind !== 'latency') {
          for (const link of links) {
            link.up.flush();
            link.down.flush();
          }
        }
      }
    },
    stats: () => ({ ...counts, open: links.size }),
    close() {
      closed = true;
      for (const link of [...links]) resetLink(link, false);
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Closes a socket with RST, so the peer sees ECONNRESET rather than an orderly end. A socket with
 * an end or writes still in flight is destroyed plainly: resetting it leaves their requests
 * pending forever, and Node then spins at exit waiting for them.
 */
function reset(socket: Socket) {
  if (socket.destroyed) return;
  if (socket.writableEnded || socket.writableLength > 0) socket.destroy();
  else socket.resetAndDestroy();
}
