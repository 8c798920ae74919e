// Writes a synthetic npm-workspaces monorepo for the map benchmark: services of Express or
// Fastify routes, pg repositories with transactions, a Redis cache, an amqplib publisher, fetch
// clients between services and plain TypeScript to make up the size. Deterministic, and it
// typechecks with `tsc --noEmit` against the ambient declarations it writes (no installs).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const AMBIENT = `declare module 'express' {
  export interface Request { params: Record<string, string>; body: any; headers: Record<string, string | undefined> }
  export interface Response { status(code: number): Response; json(body: unknown): void }
  export function Router(): any;
  const express: any;
  export default express;
}
declare module 'fastify' { const fastify: any; export default fastify; }
declare module 'pg' { export class Pool { constructor(options?: unknown); query(text: string, values?: unknown[]): Promise<{ rows: any[] }>; connect(): Promise<any>; } }
declare module 'ioredis' { export class Redis { constructor(url?: string); get(key: string): Promise<string | null>; set(...args: unknown[]): Promise<unknown>; del(key: string): Promise<number>; } }
declare module 'amqplib' { const amqp: { connect(url: string): Promise<any> }; export default amqp; }
declare module 'zod' { export const z: any; }
declare const process: { env: Record<string, string | undefined> };
declare function fetch(url: string, init?: unknown): Promise<{ status: number; json(): Promise<any> }>;
declare const AbortSignal: { timeout(ms: number): unknown };
`;

export function writeSyntheticMonorepo(dir, { services = 8, filesPerService = 125 } = {}) {
  const write = (file, text) => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  };
  const names = Array.from({ length: services }, (_, index) => `svc${index}`);
  write(
    'package.json',
    JSON.stringify({ name: 'synthetic', private: true, workspaces: ['services/*'] }, null, 2),
  );
  write('types/ambient.d.ts', AMBIENT);
  write(
    'tsconfig.json',
    JSON.stringify(
      {
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          skipLibCheck: true,
          types: [],
        },
        include: ['types', 'services/*/src'],
      },
      null,
      2,
    ),
  );
  let lines = 0;
  let files = 0;
  for (const [index, name] of names.entries()) {
    const framework = index % 2 === 0 ? 'express' : 'fastify';
    write(
      `services/${name}/package.json`,
      JSON.stringify(
        {
          name: `@synthetic/${name}`,
          type: 'module',
          dependencies: { [framework]: '*', pg: '*', ioredis: '*', amqplib: '*', zod: '*' },
        },
        null,
        2,
      ),
    );
    const next = names[(index + 1) % names.length];
    for (let file = 0; file < filesPerService; file++) {
      const text = moduleSource(name, next, framework, file, filesPerService);
      write(`services/${name}/src/m${file}.ts`, text);
      lines += text.split('\n').length;
      files += 1;
    }
  }
  return { files, lines };
}

/** One module; the kind rotates so every service has routes, SQL, cache, broker and calls. */
function moduleSource(service, next, framework, index, count) {
  const entity = `item${index}`;
  const kind =
    index === 0 ? 'app' : ['routes', 'repository', 'cache', 'client', 'logic'][index % 5];
  const body = {
    app: () => appModule(framework, count),
    routes: () => routesModule(framework, entity, index),
    repository: () => repositoryModule(entity),
    cache: () => cacheModule(service, entity),
    client: () => clientModule(next, entity),
    logic: () => logicModule(entity),
  }[kind]();
  return `${body}\n${padding(entity, 100 - body.split('\n').length, index)}`;
}

function appModule(framework, count) {
  const routeModules = Array.from({ length: count }, (_, index) => index).filter(
    (index) => index > 0 && index % 5 === 0,
  );
  const imports = routeModules
    .map((index) => `import { register${index} } from './m${index}.js';`)
    .join('\n');
  const calls = routeModules.map((index) => `register${index}(app);`).join('\n');
  const create =
    framework === 'express'
      ? "import express from 'express';\nconst app = express();"
      : "import fastify from 'fastify';\nconst app = fastify();";
  return `${create}\n${imports}\n${calls}\napp.listen(Number(process.env.PORT ?? 3000));\nexport default app;`;
}

function routesModule(framework, entity, index) {
  const repository = `item${index + 1}Repository`;
  const handler = framework === 'express' ? '(req: any, res: any) =>' : 'async (req: any) =>';
  const answer = framework === 'express' ? 'res.json' : 'return';
  return `import { ${repository} } from './m${index + 1}.js';

export function register${index}(app: any): void {
  app.get('/${entity}/:id', ${handler} { ${answer}(${repository}.find(String(req.params.id))); });
  app.post('/${entity}', ${handler} { ${answer}(${repository}.create(String(req.body.name))); });
  app.delete('/${entity}/:id', ${handler} { ${answer}(${repository}.remove(String(req.params.id))); });
}`;
}

function repositoryModule(entity) {
  return `import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL });

export const ${entity}Repository = {
  async find(id: string) {
    const { rows } = await pool.query('SELECT id, name FROM ${entity}s WHERE id = $1', [id]);
    return rows[0];
  },
  async create(name: string) {
    const client = await pool.connect();
    await client.query('BEGIN');
    const { rows } = await client.query('INSERT INTO ${entity}s (name) VALUES ($1) RETURNING id', [name]);
    await client.query('INSERT INTO audit_log (entity, ref) VALUES ($1, $2)', ['${entity}', rows[0].id]);
    await client.query('COMMIT');
    return rows[0];
  },
  async remove(id: string) {
    await pool.query('DELETE FROM ${entity}s WHERE id = $1', [id]);
  },
};`;
}

function cacheModule(service, entity) {
  return `import amqp from 'amqplib';
import { Redis } from 'ioredis';

const redis = new Redis(process.env.REDIS_URL);

export async function cached${entity}(id: string): Promise<string | null> {
  return redis.get(\`${entity}:\${id}\`);
}

export async function announce${entity}(id: string): Promise<void> {
  const connection = await amqp.connect(process.env.AMQP_URL ?? '');
  const channel = await connection.createChannel();
  channel.publish('${service}.events', '${entity}.changed', Buffer.from(id));
}
declare const Buffer: { from(text: string): unknown };`;
}

function clientModule(next, entity) {
  const variable = `${next.toUpperCase()}_BASE_URL`;
  return `export async function fetch${entity}(id: string): Promise<unknown> {
  const response = await fetch(\`\${process.env.${variable}}/${entity}/\${id}\`, {
    method: 'GET',
    signal: AbortSignal.timeout(2000),
  });
  if (response.status === 404) return undefined;
  return response.json();
}`;
}

function logicModule(entity) {
  return `export interface ${entity}Summary {
  id: string;
  total: number;
  tags: string[];
}

export function summarise${entity}(values: number[], tags: string[]): ${entity}Summary {
  let total = 0;
  for (const value of values) total += value;
  return { id: '${entity}', total, tags: [...new Set(tags)].sort() };
}`;
}

/**
 * Ordinary TypeScript to bring a module to about 100 lines, in the shapes real services have:
 * row mappers, small classes, switches, generic async helpers, and calls into the previous
 * module, so that both tools have types and imports to follow rather than one repeated line.
 */
function padding(entity, lines, index) {
  const previous = index >= 2 ? `item${index - 1}` : undefined;
  const blocks = [
    (n) => `export interface ${entity}Record${n} {
  id: string;
  name: string;
  amount: number;
  createdAt: Date;
  tags: string[];
}

export function to${entity}Record${n}(row: Record<string, unknown>): ${entity}Record${n} {
  return {
    id: String(row.id),
    name: typeof row.name === 'string' ? row.name.trim() : '',
    amount: Number(row.amount ?? 0),
    createdAt: new Date(String(row.created_at)),
    tags: Array.isArray(row.tags) ? row.tags.map(String) : [],
  };
}`,
    (n) => `export class ${entity}Tally${n} {
  private readonly counts = new Map<string, number>();

  add(key: string, by = 1): this {
    this.counts.set(key, (this.counts.get(key) ?? 0) + by);
    return this;
  }

  top(limit: number): [string, number][] {
    return [...this.counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit);
  }
}`,
    (n) => `export function classify${entity}${n}(status: number): 'ok' | 'retry' | 'fail' {
  switch (true) {
    case status >= 200 && status < 300:
      return 'ok';
    case status === 429 || status >= 500:
      return 'retry';
    default:
      return 'fail';
  }
}`,
    (
      n,
    ) => `export async function with${entity}Retry${n}<T>(work: () => Promise<T>, attempts = 3): Promise<T> {
  let last: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await work();
    } catch (error) {
      last = error;
    }
  }
  throw last instanceof Error ? last : new Error(String(last));
}`,
    (n) =>
      previous
        ? `export function latest${entity}${n}(rows: Record<string, unknown>[]): string | undefined {
  return rows
    .map(to${previous}Record0)
    .filter((record) => record.amount > 0)
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0]?.id;
}`
        : `export const ${entity}Limit${n} = ${n + 10};`,
  ];
  const out = previous ? [`import { to${previous}Record0 } from './m${index - 1}.js';`, ''] : [];
  for (let n = 0; out.length < lines; n++) {
    out.push(...blocks[n % blocks.length](n).split('\n'), '');
  }
  return out.join('\n');
}
