// The last way to get a real dependency, after a URL from the environment and (for PostgreSQL)
// the embedded engine: a container, when a Docker engine answers and `testcontainers` is
// installed. No Docker engine runs where seamtest is developed, so this path is not exercised
// by seamtest's own tests; `dockerAnswers()` is, and says no there.
import { request } from 'node:http';
import type { DependencyTechnology } from './system.js';

interface ContainerRecipe {
  image: string;
  port: number;
  env: Record<string, string>;
  url(host: string, port: number): string;
}

const RECIPES: Record<DependencyTechnology, ContainerRecipe> = {
  postgresql: {
    image: 'postgres:16',
    port: 5432,
    env: { POSTGRES_PASSWORD: 'postgres' },
    url: (host, port) => `postgres://postgres:postgres@${host}:${port}/postgres`,
  },
  redis: { image: 'redis:7', port: 6379, env: {}, url: (host, port) => `redis://${host}:${port}` },
  rabbitmq: {
    image: 'rabbitmq:3-management',
    port: 5672,
    env: {},
    url: (host, port) => `amqp://guest:guest@${host}:${port}`,
  },
};

/** The part of testcontainers this uses, so the suite compiles without it installed. */
interface ContainerBuilder {
  withExposedPorts(port: number): ContainerBuilder;
  withEnvironment(env: Record<string, string>): ContainerBuilder;
  withWaitStrategy(strategy: unknown): ContainerBuilder;
  start(): Promise<{
    getHost(): string;
    getMappedPort(port: number): number;
    stop(): Promise<unknown>;
  }>;
}

interface Testcontainers {
  GenericContainer: new (image: string) => ContainerBuilder;
  Wait: { forListeningPorts(): unknown };
}

export interface RunningContainer {
  url: string;
  stop(): Promise<void>;
}

/** Whether a Docker engine answers `/_ping` on DOCKER_HOST or the default socket, within a second. */
export function dockerAnswers(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const host = env.DOCKER_HOST;
  const tcp = host?.startsWith('tcp://') ? new URL(host.replace('tcp://', 'http://')) : undefined;
  const target = tcp
    ? { host: tcp.hostname, port: Number(tcp.port || 2375) }
    : {
        socketPath: host?.startsWith('unix://')
          ? host.slice('unix://'.length)
          : '/var/run/docker.sock',
      };
  return new Promise((resolve) => {
    const ping = request({ ...target, path: '/_ping', timeout: 1_000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    ping.on('timeout', () => ping.destroy());
    ping.on('error', () => resolve(false));
    ping.end();
  });
}

export async function startContainer(technology: DependencyTechnology): Promise<RunningContainer> {
  const recipe = RECIPES[technology];
  // A name in a variable: the suite must compile and run without testcontainers installed.
  const name = 'testcontainers';
  let library: Testcontainers;
  try {
    library = (await import(name)) as Testcontainers;
  } catch {
    throw new Error(
      `a Docker engine answers but testcontainers is not installed: run npm install -D testcontainers in the suite's folder`,
    );
  }
  const container = await new library.GenericContainer(recipe.image)
    .withExposedPorts(recipe.port)
    .withEnvironment(recipe.env)
    .withWaitStrategy(library.Wait.forListeningPorts())
    .start();
  return {
    url: recipe.url(container.getHost(), container.getMappedPort(recipe.port)),
    stop: async () => {
      await container.stop();
    },
  };
}
