// The CI files of a generated suite: parsed back with `yaml` and checked for what CI needs, plus
// golden files for the shop (SEAMTEST_UPDATE_GOLDEN=1 rewrites them after a deliberate change).
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  type CiDependency,
  type CiInput,
  ciDependencies,
  renderCiNotes,
  renderGithubWorkflow,
  renderGitlabCi,
  shardedCommand,
} from '../../src/emit/ci.js';
import { IntegrationMap } from '../../src/map/model.js';

const shop = IntegrationMap.parse(
  JSON.parse(
    readFileSync(
      new URL('../../examples/shop/integration-map.expected.json', import.meta.url),
      'utf8',
    ),
  ),
);

const at = { file: 'docker-compose.yml', line: 1 };

function mapOf(
  components: {
    id: string;
    kind: 'database' | 'cache' | 'broker' | 'service';
    technology?: string;
    container?: { service: string; image?: string };
  }[],
): IntegrationMap {
  return IntegrationMap.parse({
    version: 1,
    project: { name: 'x', root: '.' },
    boundaries: [],
    components: components.map(({ container, ...component }) => ({
      name: component.id,
      ...component,
      ...(container ? { container: { ...container, at } } : {}),
    })),
  });
}

function inputFor(map: IntegrationMap, overrides: Partial<CiInput> = {}): CiInput {
  return {
    suiteDir: 'examples/shop/integration-tests',
    installDir: '.',
    nodeVersion: '22',
    dependencies: ciDependencies(map),
    shards: 1,
    testCommand: 'npx vitest run',
    ...overrides,
  };
}

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
  'working-directory'?: string;
}
interface GithubJob {
  'timeout-minutes': number;
  strategy?: { matrix: { shard: number[] } };
  services?: Record<
    string,
    { image: string; env?: Record<string, string>; ports: string[]; options: string }
  >;
  steps: Step[];
}
interface GitlabJob {
  image: string;
  parallel?: number;
  services: { name: string; alias: string; command?: string[]; variables?: object }[];
  variables: Record<string, string>;
  cache: { key: { files: string[] }; paths: string[] };
  before_script: string[];
  script: string[];
}

function github(input: CiInput): GithubJob {
  const workflow = parse(renderGithubWorkflow(input));
  expect(Object.keys(workflow.jobs)).toEqual(['integration-tests']);
  return workflow.jobs['integration-tests'];
}

function gitlab(input: CiInput): GitlabJob {
  const file = parse(renderGitlabCi(input));
  expect(Object.keys(file)).toEqual(['integration-tests']);
  return file['integration-tests'];
}

function testStep(job: GithubJob): Step {
  const step = job.steps.at(-1);
  if (!step) throw new Error('no steps');
  return step;
}

describe('ciDependencies', () => {
  it('serves both shop databases from the one compose postgres, each with its own variable', () => {
    expect(ciDependencies(shop)).toEqual<CiDependency[]>([
      {
        components: ['inventory-db', 'orders-db'],
        technology: 'postgresql',
        image: 'postgres:16',
        variables: ['SEAMTEST_INVENTORY_DB_URL', 'SEAMTEST_ORDERS_DB_URL'],
        url: 'postgres://postgres:postgres@localhost:5432/postgres',
        service: 'postgres',
      },
      {
        components: ['redis'],
        technology: 'redis',
        image: 'redis:7',
        variables: ['SEAMTEST_REDIS_URL'],
        url: 'redis://localhost:6379',
        service: 'redis',
      },
      {
        components: ['rabbitmq'],
        technology: 'rabbitmq',
        image: 'rabbitmq:3-management',
        variables: ['SEAMTEST_RABBITMQ_URL'],
        url: 'amqp://guest:guest@localhost:5672',
        service: 'rabbitmq',
      },
    ]);
  });

  it('puts PostgreSQL databases without container info on one server, and skips what needs none', () => {
    const dependencies = ciDependencies(
      mapOf([
        { id: 'api', kind: 'service', technology: 'express' },
        { id: 'orders-db', kind: 'database', technology: 'postgresql' },
        { id: 'billing-db', kind: 'database', technology: 'postgresql' },
        { id: 'api-sqlite', kind: 'database', technology: 'sqlite' },
        { id: 'events-db', kind: 'database', technology: 'mongodb' },
      ]),
    );
    expect(dependencies).toEqual([
      {
        components: ['billing-db', 'orders-db'],
        technology: 'postgresql',
        image: 'postgres:17',
        variables: ['SEAMTEST_BILLING_DB_URL', 'SEAMTEST_ORDERS_DB_URL'],
        url: 'postgres://postgres:postgres@localhost:5432/postgres',
        service: 'postgres',
      },
    ]);
  });

  it('gives two compose containers of one technology two services on two host ports', () => {
    const dependencies = ciDependencies(
      mapOf([
        {
          id: 'a-db',
          kind: 'database',
          technology: 'postgresql',
          container: { service: 'pg_a', image: 'postgres:15' },
        },
        {
          id: 'b-db',
          kind: 'database',
          technology: 'postgresql',
          // Bitnami's image reads other variables: the CI files use the default image instead.
          container: { service: 'pg_b', image: 'bitnami/postgresql:16' },
        },
      ]),
    );
    expect(dependencies.map(({ service, image, url }) => ({ service, image, url }))).toEqual([
      {
        service: 'pg-a',
        image: 'postgres:15',
        url: 'postgres://postgres:postgres@localhost:5432/postgres',
      },
      {
        service: 'pg-b',
        image: 'postgres:17',
        url: 'postgres://postgres:postgres@localhost:5433/postgres',
      },
    ]);
    const job = github(inputFor(mapOf([]), { dependencies }));
    expect(job.services?.['pg-b']?.ports).toEqual(['5433:5432']);
  });

  it('does not depend on the order of the map', () => {
    const reversed = { ...shop, components: [...shop.components].reverse() };
    expect(ciDependencies(reversed)).toEqual(ciDependencies(shop));
  });
});

describe('renderGithubWorkflow', () => {
  it('runs the shop against exactly one postgres, one redis and one rabbitmq service', () => {
    const job = github(inputFor(shop));
    const services = job.services ?? {};
    expect(Object.keys(services)).toEqual(['postgres', 'redis', 'rabbitmq']);
    expect(Object.values(services).map((service) => service.image)).toEqual([
      'postgres:16',
      'redis:7',
      'rabbitmq:3-management',
    ]);
    for (const service of Object.values(services)) {
      expect(service.options).toMatch(/^--health-cmd "[^"]+" --health-interval \d+s /);
    }
    expect(services.rabbitmq?.options).toContain('rabbitmq-diagnostics');
    expect(job['timeout-minutes']).toBeGreaterThan(0);
  });

  it('points both shop database variables at the one postgres, with its password', () => {
    const job = github(inputFor(shop));
    const env = testStep(job).env ?? {};
    const postgres = job.services?.postgres;
    const password = postgres?.env?.POSTGRES_PASSWORD;
    expect(password).toBeTruthy();
    expect(postgres?.ports).toEqual(['5432:5432']);
    const url = new URL(env.SEAMTEST_ORDERS_DB_URL ?? '');
    expect(env.SEAMTEST_INVENTORY_DB_URL).toBe(env.SEAMTEST_ORDERS_DB_URL);
    expect([url.protocol, url.hostname, url.port, url.password]).toEqual([
      'postgres:',
      'localhost',
      '5432',
      password,
    ]);
    expect(env.SEAMTEST_REDIS_URL).toBe('redis://localhost:6379');
    expect(env.SEAMTEST_RABBITMQ_URL).toBe('amqp://guest:guest@localhost:5672');
  });

  it('checks out, sets up Node with the npm cache, installs in installDir and tests in suiteDir', () => {
    const job = github(inputFor(shop, { installDir: './backend/', nodeVersion: '20' }));
    expect(job.steps.map((step) => step.uses ?? step.name)).toEqual([
      'actions/checkout@v4',
      'actions/setup-node@v4',
      'Install dependencies',
      'Run the integration tests',
    ]);
    expect(job.steps[1]?.with).toEqual({
      'node-version': '20',
      cache: 'npm',
      'cache-dependency-path': 'backend/package-lock.json',
    });
    expect(job.steps[2]).toMatchObject({ 'working-directory': 'backend', run: 'npm ci' });
    expect(testStep(job)).toMatchObject({
      'working-directory': 'examples/shop/integration-tests',
      run: 'npx vitest run',
    });
    expect(job.strategy).toBeUndefined();
  });

  it('runs a shard matrix when asked for shards', () => {
    const job = github(inputFor(shop, { shards: 4 }));
    expect(job.strategy?.matrix.shard).toEqual([1, 2, 3, 4]);
    expect(testStep(job).run).toBe(`npx vitest run --shard=\${{ matrix.shard }}/4`);
    const npm = github(inputFor(shop, { shards: 2, testCommand: 'npm test' }));
    expect(testStep(npm).run).toBe(`npm test -- --shard=\${{ matrix.shard }}/2`);
  });

  it('starts NATS with JetStream and Kafka with docker run, and waits for them with a bounded loop', () => {
    const job = github(
      inputFor(
        mapOf([
          { id: 'nats', kind: 'broker', technology: 'nats' },
          { id: 'kafka', kind: 'broker', technology: 'kafka' },
          { id: 'mqtt', kind: 'broker', technology: 'mqtt' },
        ]),
      ),
    );
    expect(job.services).toBeUndefined();
    const runs = job.steps.map((step) => step.run ?? '');
    const nats = runs.find((run) => run.startsWith('docker run -d --name nats '));
    expect(nats).toMatch(/ nats:[\w.-]+ -js\b/);
    expect(runs.find((run) => run.includes('--name kafka'))).toContain(
      'KAFKA_ADVERTISED_LISTENERS=PLAINTEXT://localhost:9092',
    );
    expect(runs.find((run) => run.includes('--name mqtt'))).toContain(
      'mosquitto -c /mosquitto-no-auth.conf',
    );
    const waits = job.steps.filter((step) => step.name?.startsWith('Wait for '));
    expect(waits.map((step) => step.name)).toEqual([
      'Wait for nats',
      'Wait for mqtt',
      'Wait for kafka',
    ]);
    for (const wait of waits) {
      expect(wait.run).toMatch(/^for _ in \$\(seq 1 \d+\); do\n/);
      expect(wait.run).toMatch(/\nexit 1$/);
    }
    // The containers start before checkout, the waits come after the install.
    const names = job.steps.map((step) => step.uses ?? step.name ?? '');
    expect(names.indexOf('actions/checkout@v4')).toBe(3);
    expect(names.indexOf('Wait for nats')).toBeGreaterThan(names.indexOf('Install dependencies'));
    expect(testStep(job).env).toEqual({
      SEAMTEST_KAFKA_URL: 'kafka://localhost:9092',
      SEAMTEST_MQTT_URL: 'mqtt://localhost:1883',
      SEAMTEST_NATS_URL: 'nats://localhost:4222',
    });
  });

  it('gives MySQL and MariaDB their own health checks', () => {
    const job = github(
      inputFor(
        mapOf([
          {
            id: 'a-db',
            kind: 'database',
            technology: 'mysql',
            container: { service: 'mysql', image: 'mysql:8.0' },
          },
          {
            id: 'b-db',
            kind: 'database',
            technology: 'mysql',
            container: { service: 'maria', image: 'mariadb:11' },
          },
        ]),
      ),
    );
    expect(job.services?.maria?.options).toContain('healthcheck.sh --connect');
    expect(job.services?.mysql?.options).toContain('mysqladmin ping -h 127.0.0.1');
    expect(job.services?.mysql?.env?.MYSQL_ROOT_PASSWORD).toBe('seamtest');
    expect(job.services?.maria?.ports).toEqual(['3306:3306']);
    expect(job.services?.mysql?.ports).toEqual(['3307:3306']);
  });

  it('puts a database without container info on the server its technology already has', () => {
    const [dependency, ...others] = ciDependencies(
      mapOf([
        { id: 'a-db', kind: 'database', technology: 'mysql' },
        {
          id: 'b-db',
          kind: 'database',
          technology: 'mysql',
          container: { service: 'maria', image: 'mariadb:11' },
        },
      ]),
    );
    expect(others).toEqual([]);
    expect(dependency).toMatchObject({ service: 'maria', components: ['a-db', 'b-db'] });
  });
});

describe('renderGitlabCi', () => {
  it('runs the shop with one service per container, reached by its alias', () => {
    const job = gitlab(inputFor(shop));
    expect(job.image).toBe('node:22');
    expect(job.services.map(({ name, alias }) => [name, alias])).toEqual([
      ['postgres:16', 'postgres'],
      ['redis:7', 'redis'],
      ['rabbitmq:3-management', 'rabbitmq'],
    ]);
    expect(job.variables.SEAMTEST_ORDERS_DB_URL).toBe(
      'postgres://postgres:postgres@postgres:5432/postgres',
    );
    expect(job.variables.SEAMTEST_INVENTORY_DB_URL).toBe(job.variables.SEAMTEST_ORDERS_DB_URL);
    expect(job.variables.SEAMTEST_REDIS_URL).toBe('redis://redis:6379');
    expect(job.variables.SEAMTEST_RABBITMQ_URL).toBe('amqp://guest:guest@rabbitmq:5672');
    expect(job.cache).toEqual({ key: { files: ['package-lock.json'] }, paths: ['.npm/'] });
    expect(job.variables.npm_config_cache).toBe('$CI_PROJECT_DIR/.npm');
    expect(job.before_script[0]).toBe('npm ci --prefer-offline');
    expect(job.before_script[1]).toContain('for target in postgres:5432 redis:6379 rabbitmq:5672;');
    expect(job.script).toEqual(['cd examples/shop/integration-tests', 'npx vitest run']);
    expect(job.parallel).toBeUndefined();
  });

  it('runs shards with parallel', () => {
    const job = gitlab(inputFor(shop, { shards: 3 }));
    expect(job.parallel).toBe(3);
    expect(job.script.at(-1)).toBe('npx vitest run --shard=$CI_NODE_INDEX/$CI_NODE_TOTAL');
  });

  it('passes NATS its -js argument and Kafka the alias it advertises', () => {
    const job = gitlab(
      inputFor(
        mapOf([
          { id: 'nats', kind: 'broker', technology: 'nats' },
          { id: 'kafka', kind: 'broker', technology: 'kafka' },
        ]),
      ),
    );
    expect(job.services.find((service) => service.alias === 'nats')?.command).toContain('-js');
    expect(job.services.find((service) => service.alias === 'kafka')?.variables).toMatchObject({
      KAFKA_ADVERTISED_LISTENERS: 'PLAINTEXT://kafka:9092',
    });
    expect(job.variables.SEAMTEST_KAFKA_URL).toBe('kafka://kafka:9092');
  });

  it('reads the same under YAML 1.1, as GitLab parses it', () => {
    const text = renderGitlabCi(inputFor(shop, { shards: 2 }));
    expect(parse(text, { version: '1.1' })).toEqual(parse(text));
  });
});

describe('the rendered files', () => {
  const inputs = [
    inputFor(shop),
    inputFor(shop, { shards: 5, installDir: 'x y', suiteDir: "it's" }),
    inputFor(mapOf([{ id: 'nats', kind: 'broker', technology: 'nats' }]), { shards: 2 }),
    inputFor(mapOf([])),
  ];

  it('are deterministic, end with a newline and start with how to regenerate them', () => {
    for (const input of inputs) {
      for (const render of [renderGithubWorkflow, renderGitlabCi, renderCiNotes]) {
        const text = render(input);
        expect(render(structuredClone(input))).toBe(text);
        expect(text.endsWith('\n') && !text.endsWith('\n\n')).toBe(true);
      }
      for (const render of [renderGithubWorkflow, renderGitlabCi]) {
        const text = render(input);
        expect(text).toMatch(/^# .*generated by `seamtest generate`/);
        expect(text.split('\n').slice(0, 3).join('\n')).toContain('npx seamtest generate');
        expect(() => parse(text)).not.toThrow();
      }
    }
  });

  it('copy nothing from the project configuration', () => {
    const texts = [renderGithubWorkflow, renderGitlabCi, renderCiNotes].map((render) =>
      render(inputFor(shop)),
    );
    const projectVariables = shop.components.flatMap((component) =>
      component.config.map((variable) => variable.name),
    );
    for (const text of texts) {
      for (const name of projectVariables) expect(text).not.toMatch(new RegExp(`\\b${name}\\b`));
    }
  });

  it('shard the usual test commands', () => {
    expect(shardedCommand('npx vitest run', '1/2')).toBe('npx vitest run --shard=1/2');
    expect(shardedCommand('npx jest', '1/2')).toBe('npx jest --shard=1/2');
    expect(shardedCommand('npm run test:it', '1/2')).toBe('npm run test:it -- --shard=1/2');
    expect(shardedCommand('npm test -- --bail', '1/2')).toBe('npm test -- --bail --shard=1/2');
    expect(shardedCommand('node --test test/', '1/2')).toBe('node --test --test-shard=1/2 test/');
  });

  it('take the GitLab node image from a setup-node version', () => {
    const image = (nodeVersion: string) => gitlab(inputFor(shop, { nodeVersion })).image;
    expect([image('22'), image('20.x'), image('lts/*'), image('lts/jod')]).toEqual([
      'node:22',
      'node:20',
      'node:lts',
      'node:jod',
    ]);
  });

  it('reject inputs CI cannot run', () => {
    expect(() => renderGithubWorkflow(inputFor(shop, { shards: 0 }))).toThrow(RangeError);
    expect(() => renderGitlabCi(inputFor(shop, { shards: 201 }))).toThrow(RangeError);
    expect(() => renderCiNotes(inputFor(shop, { suiteDir: '../elsewhere' }))).toThrow(RangeError);
    const [postgres] = ciDependencies(shop);
    if (!postgres) throw new Error('no postgres');
    const twice = inputFor(shop, { dependencies: [postgres, { ...postgres, variables: ['X'] }] });
    expect(() => renderGithubWorkflow(twice)).toThrow(/service 'postgres'/);
  });
});

describe('renderCiNotes', () => {
  it('explains how CI runs the shop suite, its variables, Docker and sharding', () => {
    const notes = renderCiNotes(inputFor(shop, { shards: 2 }));
    expect(notes).toMatch(/^## Continuous integration\n/);
    for (const variable of ciDependencies(shop).flatMap((dependency) => dependency.variables)) {
      expect(notes).toContain(`| \`${variable}\` |`);
    }
    expect(notes).toContain('`SEAMTEST_INVENTORY_DB_URL` and `SEAMTEST_ORDERS_DB_URL` name one');
    expect(notes).toContain('docker run -d --name postgres -p 5432:5432');
    expect(notes).toContain('testcontainers');
    expect(notes).toContain('parallel: 2');
    expect(notes).toContain('--shard=i/2');
  });

  it('says why NATS is started with docker run', () => {
    const notes = renderCiNotes(
      inputFor(mapOf([{ id: 'nats', kind: 'broker', technology: 'nats' }])),
    );
    expect(notes).toContain('- `nats`: JetStream needs the -js argument');
    expect(notes).toMatch(/docker run -d --name nats .* -js/);
  });
});

describe('golden files', () => {
  const update = process.env.SEAMTEST_UPDATE_GOLDEN === '1';
  for (const [file, render] of [
    ['shop-github.yml', renderGithubWorkflow],
    ['shop-gitlab.yml', renderGitlabCi],
  ] as const) {
    it(`${file} matches`, () => {
      const path = new URL(`./golden/${file}`, import.meta.url);
      const text = render(inputFor(shop));
      if (update) writeFileSync(path, text);
      expect(text, 'SEAMTEST_UPDATE_GOLDEN=1 rewrites it').toBe(readFileSync(path, 'utf8'));
    });
  }
});
