// The databases, caches and brokers a generated suite needs in CI, one entry per container: the
// components docker-compose serves from one container share it in CI too.
import type { Component, IntegrationMap } from '../map/model.js';

export type DependencyTechnology =
  | 'postgresql'
  | 'mysql'
  | 'redis'
  | 'rabbitmq'
  | 'nats'
  | 'mqtt'
  | 'kafka';

export interface CiDependency {
  /** Map component ids served by this one container, e.g. ['inventory-db', 'orders-db']. */
  components: string[];
  technology: DependencyTechnology;
  /** From docker-compose when the CI files know how to configure it, else a pinned default. */
  image: string;
  /** What the suite reads to find it, one per component: SEAMTEST_<COMPONENT_ID>_URL. */
  variables: string[];
  /** The URL the suite uses in CI, with the host as GitHub Actions sees it (localhost). */
  url: string;
  /** The CI service's name, GitLab's host alias and the `docker run --name`. */
  service: string;
}

export interface TechnologyInfo {
  label: string;
  /** The CI service's name when docker-compose does not name one. */
  service: string;
  image: string;
  /** The port it listens on in its container. */
  port: number;
  /** Images (repository path, no registry or tag) whose configuration these files know. */
  images: RegExp;
  url(host: string, port: number): string;
}

/** The order dependencies are listed in: databases, then caches, then brokers. */
export const TECHNOLOGIES: readonly DependencyTechnology[] = [
  'postgresql',
  'mysql',
  'redis',
  'rabbitmq',
  'nats',
  'mqtt',
  'kafka',
];

// Passwords are fixed test-only values: nothing here comes from the project's configuration.
export const TECHNOLOGY: Readonly<Record<DependencyTechnology, TechnologyInfo>> = {
  postgresql: {
    label: 'PostgreSQL',
    service: 'postgres',
    image: 'postgres:17',
    port: 5432,
    images: /^(?:postgres|postgis\/postgis|pgvector\/pgvector|timescale\/timescaledb)$/,
    url: (host, port) => `postgres://postgres:postgres@${host}:${port}/postgres`,
  },
  mysql: {
    label: 'MySQL',
    service: 'mysql',
    image: 'mysql:8.4',
    port: 3306,
    images: /^(?:mysql|mariadb|mysql\/mysql-server|percona)$/,
    url: (host, port) => `mysql://root:seamtest@${host}:${port}/seamtest`,
  },
  redis: {
    label: 'Redis',
    service: 'redis',
    image: 'redis:7.4',
    port: 6379,
    images: /^(?:redis|redis\/redis-stack-server|valkey\/valkey)$/,
    url: (host, port) => `redis://${host}:${port}`,
  },
  rabbitmq: {
    label: 'RabbitMQ',
    service: 'rabbitmq',
    image: 'rabbitmq:4.0-management',
    port: 5672,
    images: /^rabbitmq$/,
    url: (host, port) => `amqp://guest:guest@${host}:${port}`,
  },
  nats: {
    label: 'NATS',
    service: 'nats',
    image: 'nats:2.10',
    port: 4222,
    images: /^nats$/,
    url: (host, port) => `nats://${host}:${port}`,
  },
  mqtt: {
    label: 'MQTT',
    service: 'mqtt',
    image: 'eclipse-mosquitto:2',
    port: 1883,
    images: /^(?:eclipse-mosquitto|emqx|emqx\/emqx)$/,
    url: (host, port) => `mqtt://${host}:${port}`,
  },
  kafka: {
    label: 'Kafka',
    service: 'kafka',
    image: 'apache/kafka:3.9.0',
    port: 9092,
    images: /^(?:apache\/kafka|confluentinc\/cp-kafka)$/,
    url: (host, port) => `kafka://${host}:${port}`,
  },
};

const NAMED: Readonly<Record<string, DependencyTechnology>> = {
  postgresql: 'postgresql',
  postgres: 'postgresql',
  mysql: 'mysql',
  mariadb: 'mysql',
  redis: 'redis',
  valkey: 'redis',
  rabbitmq: 'rabbitmq',
  amqp: 'rabbitmq',
  nats: 'nats',
  mqtt: 'mqtt',
  mosquitto: 'mqtt',
  kafka: 'kafka',
};

const DEPENDENCY_KINDS = new Set<Component['kind']>(['database', 'cache', 'broker']);

/** `docker.io/library/postgres:16@sha256:…` → `postgres`. */
export function imageRepository(image: string): string {
  const [withoutDigest = ''] = image.split('@');
  const parts = withoutDigest.split('/');
  const first = parts[0] ?? '';
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    parts.shift();
  }
  if (parts[0] === 'library') parts.shift();
  const last = parts.pop() ?? '';
  return [...parts, last.split(':')[0]].join('/');
}

export function imageTag(image: string): string {
  const last = image.split('@')[0]?.split('/').pop() ?? '';
  return last.includes(':') ? (last.split(':')[1] ?? '') : 'latest';
}

function technologyOf(component: Component): DependencyTechnology | undefined {
  const named = component.technology && NAMED[component.technology.toLowerCase()];
  if (named) return named;
  const image = component.container?.image;
  if (!image) return undefined;
  const repository = imageRepository(image);
  return TECHNOLOGIES.find((technology) => TECHNOLOGY[technology].images.test(repository));
}

/** The compose image when its configuration is known here (and not left to interpolation). */
function imageFor(technology: DependencyTechnology, members: readonly Component[]): string {
  const info = TECHNOLOGY[technology];
  const known = members
    .map((member) => member.container?.image)
    .find((image) => image && !image.includes('$') && info.images.test(imageRepository(image)));
  return known ?? info.image;
}

/** 'PostgreSQL', 'MariaDB', … */
export function labelOf(dependency: CiDependency): string {
  const repository = imageRepository(dependency.image);
  if (repository === 'mariadb') return 'MariaDB';
  if (repository.startsWith('valkey')) return 'Valkey';
  if (repository === 'eclipse-mosquitto') return 'Mosquitto';
  if (repository.startsWith('emqx')) return 'EMQX';
  return TECHNOLOGY[dependency.technology].label;
}

export function variableOf(componentId: string): string {
  return `SEAMTEST_${componentId.toUpperCase().replace(/-/g, '_')}_URL`;
}

/** A name fit for a GitHub service id and a GitLab host alias. */
function serviceName(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return /^[a-z]/.test(slug) ? slug : `svc-${slug}`;
}

interface Group {
  technology: DependencyTechnology;
  composeService: string | undefined;
  members: Component[];
}

/** Components of kind database/cache/broker, grouped by the container that serves them. */
export function ciDependencies(map: IntegrationMap): CiDependency[] {
  const groups: Group[] = [];
  const unplaced: [Component, DependencyTechnology][] = [];
  const components = map.components
    .filter((component) => DEPENDENCY_KINDS.has(component.kind))
    .sort((a, b) => a.id.localeCompare(b.id));
  for (const component of components) {
    const technology = technologyOf(component);
    if (!technology) continue; // SQLite, MongoDB, …: nothing this CI setup starts
    const composeService = component.container?.service;
    if (composeService === undefined) {
      unplaced.push([component, technology]);
      continue;
    }
    const group = groups.find(
      (known) => known.composeService === composeService && known.technology === technology,
    );
    if (group) group.members.push(component);
    else groups.push({ technology, composeService, members: [component] });
  }
  // Without container info, a component shares the first server of its technology.
  for (const [component, technology] of unplaced) {
    const group = groups.find((known) => known.technology === technology);
    if (group) group.members.push(component);
    else groups.push({ technology, composeService: undefined, members: [component] });
  }
  groups.sort(
    (a, b) =>
      TECHNOLOGIES.indexOf(a.technology) - TECHNOLOGIES.indexOf(b.technology) ||
      (a.composeService ?? '').localeCompare(b.composeService ?? '') ||
      (a.members[0]?.id ?? '').localeCompare(b.members[0]?.id ?? ''),
  );

  const names = new Set<string>();
  const perTechnology = new Map<DependencyTechnology, number>();
  return groups.map((group) => {
    const info = TECHNOLOGY[group.technology];
    const image = imageFor(group.technology, group.members);
    const base = serviceName(
      group.composeService ?? (imageRepository(image) === 'mariadb' ? 'mariadb' : info.service),
    );
    let service = base;
    for (let n = 2; names.has(service); n++) service = `${base}-${n}`;
    names.add(service);
    // A second server of one technology is published on the next port up.
    const index = perTechnology.get(group.technology) ?? 0;
    perTechnology.set(group.technology, index + 1);
    const ids = group.members.map((member) => member.id).sort();
    return {
      components: ids,
      technology: group.technology,
      image,
      variables: ids.map(variableOf),
      url: info.url('localhost', info.port + index),
      service,
    };
  });
}
