// The fault proxy on real loopback sockets: in front of a TCP echo server for the byte-level
// behaviour, and in front of the real PostgreSQL and Redis to see what their drivers make of it.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../../src/runtime/eventually.js';
import { type FaultProxy, startFaultProxy } from '../../src/runtime/fault-proxy.js';
import { connectClient, type EchoServer, startEchoServer } from '../support/tcp.js';

/** How long a test watches for something that must not happen. */
const QUIET_MS = 200;

describe('fault proxy in front of an echo server', () => {
  let echo: EchoServer;
  let proxy: FaultProxy;
  beforeEach(async () => {
    echo = await startEchoServer();
    proxy = await startFaultProxy({ host: '127.0.0.1', port: echo.port });
  });
  afterEach(async () => {
    await proxy.close();
    await echo.close();
  });

  it('forwards a large payload intact both ways and counts it', async () => {
    const payload = randomBytes(4 * 1024 * 1024);
    const client = await connectClient(proxy.port);
    client.socket.end(payload);
    expect(await client.ended).toBe('end');
    expect(client.received().equals(payload)).toBe(true);
    await eventually(() => expect(proxy.stats()).toMatchObject({ open: 0 }));
    expect(proxy.stats()).toEqual({
      connections: 1,
      open: 0,
      bytesUp: payload.length,
      bytesDown: payload.length,
      resets: 0,
      cuts: 0,
    });
  });

  it('delays every chunk each way by the latency, in order, and flushes held chunks when cleared', async () => {
    const client = await connectClient(proxy.port);
    await client.roundTrip('warm-up;');
    proxy.setFault({ kind: 'latency', ms: 60 });
    const started = performance.now();
    await client.roundTrip('slow;');
    expect(performance.now() - started).toBeGreaterThanOrEqual(2 * 60);

    proxy.setFault({ kind: 'latency', ms: 60_000 });
    client.socket.write('a;');
    client.socket.write('b;');
    // Not needed for correctness: gives the chunks time to be held, so clearing must flush them.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const cleared = performance.now();
    proxy.setFault(undefined);
    await client.roundTrip('c;');
    expect(performance.now() - cleared).toBeLessThan(5_000);
    expect(client.received().toString()).toBe('warm-up;slow;a;b;c;');
  });

  it('holds connections under a stall, and resets them when it is cleared', async () => {
    const before = await connectClient(proxy.port);
    await before.roundTrip('before;');
    proxy.setFault({ kind: 'stall' });
    const during = await connectClient(proxy.port);
    before.socket.write('held-1;');
    during.socket.write('held-2;');
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    expect(before.received().toString()).toBe('before;');
    expect(during.received().length).toBe(0);

    proxy.setFault(undefined);
    expect(await before.ended).toBe('ECONNRESET');
    expect(await during.ended).toBe('ECONNRESET');
    // The held requests never reached the target, then or later.
    expect(echo.received()).toBe('before;');
    expect(proxy.stats()).toMatchObject({ connections: 2, resets: 2 });
    const after = await connectClient(proxy.port);
    await after.roundTrip('after;');
  });

  it('resets open and new connections while down, on both sides, and recovers when cleared', async () => {
    const open = await connectClient(proxy.port);
    await open.roundTrip('up;');
    expect(echo.open()).toBe(1);
    proxy.setFault({ kind: 'down' });
    expect(await open.ended).toBe('ECONNRESET');
    await eventually(() => expect(echo.open()).toBe(0));

    const refused = await connectClient(proxy.port);
    expect(await refused.ended).toBe('ECONNRESET');
    expect(echo.open()).toBe(0);
    expect(proxy.stats()).toMatchObject({ connections: 2, open: 0, resets: 2 });

    proxy.setFault(undefined);
    const again = await connectClient(proxy.port);
    await again.roundTrip('up again;');
  });

  it('cuts exactly the connection that sends the match, once', async () => {
    const bystander = await connectClient(proxy.port);
    const victim = await connectClient(proxy.port);
    proxy.setFault({ kind: 'cut-on', match: 'INSERT INTO orders' });
    await bystander.roundTrip('select;');
    victim.socket.write('INSERT INTO orders VALUES (1);');
    expect(await victim.ended).toBe('ECONNRESET');
    expect(proxy.fault).toBeUndefined();
    expect(proxy.stats()).toMatchObject({ cuts: 1, resets: 1 });

    await bystander.roundTrip('INSERT INTO orders VALUES (2);');
    expect(echo.received()).toBe('select;INSERT INTO orders VALUES (2);');
    expect(proxy.stats()).toMatchObject({ cuts: 1 });
  });

  it('closes promptly with stalled connections open', async () => {
    proxy.setFault({ kind: 'stall' });
    const held = await connectClient(proxy.port);
    held.socket.write('never answered');
    const started = performance.now();
    await proxy.close();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(await held.ended).toBe('ECONNRESET');
  });
});

it('resets the client when the target cannot be reached', async () => {
  const echo = await startEchoServer();
  const port = echo.port;
  await echo.close();
  const proxy = await startFaultProxy({ host: '127.0.0.1', port });
  try {
    const client = await connectClient(proxy.port);
    expect(await client.ended).toBe('ECONNRESET');
    await eventually(() => expect(proxy.stats().open).toBe(0));
  } finally {
    await proxy.close();
  }
});

describe('fault proxy in front of PostgreSQL', () => {
  let proxy: FaultProxy;
  const clients: pg.Client[] = [];
  const connected = async () => {
    const client = new pg.Client({
      host: proxy.host,
      port: proxy.port,
      user: 'postgres',
      database: 'postgres',
    });
    clients.push(client);
    const errors: Error[] = [];
    // pg emits an idle connection's failure as an 'error' event; unheard, it would crash the test.
    client.on('error', (error) => errors.push(error));
    await client.connect();
    return { client, errors };
  };
  beforeEach(async () => {
    proxy = await startFaultProxy({ host: '127.0.0.1', port: 5432 });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.end().catch(() => undefined)));
    await proxy.close();
  });

  it('carries queries; down fails the query in flight and new connections; clearing recovers', async () => {
    const { client, errors } = await connected();
    const { rows } = await client.query<{ answer: number }>('select 41 + 1 as answer');
    expect(rows).toEqual([{ answer: 42 }]);

    const sent = proxy.stats().bytesUp;
    const inFlight = client.query('select pg_sleep(2)');
    await eventually(() => expect(proxy.stats().bytesUp).toBeGreaterThan(sent), { interval: 5 });
    proxy.setFault({ kind: 'down' });
    await expect(inFlight).rejects.toThrow(/ECONNRESET|Connection terminated/);
    await eventually(() => expect(errors.length).toBeGreaterThan(0));
    await expect(connected()).rejects.toThrow(/ECONNRESET|Connection terminated/);

    proxy.setFault(undefined);
    const again = await connected();
    expect((await again.client.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
  });

  it('cut-on fails the matching statement and leaves other connections working', async () => {
    const { client: victim } = await connected();
    const { client: bystander } = await connected();
    proxy.setFault({ kind: 'cut-on', match: 'seamtest_cut_me' });
    await expect(victim.query("select 'seamtest_cut_me'")).rejects.toThrow(
      /ECONNRESET|Connection terminated/,
    );
    expect((await bystander.query("select 'seamtest_cut_me' as text")).rows).toEqual([
      { text: 'seamtest_cut_me' },
    ]);
  });
});

describe('fault proxy in front of Redis', () => {
  let proxy: FaultProxy;
  let redis: Redis;
  beforeEach(async () => {
    proxy = await startFaultProxy({ host: '127.0.0.1', port: 6379 });
    // No retries, so a fault shows as a failed command rather than a silent reconnect loop.
    redis = new Redis({
      host: proxy.host,
      port: proxy.port,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    redis.on('error', () => undefined);
  });
  afterEach(async () => {
    redis.disconnect();
    await proxy.close();
  });

  it('answers PING through the proxy, and fails it while down', async () => {
    await redis.connect();
    expect(await redis.ping()).toBe('PONG');
    proxy.setFault({ kind: 'down' });
    await new Promise((resolve) => redis.once('end', resolve));
    await expect(redis.ping()).rejects.toThrow(/Connection is closed/);
  });
});
