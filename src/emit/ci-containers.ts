// How each dependency's container is configured, started and checked, shared by the GitHub
// workflow, the GitLab job and the local commands in the notes.
import {
  type CiDependency,
  imageRepository,
  imageTag,
  TECHNOLOGY,
  type TechnologyInfo,
} from './ci-dependencies.js';

export interface ContainerSetup {
  /** The port it listens on inside its container. */
  port: number;
  env: Readonly<Record<string, string>>;
  /** Arguments after the image; a GitHub service container cannot pass them. */
  args: readonly string[];
  /** Run inside the container by Docker's healthcheck (GitHub service containers). */
  health?: { command: string; interval: string; retries: number };
  /** A check on the runner that exits 0 once a `docker run` container is ready. */
  ready?: string;
  /** More ports to publish, host → container. */
  extraPorts: readonly (readonly [number, number])[];
  /** Why GitHub starts it with `docker run` rather than as a service container. */
  dockerRun?: string;
}

const KAFKA_CONTROLLER_PORT = 29093;
/** A fixed KRaft cluster id, so the same files start the same cluster. */
const KAFKA_CLUSTER_ID = 'MkU3OEVBNTcwNTJENDM2Qk';

/** The host port a dependency is published on, read from its URL. */
export function hostPort(dependency: CiDependency): number {
  const port = /^[a-z][\w+.-]*:\/\/(?:[^@/]*@)?[^:/?#]*:(\d+)/i.exec(dependency.url)?.[1];
  return port ? Number(port) : TECHNOLOGY[dependency.technology].port;
}

const AUTHORITY = /^([a-z][\w+.-]*:\/\/(?:[^@/]*@)?)[^:/?#]*(?::\d+)?/i;

/** The dependency's URL with another host and port, e.g. a GitLab service alias. */
export function urlAt(dependency: CiDependency, host: string, port: number): string {
  return AUTHORITY.test(dependency.url)
    ? dependency.url.replace(AUTHORITY, `$1${host}:${port}`)
    : TECHNOLOGY[dependency.technology].url(host, port);
}

/**
 * The container for a dependency that clients reach at `host:port`. Only Kafka needs to know
 * that address (it advertises it), and it listens on that same port so it can check itself.
 */
export function containerSetup(
  dependency: CiDependency,
  reachedAt: { host: string; port: number },
): ContainerSetup {
  const info: TechnologyInfo = TECHNOLOGY[dependency.technology];
  const repository = imageRepository(dependency.image);
  const base = { port: info.port, env: {}, args: [], extraPorts: [] };
  switch (dependency.technology) {
    case 'postgresql':
      return {
        ...base,
        env: { POSTGRES_PASSWORD: 'postgres' },
        // Over TCP: while its init scripts run, PostgreSQL listens on its socket only.
        health: { command: 'pg_isready -h 127.0.0.1 -U postgres', interval: '2s', retries: 30 },
      };
    case 'mysql':
      return repository === 'mariadb'
        ? {
            ...base,
            env: { MARIADB_ROOT_PASSWORD: 'seamtest', MARIADB_DATABASE: 'seamtest' },
            health: {
              command: 'healthcheck.sh --connect --innodb_initialized',
              interval: '2s',
              retries: 60,
            },
          }
        : {
            ...base,
            env: { MYSQL_ROOT_PASSWORD: 'seamtest', MYSQL_DATABASE: 'seamtest' },
            health: {
              command: 'mysqladmin ping -h 127.0.0.1 -uroot -pseamtest',
              interval: '2s',
              retries: 60,
            },
          };
    case 'redis': {
      const cli = repository.startsWith('valkey') ? 'valkey-cli' : 'redis-cli';
      return { ...base, health: { command: `${cli} ping`, interval: '2s', retries: 30 } };
    }
    case 'rabbitmq':
      return {
        ...base,
        // Healthy once the AMQP listener takes connections, not merely once the node is up.
        health: {
          command: 'rabbitmq-diagnostics -q check_port_connectivity',
          interval: '5s',
          retries: 30,
        },
      };
    case 'nats': {
      const monitor = 8222 + (reachedAt.port - info.port);
      return {
        ...base,
        args: ['-js', '-m', '8222'],
        extraPorts: [[monitor, 8222]],
        ready: `curl -fsS 'http://localhost:${monitor}/healthz?js-enabled-only=true'`,
        dockerRun: 'JetStream needs the -js argument, which a service container cannot pass',
      };
    }
    case 'mqtt': {
      if (repository !== 'eclipse-mosquitto') {
        return { ...base, health: { command: 'emqx ctl status', interval: '5s', retries: 30 } };
      }
      const ping = `mosquitto_pub -h localhost -p ${info.port} -t seamtest/ready -m ready`;
      if (imageTag(dependency.image).startsWith('1')) {
        return { ...base, health: { command: ping, interval: '2s', retries: 30 } };
      }
      return {
        ...base,
        // Without a configuration, Mosquitto 2 listens on its container's loopback only.
        args: ['mosquitto', '-c', '/mosquitto-no-auth.conf'],
        ready: `docker exec ${dependency.service} ${ping}`,
        dockerRun:
          'Mosquitto 2 takes outside connections only with arguments a service container cannot pass',
      };
    }
    case 'kafka': {
      const port = reachedAt.port;
      const tool =
        repository === 'apache/kafka'
          ? '/opt/kafka/bin/kafka-broker-api-versions.sh'
          : 'kafka-broker-api-versions';
      return {
        ...base,
        port,
        env: {
          CLUSTER_ID: KAFKA_CLUSTER_ID,
          KAFKA_NODE_ID: '1',
          KAFKA_PROCESS_ROLES: 'broker,controller',
          KAFKA_LISTENERS: `PLAINTEXT://:${port},CONTROLLER://:${KAFKA_CONTROLLER_PORT}`,
          KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${reachedAt.host}:${port}`,
          KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
          KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
          KAFKA_CONTROLLER_QUORUM_VOTERS: `1@localhost:${KAFKA_CONTROLLER_PORT}`,
          KAFKA_INTER_BROKER_LISTENER_NAME: 'PLAINTEXT',
          KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
          KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
          KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
          KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
        },
        ready: `docker exec ${dependency.service} ${tool} --bootstrap-server localhost:${port}`,
        dockerRun: 'Kafka starts slowly, so it starts first and comes up while the job installs',
      };
    }
  }
}

/** `docker run -d …` for a dependency published on its host port, as lines joined by `\`. */
export function dockerRunCommand(dependency: CiDependency): string {
  const published = hostPort(dependency);
  const setup = containerSetup(dependency, { host: 'localhost', port: published });
  const options = [
    `-p ${published}:${setup.port}`,
    ...setup.extraPorts.map(([host, container]) => `-p ${host}:${container}`),
    ...Object.entries(setup.env).map(([name, value]) => `-e ${shellWord(`${name}=${value}`)}`),
  ];
  const first = `docker run -d --name ${dependency.service}`;
  const last = [dependency.image, ...setup.args].map(shellWord).join(' ');
  const lines = [first, ...options, last];
  return lines.length <= 4 && lines.join(' ').length <= 90
    ? lines.join(' ')
    : lines.map((line, index) => (index === 0 ? line : `  ${line}`)).join(' \\\n');
}

/** A bounded wait on the runner for a container started with `docker run`. */
export function waitScript(dependency: CiDependency, check: string, attempts = 60): string {
  return [
    `for _ in $(seq 1 ${attempts}); do`,
    `  if timeout 20 ${check} >/dev/null 2>&1; then exit 0; fi`,
    '  sleep 2',
    'done',
    `echo "${dependency.service} was not ready after ${attempts} attempts" >&2`,
    `docker logs ${dependency.service}`,
    'exit 1',
  ].join('\n');
}

export function shellWord(word: string): string {
  return /^[\w./@%+=:,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
