import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type EmbeddedPostgres,
  startEmbeddedPostgres,
} from '../../src/runtime/embedded-postgres.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

let engine: EmbeddedPostgres;
let pool: pg.Pool;
let firstStartMs = 0;

beforeAll(async () => {
  const started = performance.now();
  engine = await startEmbeddedPostgres();
  firstStartMs = performance.now() - started;
  pool = new pg.Pool({ connectionString: engine.url, max: 10 });
});

afterAll(async () => {
  await pool?.end();
  await engine?.stop();
});

/** Reserves one unit the way an inventory service does; false when none is left. */
async function reserve(sku: string, holdMs: number): Promise<boolean> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ available: number }>(
      'SELECT available FROM stock WHERE sku = $1 FOR UPDATE',
      [sku],
    );
    await sleep(holdMs); // the application's own work while it holds the row lock
    if ((rows[0]?.available ?? 0) > 0) {
      await client.query('UPDATE stock SET available = available - 1 WHERE sku = $1', [sku]);
      await client.query('COMMIT');
      return true;
    }
    await client.query('ROLLBACK');
    return false;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

/** COPY ... FROM STDIN through pg's own connection, as pg-copy-streams does it. */
function copyFrom(client: pg.Client, sql: string, data: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let failure: Error | undefined;
    const copy = {
      submit: (connection: { query(text: string): void }) => connection.query(sql),
      handleCopyInResponse: (connection: {
        sendCopyFromChunk(chunk: Buffer): void;
        endCopyFrom(): void;
      }) => {
        connection.sendCopyFromChunk(Buffer.from(data));
        connection.endCopyFrom();
      },
      handleCommandComplete: () => {},
      handleError: (error: Error) => {
        failure = error;
      },
      handleReadyForQuery: () => (failure ? reject(failure) : resolve()),
    };
    client.query(copy as unknown as pg.Submittable);
  });
}

describe('startEmbeddedPostgres', () => {
  it('serves DDL and queries to a pg.Pool through a postgres:// URL', async () => {
    expect(engine.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    await pool.query(`
      CREATE TABLE reservations (
        id text PRIMARY KEY,
        sku text NOT NULL,
        quantity int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    const at = new Date('2030-01-02T03:04:05.678Z');
    const first = await pool.query(
      'INSERT INTO reservations (id, sku, quantity, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING *',
      ['r1', 'lamp', 2, at],
    );
    expect(first.rows).toEqual([{ id: 'r1', sku: 'lamp', quantity: 2, created_at: at }]);
    const again = await pool.query(
      'INSERT INTO reservations (id, sku, quantity) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING *',
      ['r1', 'desk', 9],
    );
    expect(again.rowCount).toBe(0);
    await pool.query(
      "INSERT INTO reservations (id, sku, quantity) VALUES ('r2', 'desk', 1), ('r3', 'chair', 4)",
    );
    const some = await pool.query<{ id: string; created_at: Date }>(
      'SELECT id, created_at FROM reservations WHERE id = ANY($1) ORDER BY id',
      [['r1', 'r3', 'nope']],
    );
    expect(some.rows.map((r) => r.id)).toEqual(['r1', 'r3']);
    expect(some.rows[0]?.created_at).toEqual(at);
    expect(some.rows[1]?.created_at).toBeInstanceOf(Date);
    expect(Math.abs((some.rows[1]?.created_at.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
    const version = await pool.query<{ server_version_num: string }>('SHOW server_version_num');
    expect(Number(version.rows[0]?.server_version_num)).toBeGreaterThanOrEqual(170000);
    const failed = await pool.query('SELECT * FROM missing_table').catch((error) => error);
    expect(failed).toMatchObject({ code: '42P01' });
  });

  it('makes a second FOR UPDATE wait until the first transaction commits', async () => {
    await pool.query('CREATE TABLE stock (sku text PRIMARY KEY, available int NOT NULL)');
    await pool.query("INSERT INTO stock VALUES ('lamp', 3), ('desk', 1), ('chair', 3)");
    const a = await pool.connect();
    const b = await pool.connect();
    try {
      const events: string[] = [];
      await a.query('BEGIN');
      const seenByA = await a.query('SELECT available FROM stock WHERE sku = $1 FOR UPDATE', [
        'lamp',
      ]);
      expect(seenByA.rows).toEqual([{ available: 3 }]);
      const bDone = (async () => {
        await b.query('BEGIN');
        const seen = await b.query<{ available: number }>(
          'SELECT available FROM stock WHERE sku = $1 FOR UPDATE',
          ['lamp'],
        );
        events.push('b locked');
        await b.query('UPDATE stock SET available = available - 1 WHERE sku = $1', ['lamp']);
        await b.query('COMMIT');
        return seen.rows[0]?.available;
      })();
      await sleep(200);
      expect(events).toEqual([]); // b is still waiting for a
      await a.query('UPDATE stock SET available = available - 1 WHERE sku = $1', ['lamp']);
      events.push('a commits');
      await a.query('COMMIT');
      expect(await bDone).toBe(2); // b saw a's committed row
      expect(events).toEqual(['a commits', 'b locked']);
      const after = await pool.query("SELECT available FROM stock WHERE sku = 'lamp'");
      expect(after.rows).toEqual([{ available: 1 }]);
    } finally {
      a.release();
      b.release();
    }
  });

  it('lets exactly one of two concurrent reservations take the last unit', async () => {
    const results = await Promise.all([reserve('desk', 30), reserve('desk', 30)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const desk = await pool.query("SELECT available FROM stock WHERE sku = 'desk'");
    expect(desk.rows).toEqual([{ available: 0 }]);

    const many = await Promise.all(Array.from({ length: 12 }, () => reserve('chair', 5)));
    expect(many.filter(Boolean)).toHaveLength(3);
    const chair = await pool.query("SELECT available FROM stock WHERE sku = 'chair'");
    expect(chair.rows).toEqual([{ available: 0 }]);
  });

  it('keeps concurrent mixed traffic on ten connections apart', async () => {
    const work = Array.from({ length: 200 }, async (_, i) => {
      switch (i % 5) {
        case 0: {
          const r = await pool.query('SELECT $1::int * 2 AS v', [i]);
          return r.rows[0]?.v === i * 2;
        }
        case 1: {
          const r = await pool.query({ name: 'tagged', text: 'SELECT $1::text AS v', values: [i] });
          return r.rows[0]?.v === String(i);
        }
        case 2: {
          const r = await pool.query(`SELECT ${i} AS a; SELECT ${i + 1} AS b`);
          const [first, second] = r as unknown as pg.QueryResult[];
          return first?.rows[0]?.a === i && second?.rows[0]?.b === i + 1;
        }
        case 3: {
          const error = await pool.query('SELECT 1/0').catch((e) => e);
          return error?.code === '22012';
        }
        default: {
          const r = await pool.query('SELECT sku FROM stock WHERE sku = ANY($1) ORDER BY sku', [
            ['desk', 'lamp'],
          ]);
          return r.rows.map((row) => row.sku).join() === 'desk,lamp';
        }
      }
    });
    expect(await Promise.all(work)).toEqual(Array(200).fill(true));
  });

  it('keeps named prepared statements private to each connection', async () => {
    const a = await pool.connect();
    const b = await pool.connect();
    try {
      await a.query({ name: 'same-name', text: 'SELECT $1::int AS v', values: [1] });
      const fromB = await b.query({
        name: 'same-name',
        text: 'SELECT $1::int + 100 AS v',
        values: [1],
      });
      const fromA = await a.query({ name: 'same-name', text: 'SELECT $1::int AS v', values: [7] });
      expect(fromB.rows).toEqual([{ v: 101 }]);
      expect(fromA.rows).toEqual([{ v: 7 }]);
    } finally {
      a.release();
      b.release();
    }
  });

  it('runs a migration script of many statements from a separate pg.Client', async () => {
    const migration = `
      -- 001_orders.sql
      CREATE TABLE orders (
        id bigserial PRIMARY KEY,
        customer text NOT NULL,
        note text DEFAULT 'it''s new; really',
        placed_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX orders_customer ON orders (customer);
      /* a function with a dollar-quoted body containing ; and 'quotes' */
      CREATE FUNCTION order_count(who text) RETURNS bigint LANGUAGE sql AS $$
        SELECT count(*) FROM orders WHERE customer = who;
      $$;
      INSERT INTO orders (customer) VALUES ('ada'), ('ada'), ('bob');
    `;
    const client = new pg.Client({ connectionString: engine.url });
    await client.connect();
    try {
      await client.query(migration);
    } finally {
      await client.end();
    }
    const counted = await pool.query('SELECT order_count($1) AS n', ['ada']);
    expect(counted.rows).toEqual([{ n: '2' }]);
    const notes = await pool.query('SELECT DISTINCT note FROM orders');
    expect(notes.rows).toEqual([{ note: "it's new; really" }]);
  });

  it('rolls back the open transaction of a connection that goes away', async () => {
    const client = new pg.Client({ connectionString: engine.url });
    await client.connect();
    await client.query('BEGIN');
    await client.query("INSERT INTO orders (customer) VALUES ('ghost')");
    await client.end();
    const ghosts = await pool.query(
      "SELECT count(*)::int AS n FROM orders WHERE customer = 'ghost'",
    );
    expect(ghosts.rows).toEqual([{ n: 0 }]);
  });

  it('delivers NOTIFY to the connection that LISTENs', async () => {
    const listener = new pg.Client({ connectionString: engine.url });
    await listener.connect();
    try {
      const received = new Promise<pg.Notification>((resolve) =>
        listener.on('notification', resolve),
      );
      await listener.query('LISTEN order_events');
      await pool.query("SELECT pg_notify('order_events', 'placed:42')");
      const notification = await received;
      expect(notification).toMatchObject({ channel: 'order_events', payload: 'placed:42' });
    } finally {
      await listener.end();
    }
  });

  it('supports COPY FROM STDIN alone and refuses it elsewhere without losing the engine', async () => {
    const client = new pg.Client({ connectionString: engine.url });
    await client.connect();
    try {
      await client.query('CREATE TABLE imported (n int, label text)');
      await copyFrom(client, 'COPY imported FROM STDIN', '1\tone\n2\ttwo\n');
      const refused = await client
        .query("SELECT 1; COPY imported FROM STDIN; SELECT 'copy from stdin'")
        .catch((error) => error);
      expect(refused).toMatchObject({ code: '0A000' });
      const noSource = await client.query('COPY imported FROM STDIN').catch((error) => error);
      expect(String(noSource?.message)).toMatch(/COPY from stdin failed/);
      const rows = await client.query('SELECT n, label FROM imported ORDER BY n');
      expect(rows.rows).toEqual([
        { n: 1, label: 'one' },
        { n: 2, label: 'two' },
      ]);
    } finally {
      await client.end();
    }
  });

  it('fails a connection that waits too long for another connection`s transaction', async () => {
    const holder = await pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1');
      const started = performance.now();
      const error = await pool.query('SELECT 2').catch((e) => e);
      expect(error).toMatchObject({ code: '55P03' });
      expect(String(error.message)).toMatch(/one transaction at a time/);
      expect(performance.now() - started).toBeGreaterThanOrEqual(4900);
      await holder.query('COMMIT');
    } finally {
      holder.release();
    }
    expect((await pool.query('SELECT 3 AS n')).rows).toEqual([{ n: 3 }]);
  }, 20_000);

  it('starts independent engines in one process', async () => {
    const started = performance.now();
    const other = await startEmbeddedPostgres();
    const secondStartMs = performance.now() - started;
    try {
      expect(new URL(other.url).port).not.toBe(new URL(engine.url).port);
      const client = new pg.Client({ connectionString: other.url });
      await client.connect();
      try {
        const tables = await client.query("SELECT to_regclass('stock') AS t");
        expect(tables.rows).toEqual([{ t: null }]);
        await client.query('CREATE TABLE stock (sku text PRIMARY KEY, available int NOT NULL)');
        await client.query("INSERT INTO stock VALUES ('other-only', 99)");
      } finally {
        await client.end();
      }
      const here = await pool.query(
        "SELECT count(*)::int AS n FROM stock WHERE sku = 'other-only'",
      );
      expect(here.rows).toEqual([{ n: 0 }]);
    } finally {
      await other.stop();
    }
    console.log(
      `embedded PostgreSQL start-up: first ${firstStartMs.toFixed(0)} ms, next ${secondStartMs.toFixed(0)} ms`,
    );
  });

  it('answers queries in well under a millisecond or two', async () => {
    const rounds = 500;
    let started = performance.now();
    for (let i = 0; i < rounds; i++) await pool.query('SELECT $1::int AS v', [i]);
    const parameterised = (performance.now() - started) / rounds;
    started = performance.now();
    for (let i = 0; i < rounds; i++) await pool.query('SELECT 1');
    const simple = (performance.now() - started) / rounds;
    started = performance.now();
    for (let i = 0; i < rounds; i++) {
      await pool.query('SELECT available FROM stock WHERE sku = $1', ['lamp']);
    }
    const lookup = (performance.now() - started) / rounds;
    console.log(
      `embedded PostgreSQL per-query latency: parameterised ${parameterised.toFixed(3)} ms, ` +
        `simple ${simple.toFixed(3)} ms, primary-key lookup ${lookup.toFixed(3)} ms`,
    );
    expect(parameterised).toBeLessThan(20);
  });

  it('closes every connection on stop(), so the process exits by itself', async () => {
    const script = `
      import pg from 'pg';
      import { startEmbeddedPostgres } from './src/runtime/embedded-postgres.ts';
      const engine = await startEmbeddedPostgres();
      const pool = new pg.Pool({ connectionString: engine.url, max: 3 });
      let poolErrors = 0;
      pool.on('error', () => poolErrors++);
      await Promise.all([pool.query('SELECT 1'), pool.query('SELECT 2'), pool.query('SELECT 3')]);
      const client = new pg.Client({ connectionString: engine.url });
      let clientError = '';
      client.on('error', (error) => { clientError = error.message; });
      await client.connect();
      await client.query('BEGIN');
      const waiting = pool.query('SELECT 4').then(() => 'answered', (error) => error.message);
      await engine.stop();
      const refused = await new pg.Client({ connectionString: engine.url }).connect()
        .then(() => 'connected', (error) => error.code);
      const stoppedAt = performance.now();
      process.on('exit', () => {
        console.log(JSON.stringify({
          poolErrors, clientError, refused, exitMs: performance.now() - stoppedAt,
          waiting: 'see below',
        }));
      });
      console.log(JSON.stringify({ waiting: await waiting }));
    `;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: repoRoot, timeout: 30_000 },
    );
    const [waitLine, exitLine] = stdout.trim().split('\n');
    expect(JSON.parse(waitLine ?? '{}').waiting).not.toBe('answered');
    const report = JSON.parse(exitLine ?? '{}');
    expect(report).toMatchObject({
      poolErrors: 2,
      clientError: 'Connection terminated unexpectedly',
      refused: 'ECONNREFUSED',
    });
    expect(report.exitMs).toBeLessThan(2000);
  });
});
