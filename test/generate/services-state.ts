// What the shared local services hold, to show a generated suite leaves them as it found them:
// the databases of the PostgreSQL servers, the keys of one Redis database, and the queues and
// exchanges of the RabbitMQ broker.
import { spawnSync } from 'node:child_process';
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import pg from 'pg';

export interface ServicesState {
  /** `<server> <database>` for each database of each PostgreSQL server. */
  databases: string[];
  /** The Redis database's DBSIZE and keys. */
  redis: { dbsize: number; keys: string[] };
  /** Queue names, from rabbitmqctl; undefined when rabbitmqctl does not work here. */
  queues?: string[] | undefined;
  /** Exchange names, from rabbitmqctl ('' is the default exchange). */
  exchanges?: string[] | undefined;
}

export async function servicesState(
  postgresUrls: string[],
  redisUrl: string,
): Promise<ServicesState> {
  const databases: string[] = [];
  for (const url of new Set(postgresUrls.map(serverOf))) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ datname: string }>(
        'select datname from pg_database order by datname',
      );
      for (const row of rows) databases.push(`${url} ${row.datname}`);
    } finally {
      await client.end();
    }
  }
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  let dbsize: number;
  const keys: string[] = [];
  try {
    await redis.connect();
    dbsize = await redis.dbsize();
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'COUNT', 1000);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  keys.sort();
  const queues = rabbitmqctl('list_queues', 'name', 'exclusive')
    // An exclusive queue lives only as long as its connection: one still there after the suite's
    // processes have exited belongs to someone else.
    ?.filter((row) => row[1] !== 'true')
    .map((row) => row[0] ?? '');
  const exchanges = rabbitmqctl('list_exchanges', 'name')?.map((row) => row[0] ?? '');
  return { databases: databases.sort(), redis: { dbsize, keys }, queues, exchanges };
}

/** Rows of a rabbitmqctl listing, or undefined when rabbitmqctl is not available or not allowed. */
function rabbitmqctl(...args: string[]): string[][] | undefined {
  const result = spawnSync('rabbitmqctl', ['-q', ...args, '--no-table-headers'], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (result.status !== 0) return undefined;
  return result.stdout
    .split('\n')
    .slice(0, -1)
    .map((line) => line.split('\t'))
    .sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
}

function serverOf(url: string): string {
  const parsed = new URL(url);
  parsed.pathname = '/postgres';
  return parsed.toString();
}

/** Names of exchanges and queues that are gone from the broker (checked one by one). */
export async function brokerLeftovers(
  url: string,
  names: { exchanges: string[]; queues: string[] },
): Promise<string[]> {
  const connection = await amqp.connect(url);
  const left: string[] = [];
  try {
    for (const [kind, list] of [
      ['exchange', names.exchanges],
      ['queue', names.queues],
    ] as const) {
      for (const name of list) {
        const channel = await connection.createChannel();
        // A check of something absent closes the channel with 404; that is what we hope for.
        channel.on('error', () => undefined);
        const present = await (kind === 'exchange'
          ? channel.checkExchange(name)
          : channel.checkQueue(name)
        ).then(
          () => true,
          () => false,
        );
        if (present) {
          left.push(`${kind} ${name}`);
          await channel.close();
        }
      }
    }
  } finally {
    await connection.close();
  }
  return left;
}

/**
 * Databases, queues and exchanges a seamtest run makes carry its run id (`st_<…>_<id>_w1`,
 * `<name>.st-<id>-1`). Other runs on the same shared services (other worktrees, other sessions)
 * come and go while this one runs; what another run id made is not this suite's doing.
 */
export function runIdOf(name: string): string | undefined {
  return /(?:\.st-([0-9a-f]{6})-\d+|_([0-9a-f]{6})_w\d+)$/.exec(name)?.slice(1).find(Boolean);
}

/** What was added and removed between two lists, leaving out what another run made. */
export function changes(
  before: string[] | undefined,
  after: string[] | undefined,
  ownRunId: string | undefined,
): { added: string[]; removed: string[] } {
  const foreign = (name: string) => {
    const id = runIdOf(name);
    return id !== undefined && ownRunId !== undefined && id !== ownRunId;
  };
  const was = new Set((before ?? []).filter((name) => !foreign(name)));
  const is = new Set((after ?? []).filter((name) => !foreign(name)));
  return {
    added: [...is].filter((name) => !was.has(name)),
    removed: [...was].filter((name) => !is.has(name)),
  };
}
