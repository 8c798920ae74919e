/**
 * Embedded PostgreSQL for generated test suites, for when no PostgreSQL server can be reached.
 *
 * The engine is PGlite (`@electric-sql/pglite`): PostgreSQL itself (version 18) compiled to
 * WebAssembly and run in this process with an in-memory data directory. A small server speaks the
 * PostgreSQL wire protocol (v3) on an ephemeral 127.0.0.1 port, so an application's own driver
 * (`pg`, or anything else that speaks the protocol) connects unchanged through a normal
 * `postgres://` URL. No password is asked; TLS is declined, so clients fall back to plain TCP.
 *
 * This file is copied verbatim into generated suites: it imports only Node built-ins and
 * `@electric-sql/pglite`.
 *
 * Concurrency: PGlite is ONE PostgreSQL backend, so it runs one session's work at a time. The
 * server lets any number of connections share it by serialising whole units of work:
 *  - A connection owns the engine while it has a transaction open (BEGIN ... COMMIT/ROLLBACK,
 *    a failed transaction, or an extended-protocol batch not yet ended by Sync). Statements from
 *    other connections wait, in arrival order, until it ends; then the next waiter runs.
 *  - A statement outside a transaction runs as one atomic unit between other connections' work.
 *  So `SELECT ... FOR UPDATE` behaves as with a real server for an application: the second
 *  locker waits until the first commits, then sees the committed row. Transactions never
 *  interleave; that is stricter than PostgreSQL (everything is effectively SERIALIZABLE), and it
 *  cannot deadlock on row locks. Unlike PostgreSQL, plain reads on other connections wait for an
 *  open transaction too.
 *  - A connection that waits more than ENGINE_WAIT_LIMIT_MS (5 s) for another connection's open
 *    transaction gets SQLSTATE 55P03 instead of hanging. That is what happens when code holds a
 *    transaction on one connection and awaits a query on another (fine on a real server, a
 *    self-deadlock here), or leaks a connection with an open transaction.
 *  - Session state is shared by all connections: SET (not SET LOCAL), temporary tables,
 *    session-level advisory locks (pg_advisory_lock succeeds for every connection), SQL-level
 *    PREPARE/EXECUTE names, pg_backend_pid(). DISCARD ALL / DEALLOCATE ALL from one connection
 *    drop every connection's prepared statements. Protocol-level named prepared statements and
 *    portals (e.g. pg's `{ name }` queries) are private to each connection: the server renames
 *    them, and closes them when the connection ends.
 *  - LISTEN/NOTIFY works across connections: notifications go to the connections that issued
 *    LISTEN for the channel.
 *  - COPY ... FROM STDIN works in a simple query on its own (as pg-copy-streams sends it); in the
 *    extended protocol or among other statements it fails with SQLSTATE 0A000. COPY TO STDOUT
 *    works.
 *  - Queries run synchronously on the calling thread: a long query blocks this process's event
 *    loop for its duration. Cancel requests only cancel statements still waiting for the engine.
 *  - A connection that ends with a transaction open is rolled back.
 *  - Startup parameters (user, database, options, application_name, ...) are accepted and
 *    ignored: every connection is the superuser `postgres` on database `postgres`.
 *
 * Cost (2-core machine, Node 20): the first engine in a process runs initdb, about 1.7 s; later
 * engines start from a copy of that fresh data directory, about 0.3 s, which the process keeps in
 * memory (about 40 MB). A query over a pooled connection takes about 0.1-0.2 ms, a four-statement
 * transaction about 0.35 ms. The first engine takes the process to roughly 0.9 GB resident
 * (initdb's WebAssembly memory is not handed back); each further engine adds about 200 MB.
 */
import { randomInt } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { PGlite } from '@electric-sql/pglite';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/** How long a connection waits for another connection's open transaction before failing. */
const ENGINE_WAIT_LIMIT_MS = 5000;
const PROTOCOL_3_0 = 196608;
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const MAX_MESSAGE_BYTES = 1 << 30;
const USER = 'postgres';
const DATABASE = 'postgres';

/** Starts an in-process PostgreSQL on an ephemeral 127.0.0.1 port; `url` points at its one database. */
export async function startEmbeddedPostgres(): Promise<EmbeddedPostgres> {
  const db = await createDatabase();
  let server: WireServer;
  try {
    const greeting = await db.execProtocolRaw(startupPacket({ user: USER, database: DATABASE }), {
      syncToFs: false,
    });
    server = new WireServer(new Engine(db), greeting);
    await server.listen();
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
  return {
    url: `postgres://${USER}@127.0.0.1:${server.port}/${DATABASE}`,
    stop: () => server.stop(),
  };
}

// ---------------------------------------------------------------------------------------------
// Engine creation: initdb once per process, then copies of the fresh data directory.

let freshDataDir: Promise<Blob> | undefined;

async function createDatabase(): Promise<PGlite> {
  if (freshDataDir) {
    const dataDir = await freshDataDir.catch(() => undefined);
    if (dataDir) return PGlite.create({ loadDataDir: dataDir });
  }
  let settle: { resolve(blob: Blob): void; reject(error: unknown): void } | undefined;
  const pending = new Promise<Blob>((resolve, reject) => {
    settle = { resolve, reject };
  });
  pending.catch(() => {});
  freshDataDir = pending;
  try {
    const db = await PGlite.create();
    settle?.resolve(await db.dumpDataDir('none'));
    return db;
  } catch (error) {
    if (freshDataDir === pending) freshDataDir = undefined;
    settle?.reject(error);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// The engine: one PGlite backend, owned by one connection at a time.

class EngineStopped extends Error {}

class WaitFailed extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Waiter {
  conn: Connection;
  resolve(): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout | undefined;
}

class Engine {
  owner: Connection | undefined;
  private waiters: Waiter[] = [];
  stopped = false;
  broken: Error | undefined;

  constructor(readonly db: PGlite) {}

  /** Resolves once `conn` owns the engine; fails after `limitMs` (0: no limit). */
  acquire(conn: Connection, limitMs: number): Promise<void> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.stopped) return Promise.reject(new EngineStopped('embedded PostgreSQL is stopping'));
    if (this.owner === conn) return Promise.resolve();
    if (!this.owner) {
      this.owner = conn;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { conn, resolve, reject, timer: undefined };
      if (limitMs > 0) {
        waiter.timer = setTimeout(() => {
          this.fail(
            conn,
            new WaitFailed(
              '55P03',
              `embedded PostgreSQL: waited ${limitMs} ms for another connection's open transaction ` +
                'to end; this engine runs one transaction at a time, so a transaction must not ' +
                'wait for work on another connection (see embedded-postgres.ts)',
            ),
          );
        }, limitMs);
      }
      this.waiters.push(waiter);
    });
  }

  /** Gives the engine to the next waiter, if `conn` owns it. */
  release(conn: Connection): void {
    if (this.owner !== conn) return;
    this.owner = undefined;
    const next = this.waiters.shift();
    if (next) {
      clearTimeout(next.timer);
      this.owner = next.conn;
      next.resolve();
    }
  }

  /** Fails the wait of `conn`, if it waits. */
  fail(conn: Connection, error: Error): boolean {
    const index = this.waiters.findIndex((w) => w.conn === conn);
    const waiter = this.waiters[index];
    if (!waiter) return false;
    this.waiters.splice(index, 1);
    clearTimeout(waiter.timer);
    waiter.reject(error);
    return true;
  }

  stop(): void {
    this.stopped = true;
    for (const waiter of this.waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(new EngineStopped('embedded PostgreSQL is stopping'));
    }
  }

  /** Runs wire-protocol messages; the caller must own the engine. */
  async exec(messages: Buffer): Promise<Buffer> {
    if (this.broken) throw this.broken;
    if (this.stopped) throw new EngineStopped('embedded PostgreSQL is stopping');
    try {
      const out = await this.db.execProtocolRaw(messages, { syncToFs: false });
      return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
    } catch (error) {
      // PGlite's backend exited or threw: it must not be called again (it can spin forever).
      this.broken = new Error(`embedded PostgreSQL engine failed: ${describe(error)}`);
      throw this.broken;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The wire server.

class WireServer {
  private readonly server: Server;
  readonly connections = new Set<Connection>();
  private nextId = 1;
  private stopping: Promise<void> | undefined;
  port = 0;

  constructor(
    readonly engine: Engine,
    greeting: Uint8Array,
  ) {
    // The engine's own startup answer, less its BackendKeyData and ReadyForQuery, greets every
    // connection: AuthenticationOk and the ParameterStatus messages of a real backend.
    this.greeting = Buffer.concat(
      messagesOf(Buffer.from(greeting)).filter((m) => m[0] !== 0x4b && m[0] !== 0x5a),
    );
    this.server = createServer((socket) => this.accept(socket));
  }

  readonly greeting: Buffer;

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => {
        this.server.off('error', reject);
        const address = this.server.address();
        if (address && typeof address === 'object') this.port = address.port;
        resolve();
      });
    });
  }

  private accept(socket: Socket): void {
    if (this.stopping) {
      socket.destroy();
      return;
    }
    const conn = new Connection(this, socket, this.nextId++);
    this.connections.add(conn);
    socket.once('close', () => this.connections.delete(conn));
  }

  /** Fails the engine wait of the connection a CancelRequest names. */
  cancel(pid: number, secret: number): void {
    for (const conn of this.connections) {
      if (conn.id === pid && conn.secret === secret) {
        this.engine.fail(conn, new WaitFailed('57014', 'canceling statement due to user request'));
      }
    }
  }

  /** Delivers a NotificationResponse to every other connection listening on its channel. */
  notify(from: Connection, message: Buffer, channel: string): void {
    for (const conn of this.connections) {
      if (conn !== from && conn.listens.has(channel)) conn.write(message);
    }
  }

  /** The engine died: every connection ends with a FATAL error. */
  broken(error: Error): void {
    for (const conn of this.connections) conn.fatal('XX000', error.message);
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.engine.stop();
      const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
      const connections = [...this.connections];
      for (const conn of connections) conn.destroy();
      await closed;
      await Promise.all(connections.map((c) => c.finished));
      if (!this.engine.broken) await this.engine.db.close().catch(() => {});
    })();
    return this.stopping;
  }
}

type Status = 'I' | 'T' | 'E';

class Connection {
  readonly secret = randomInt(0, 0x7fffffff);
  /** Channels this connection LISTENs to (as PostgreSQL names them). */
  readonly listens = new Set<string>();
  /** Resolves when the socket has closed and the connection's engine state is cleaned up. */
  readonly finished: Promise<void>;

  private input: Buffer = Buffer.alloc(0);
  private started = false;
  private closed = false;
  private readonly inbox: Buffer[] = [];
  private pumping = false;
  /** Extended-protocol messages not yet sent to the engine (up to Sync or Flush). */
  private batch: Buffer[] = [];
  /** The engine is inside an extended-protocol batch of ours (sent up to a Flush, no Sync yet). */
  private inBatch = false;
  private status: Status = 'I';
  /** After a failed engine wait mid-batch: drop messages until Sync, as a backend does after an error. */
  private skipUntilSync = false;
  /** Simple-query COPY FROM STDIN in progress: its Query message and the CopyData so far. */
  private copy: Buffer[] | undefined;
  /** Engine-side names of this connection's named prepared statements. */
  private readonly statements = new Set<string>();
  private markFinished!: () => void;

  constructor(
    private readonly server: WireServer,
    private readonly socket: Socket,
    readonly id: number,
  ) {
    this.finished = new Promise((resolve) => {
      this.markFinished = resolve;
    });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.onClose());
  }

  write(data: Buffer): void {
    if (!this.closed && data.length > 0 && this.socket.writable) this.socket.write(data);
  }

  fatal(code: string, message: string): void {
    if (this.closed) return;
    if (this.socket.writable) this.socket.end(errorResponse('FATAL', code, message));
    this.closed = true;
    this.inbox.length = 0;
  }

  destroy(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    if (this.closed) return;
    this.input = this.input.length === 0 ? chunk : Buffer.concat([this.input, chunk]);
    while (!this.closed && this.takeMessage()) {}
    void this.pump();
  }

  /** Moves one complete startup packet or message out of the input; false when none is there. */
  private takeMessage(): boolean {
    if (!this.started) {
      if (this.input.length < 8) return false;
      const length = this.input.readInt32BE(0);
      if (length < 8 || length > 10_000) {
        this.fatal('08P01', 'invalid startup packet');
        return false;
      }
      if (this.input.length < length) return false;
      const packet = this.input.subarray(0, length);
      this.input = this.input.subarray(length);
      this.startup(packet);
      return true;
    }
    if (this.input.length < 5) return false;
    const length = this.input.readInt32BE(1);
    if (length < 4 || length > MAX_MESSAGE_BYTES) {
      this.fatal('08P01', 'invalid message length');
      return false;
    }
    if (this.input.length < length + 1) return false;
    this.inbox.push(Buffer.from(this.input.subarray(0, length + 1)));
    this.input = this.input.subarray(length + 1);
    return true;
  }

  private startup(packet: Buffer): void {
    const code = packet.readInt32BE(4);
    if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
      this.socket.write('N');
      return;
    }
    if (code === CANCEL_REQUEST) {
      if (packet.length >= 16) this.server.cancel(packet.readInt32BE(8), packet.readInt32BE(12));
      this.closed = true;
      this.socket.end();
      return;
    }
    if (code >> 16 !== 3) {
      this.fatal('0A000', `unsupported frontend protocol ${code >> 16}.${code & 0xffff}`);
      return;
    }
    this.started = true;
    const parts: Buffer[] = [];
    if ((code & 0xffff) !== 0) {
      // Newer 3.x minor versions: answer with NegotiateProtocolVersion for 3.0.
      const options = startupParameters(packet)
        .map(([key]) => key)
        .filter((key) => key.startsWith('_pq_.'));
      parts.push(
        message('v', int32(PROTOCOL_3_0), int32(options.length), ...options.map((o) => cstring(o))),
      );
    }
    const keyData = Buffer.alloc(8);
    keyData.writeInt32BE(this.id, 0);
    keyData.writeInt32BE(this.secret, 4);
    parts.push(this.server.greeting, message('K', keyData), readyForQuery('I'));
    this.socket.write(Buffer.concat(parts));
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let next = this.inbox.shift(); next && !this.closed; next = this.inbox.shift()) {
        await this.handle(next);
        if (this.socket.writableNeedDrain) await this.drained();
      }
    } catch (error) {
      if (error instanceof EngineStopped) this.fatal('57P01', error.message);
      else if (this.server.engine.broken) this.server.broken(this.server.engine.broken);
      else this.fatal('XX000', `embedded PostgreSQL: ${describe(error)}`);
    } finally {
      this.pumping = false;
      if (this.closed) void this.cleanUp();
    }
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  private async handle(msg: Buffer): Promise<void> {
    const type = String.fromCharCode(msg[0] ?? 0);
    if (this.copy) {
      if (type === 'd') {
        this.copy.push(msg);
        return;
      }
      if (type === 'H' || type === 'S') return;
      const units = this.copy;
      this.copy = undefined;
      if (type === 'c' || type === 'f') return this.run([...units, msg], true);
      await this.run([...units, copyFail(`unexpected message type "${type}" during COPY`)], true);
    }
    if (this.skipUntilSync) {
      if (type === 'S') {
        this.skipUntilSync = false;
        this.write(readyForQuery(this.status));
      }
      return;
    }
    switch (type) {
      case 'X':
        this.closed = true;
        this.socket.end();
        return;
      case 'Q':
        return this.query(msg);
      case 'S':
      case 'F':
        return this.run([...this.batch.splice(0), msg]);
      case 'H':
        if (this.batch.length > 0 || this.inBatch) return this.run([...this.batch.splice(0), msg]);
        return;
      case 'd':
      case 'c':
      case 'f':
        return; // outside COPY these are ignored, as by PostgreSQL
      default:
        this.batch.push(this.rename(msg));
    }
  }

  private async query(msg: Buffer): Promise<void> {
    const text = readCString(msg, 5)[0];
    const statements = splitStatements(text);
    this.trackListens(statements);
    const copyIndex = statements.findIndex(isCopyFromStdin);
    if (copyIndex >= 0 && statements.length === 1) {
      // Answer CopyInResponse ourselves and collect the data: PGlite must get the COPY and all of
      // its data in one call (without them its backend exits).
      const binary = /\bbinary\b/i.test(statements[0] ?? '');
      this.write(message('G', Buffer.from([binary ? 1 : 0, 0, 0])));
      this.copy = [...this.batch.splice(0), msg];
      return;
    }
    const sent =
      copyIndex >= 0 ? message('Q', cstring(copyRefusal('among other statements'))) : msg;
    return this.run([...this.batch.splice(0), sent]);
  }

  /** Sends one unit (ending in Sync, Query, FunctionCall, Flush or CopyDone/CopyFail) to the engine. */
  private async run(messages: Buffer[], copyIn = false): Promise<void> {
    const engine = this.server.engine;
    try {
      await engine.acquire(this, ENGINE_WAIT_LIMIT_MS);
    } catch (error) {
      if (!(error instanceof WaitFailed)) throw error;
      this.write(errorResponse('ERROR', error.code, error.message));
      const last = messages[messages.length - 1]?.[0];
      if (last === 0x48 /* Flush */) this.skipUntilSync = true;
      else this.write(readyForQuery(this.status));
      return;
    }
    let out: Buffer;
    try {
      out = await engine.exec(Buffer.concat(messages));
    } catch (error) {
      if (engine.broken) this.server.broken(engine.broken);
      throw error;
    }
    let endsBatch = false;
    const kept: Buffer[] = [];
    let changed = false;
    for (const m of messagesOf(out)) {
      const type = m[0];
      if (type === 0x5a /* ReadyForQuery */) {
        endsBatch = true;
        this.status = String.fromCharCode(m[5] ?? 0x49) as Status;
      } else if (type === 0x41 /* NotificationResponse */) {
        const channel = readCString(m, 9)[0];
        this.server.notify(this, m, channel);
        if (!this.listens.has(channel)) {
          changed = true;
          continue;
        }
      } else if (type === 0x47 /* CopyInResponse */ && copyIn) {
        changed = true;
        continue;
      }
      kept.push(m);
    }
    this.inBatch = !endsBatch;
    if (this.status === 'I' && !this.inBatch) engine.release(this);
    this.write(changed ? Buffer.concat(kept) : out);
  }

  /** Makes protocol-level statement and portal names private to this connection. */
  private rename(msg: Buffer): Buffer {
    const type = String.fromCharCode(msg[0] ?? 0);
    const own = (name: string) => (name === '' ? '' : `ep${this.id}:${name}`);
    switch (type) {
      case 'P': {
        const [name, afterName] = readCString(msg, 5);
        const [text, afterText] = readCString(msg, afterName);
        const statements = splitStatements(text);
        this.trackListens(statements);
        const sent = statements.some(isCopyFromStdin)
          ? copyRefusal('in the extended protocol')
          : text;
        if (name !== '') this.statements.add(own(name));
        return message('P', cstring(own(name)), cstring(sent), msg.subarray(afterText));
      }
      case 'B': {
        const [portal, afterPortal] = readCString(msg, 5);
        const [statement, afterStatement] = readCString(msg, afterPortal);
        if (portal === '' && statement === '') return msg;
        return message(
          'B',
          cstring(own(portal)),
          cstring(own(statement)),
          msg.subarray(afterStatement),
        );
      }
      case 'E': {
        const [portal, afterPortal] = readCString(msg, 5);
        if (portal === '') return msg;
        return message('E', cstring(own(portal)), msg.subarray(afterPortal));
      }
      case 'D':
      case 'C': {
        const kind = msg.subarray(5, 6);
        const [name] = readCString(msg, 6);
        if (name === '') return msg;
        if (type === 'C' && kind[0] === 0x53 /* S */) this.statements.delete(own(name));
        return message(type, kind, cstring(own(name)));
      }
      default:
        return msg;
    }
  }

  private trackListens(statements: string[]): void {
    for (const statement of statements) {
      const match = /^(UN)?LISTEN\s+("(?:[^"]|"")+"|\*|[^\s;]+)/i.exec(statement);
      if (!match) continue;
      const raw = match[2] ?? '';
      if (match[1] && raw === '*') {
        this.listens.clear();
        continue;
      }
      const channel = raw.startsWith('"')
        ? raw.slice(1, -1).replaceAll('""', '"')
        : raw.toLowerCase();
      if (match[1]) this.listens.delete(channel);
      else this.listens.add(channel);
    }
  }

  private onClose(): void {
    this.closed = true;
    this.inbox.length = 0;
    this.server.engine.fail(this, new EngineStopped('connection closed'));
    if (!this.pumping) void this.cleanUp();
  }

  private cleanUpStarted = false;

  /** Rolls back what the connection left open and closes its prepared statements. */
  private async cleanUp(): Promise<void> {
    if (this.cleanUpStarted || !this.socket.destroyed) return;
    this.cleanUpStarted = true;
    const engine = this.server.engine;
    try {
      const owns = engine.owner === this;
      if (!owns && this.statements.size === 0) return;
      if (engine.stopped || engine.broken) return;
      await engine.acquire(this, 0);
      const messages: Buffer[] = [];
      if (this.inBatch) messages.push(message('S'));
      if (this.status !== 'I' || this.inBatch) messages.push(message('Q', cstring('ROLLBACK')));
      for (const name of this.statements)
        messages.push(message('C', Buffer.from('S'), cstring(name)));
      if (this.statements.size > 0) messages.push(message('S'));
      await engine.exec(Buffer.concat(messages));
    } catch {
      // stopping, or the engine broke: nothing left to clean
    } finally {
      engine.release(this);
      this.markFinished();
    }
  }
}

// ---------------------------------------------------------------------------------------------
// SQL text: just enough to find COPY FROM STDIN and LISTEN/UNLISTEN.

/**
 * Splits SQL text into statements, dropping comments and replacing string literals (quoted,
 * E'...' and dollar-quoted) by '' so that only keywords and identifiers remain.
 */
function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current = '';
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const ch = sql[i] as string;
    const next = sql[i + 1];
    if (ch === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? n : end;
      current += ' ';
    } else if (ch === '/' && next === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (sql.startsWith('/*', i)) {
          depth++;
          i += 2;
        } else if (sql.startsWith('*/', i)) {
          depth--;
          i += 2;
        } else i++;
      }
      current += ' ';
    } else if (ch === "'") {
      const backslashes = /(^|[^\w$])[eE]$/.test(current);
      i++;
      while (i < n) {
        if (backslashes && sql[i] === '\\') i += 2;
        else if (sql[i] === "'") {
          if (sql[i + 1] === "'") i += 2;
          else break;
        } else i++;
      }
      i++;
      current += "''";
    } else if (ch === '"') {
      let end = i + 1;
      while (end < n && !(sql[end] === '"' && sql[end + 1] !== '"'))
        end += sql[end] === '"' ? 2 : 1;
      current += sql.slice(i, end + 1);
      i = end + 1;
    } else if (ch === '$' && !/[\w$]$/.test(current)) {
      const tag = /^\$([A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/.exec(sql.slice(i, i + 200));
      if (tag) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        i = end < 0 ? n : end + tag[0].length;
        current += "''";
      } else {
        current += ch;
        i++;
      }
    } else if (ch === ';') {
      if (current.trim()) statements.push(current.trim());
      current = '';
      i++;
    } else {
      current += ch;
      i++;
    }
  }
  if (current.trim()) statements.push(current.trim());
  return statements;
}

function isCopyFromStdin(statement: string): boolean {
  return /^COPY\b[\s\S]*\bFROM\s+STDIN\b/i.test(statement);
}

/** A statement that fails with feature_not_supported, in place of an unsupported COPY. */
function copyRefusal(where: string): string {
  const text = `embedded PostgreSQL: COPY FROM STDIN is supported only alone in a simple query, not ${where}`;
  return `DO $embedded$BEGIN RAISE EXCEPTION USING ERRCODE = '0A000', MESSAGE = '${text}'; END$embedded$`;
}

// ---------------------------------------------------------------------------------------------
// Wire-protocol helpers.

function message(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const out = Buffer.alloc(5 + body.length);
  out.write(type, 0, 'latin1');
  out.writeInt32BE(4 + body.length, 1);
  body.copy(out, 5);
  return out;
}

function cstring(text: string): Buffer {
  return Buffer.from(`${text}\0`, 'utf8');
}

function int32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeInt32BE(value, 0);
  return out;
}

function readCString(buf: Buffer, offset: number): [string, number] {
  const end = buf.indexOf(0, offset);
  const stop = end < 0 ? buf.length : end;
  return [buf.toString('utf8', offset, stop), stop + 1];
}

function readyForQuery(status: Status): Buffer {
  return message('Z', Buffer.from(status, 'latin1'));
}

function copyFail(reason: string): Buffer {
  return message('f', cstring(reason));
}

function errorResponse(severity: 'ERROR' | 'FATAL', code: string, text: string): Buffer {
  return message(
    'E',
    cstring(`S${severity}`),
    cstring(`V${severity}`),
    cstring(`C${code}`),
    cstring(`M${text}`),
    Buffer.from([0]),
  );
}

/** Splits backend output into whole messages. */
function messagesOf(out: Buffer): Buffer[] {
  const messages: Buffer[] = [];
  let offset = 0;
  while (offset + 5 <= out.length) {
    const end = offset + 1 + out.readInt32BE(offset + 1);
    messages.push(out.subarray(offset, end));
    offset = end;
  }
  return messages;
}

function startupPacket(parameters: Record<string, string>): Buffer {
  const body = Buffer.concat([
    ...Object.entries(parameters).flatMap(([key, value]) => [cstring(key), cstring(value)]),
    Buffer.from([0]),
  ]);
  return Buffer.concat([int32(8 + body.length), int32(PROTOCOL_3_0), body]);
}

function startupParameters(packet: Buffer): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  let offset = 8;
  while (offset < packet.length && packet[offset] !== 0) {
    const [key, afterKey] = readCString(packet, offset);
    const [value, afterValue] = readCString(packet, afterKey);
    pairs.push([key, value]);
    offset = afterValue;
  }
  return pairs;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
