// Which components a system has, from its packages and what they were seen to use: services,
// the clients that call them, their databases, caches and brokers, and the HTTP targets they
// call, internal or third-party.
import type { Fact } from '../detect/types.js';
import type { EnvFile } from '../project/env-files.js';
import type { Project, ProjectPackage } from '../project/types.js';
import type { Component, Configured, EnvVar, Location } from './model.js';

/** A package depending on one of these serves requests or consumes messages. */
const SERVICE_MARKERS = [
  'express',
  'fastify',
  'koa',
  'hono',
  '@nestjs/core',
  'routing-controllers',
  'inversify-express-utils',
  'ws',
  'socket.io',
];

export function isService(pkg: ProjectPackage, facts: readonly Fact[]): boolean {
  if (SERVICE_MARKERS.some((marker) => pkg.dependencies.has(marker))) return true;
  return facts.some((fact) => fact.packageDir === pkg.dir && fact.kind === 'consume');
}

export function serviceId(pkg: ProjectPackage): string {
  const base = pkg.dir ? (pkg.dir.split('/').at(-1) ?? pkg.dir) : pkg.name.replace(/^@[^/]+\//, '');
  return slug(base) || 'service';
}

export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export function serviceComponent(
  project: Project,
  pkg: ProjectPackage,
  facts: readonly Fact[],
): Component {
  const files = project.files.filter((file) => file.package === pkg);
  const own = facts.filter((fact) => fact.packageDir === pkg.dir);
  const entry = firstAt(own.filter((fact) => fact.kind === 'listen'));
  const migrations = migrationsOf(project, pkg, own);
  return {
    id: serviceId(pkg),
    kind: 'service',
    name: pkg.name,
    technology: SERVICE_MARKERS.find((marker) => pkg.dependencies.has(marker)) ?? 'node',
    root: pkg.dir || '.',
    language: files.some((file) => file.language === 'typescript') ? 'typescript' : 'javascript',
    moduleSystem: pkg.manifest.type === 'module' ? 'esm' : 'commonjs',
    ...(entry ? { entry } : {}),
    config: envVars(own, project.envFiles, pkg.dir),
    ...commandsOf(pkg),
    ...(migrations ? { migrations } : {}),
  };
}

const START_SCRIPTS = ['start', 'serve', 'start:prod'];
const MIGRATE_SCRIPTS = ['migrate', 'db:migrate', 'migrate:latest', 'migrate:up', 'migration:run'];

/** The package's own scripts for starting it and migrating its database, as written. */
function commandsOf(pkg: ProjectPackage): Pick<Component, 'commands'> {
  const scripts = pkg.manifest.scripts ?? {};
  const pick = (names: string[]) => names.map((name) => scripts[name]).find(Boolean);
  const start = pick(START_SCRIPTS);
  const migrate = pick(MIGRATE_SCRIPTS);
  if (!start && !migrate) return {};
  return { commands: { ...(start ? { start } : {}), ...(migrate ? { migrate } : {}) } };
}

function firstAt(facts: readonly Fact[]): Location | undefined {
  return [...facts].sort((a, b) => a.at.file.localeCompare(b.at.file) || a.at.line - b.at.line)[0]
    ?.at;
}

/** SQL files in a `migrations` folder of the package, and the code that runs them. */
function migrationsOf(
  project: Project,
  pkg: ProjectPackage,
  facts: readonly Fact[],
): Component['migrations'] {
  const prefix = pkg.dir ? `${pkg.dir}/` : '';
  const files = project.sqlFiles
    .filter((file) => file.startsWith(prefix) && file.split('/').includes('migrations'))
    .sort();
  const [first] = files;
  if (!first) return undefined;
  const dir = first.slice(0, first.lastIndexOf('/'));
  const runner = firstAt(facts.filter((fact) => fact.kind === 'sql-file'));
  return {
    dir,
    files: files.filter((file) => file.startsWith(`${dir}/`)),
    ...(runner ? { runner } : {}),
  };
}

const SECRET_NAME = /SECRET|PASSWORD|PASSWD|TOKEN|API_KEY|PRIVATE_KEY|CREDENTIALS/;
/** Connection URLs of stores and brokers routinely carry a password. */
const CONNECTION_URL =
  /^(DATABASE|DB|POSTGRES|PG|MYSQL|MARIADB|MONGO(DB)?|REDIS|AMQP|RABBIT(MQ)?|NATS|MQTT|KAFKA)\w*_(URL|URI)$/;

function envVars(facts: readonly Fact[], envFiles: readonly EnvFile[], dir: string): EnvVar[] {
  const byName = new Map<string, EnvVar>();
  for (const fact of facts) {
    if (fact.kind !== 'env') continue;
    const known = byName.get(fact.name);
    if (known) {
      if (known.default === undefined && fact.default !== undefined) {
        byName.set(fact.name, { ...known, default: fact.default, required: false });
      } else if (fact.optional && known.required) {
        byName.set(fact.name, { ...known, required: false });
      }
      continue;
    }
    byName.set(fact.name, {
      name: fact.name,
      ...(fact.default === undefined ? {} : { default: fact.default }),
      required: fact.default === undefined && !fact.optional,
      secret: isSecret(fact.name),
      at: fact.at,
    });
  }
  // The service's own env files, then those of the folders above it (a monorepo's shared one).
  const visible = envFiles
    .filter((file) => file.dir === dir || file.dir === '' || dir.startsWith(`${file.dir}/`))
    .sort((a, b) => b.dir.length - a.dir.length);
  for (const variable of byName.values()) {
    const listed = listing(visible, variable.name);
    if (listed) variable.listedIn = listed;
  }
  // Names only the service's own files list: read through a config library, or left over.
  for (const file of visible.filter((candidate) => candidate.dir === dir)) {
    for (const { name, line } of file.names) {
      if (byName.has(name)) continue;
      const at = { file: file.file, line };
      byName.set(name, {
        name,
        required: false,
        secret: isSecret(name),
        at,
        listedIn: at,
        unread: true,
      });
    }
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function listing(files: readonly EnvFile[], name: string): Location | undefined {
  for (const file of files) {
    const found = file.names.find((candidate) => candidate.name === name);
    if (found) return { file: file.file, line: found.line };
  }
  return undefined;
}

function isSecret(name: string): boolean {
  return SECRET_NAME.test(name) || CONNECTION_URL.test(name);
}

/** The variable, among a service's, that points it at a dependency: DATABASE_URL, REDIS_URL… */
export function reachedBy(service: Component, pattern: RegExp): Configured | undefined {
  const variable = service.config.find((env) => pattern.test(env.name));
  return variable ? { env: variable.name } : undefined;
}

/** `INVENTORY_BASE_URL` → 'inventory'; `PAYMENTS_API_URL` → 'payments'. */
export function targetNameFromEnv(name: string): string {
  return slug(
    name.replace(/_(BASE_URL|API_URL|SERVICE_URL|URL|URI|ENDPOINT|HOST|ADDR|ADDRESS)$/i, ''),
  );
}

/** 'https://api.stripe.com/v1' → 'api-stripe-com'. */
export function targetNameFromUrl(url: string): string | undefined {
  try {
    return slug(new URL(url).hostname);
  } catch {
    return undefined;
  }
}
