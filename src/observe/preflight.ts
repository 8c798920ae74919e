// Before anything is started: every real dependency the suite needs answers, or generation stops
// with one line that names the dependency and the variable that provides it. A PostgreSQL
// dependency without a URL is fine: the suite provisions it on the embedded engine instead.
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import pg from 'pg';
import { SeamtestError } from '../errors.js';
import { dockerAnswers } from '../runtime/containers.js';
import { redact } from '../runtime/stack.js';
import type { DependencySpec, SystemSpec } from '../runtime/system.js';

const EXAMPLES: Record<DependencySpec['technology'], string> = {
  postgresql: 'postgres://postgres@127.0.0.1:5432/postgres',
  redis: 'redis://127.0.0.1:6379',
  rabbitmq: 'amqp://guest:guest@127.0.0.1:5672',
};

export async function preflight(
  spec: SystemSpec,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  for (const dependency of spec.dependencies) {
    const variable = dependency.urlVariables.find((name) => env[name]);
    const url = variable ? (env[variable] as string) : undefined;
    const how = `set ${dependency.urlVariables[0]} to a ${dependency.technology} the tests may use (e.g. ${EXAMPLES[dependency.technology]})`;
    if (!url) {
      // Without a server, each worker gets an embedded PostgreSQL engine (see runtime/stack.ts).
      if (dependency.technology === 'postgresql') continue;
      // With Docker, the suite starts a container for it (see runtime/containers.ts).
      if (await dockerAnswers(env)) continue;
      const missing = `no ${dependency.technology} for ${dependency.id}: ${how}, or start a Docker engine so the suite can run one with testcontainers`;
      throw new SeamtestError('dependency-down', missing);
    }
    const problem = await reach(dependency, url);
    if (problem) {
      throw new SeamtestError(
        'dependency-down',
        `${dependency.id} (${dependency.technology}) at ${redact(url)} from ${variable} does not answer (${problem}): start it or ${how}`,
      );
    }
  }
}

async function reach(dependency: DependencySpec, url: string): Promise<string | undefined> {
  try {
    if (dependency.technology === 'postgresql') {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
      await client.connect();
      await client.end();
    } else if (dependency.technology === 'redis') {
      const redis = new Redis(url, {
        lazyConnect: true,
        connectTimeout: 3_000,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      // Without a listener ioredis prints its connection error itself; the one line below says it.
      redis.on('error', () => undefined);
      try {
        await redis.connect();
        await redis.ping();
      } finally {
        redis.disconnect();
      }
    } else {
      const connection = await amqp.connect(url, { timeout: 3_000 });
      await connection.close();
    }
    return undefined;
  } catch (error) {
    return (error as Error).message.split('\n')[0] || (error as Error).name;
  }
}
