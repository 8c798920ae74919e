// Values from shapes: sampleValue of the shop's JSON Schemas (and of the keywords one by one) is
// valid by Ajv with ajv-formats; every invalidVariant fails Ajv; sampleRow of every shop table,
// and of a table of many column types, really inserts into PostgreSQL, parents first.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  invalidVariants,
  type JsonSchema,
  sampleRow,
  sampleUuid,
  sampleValue,
  UNSATISFIED,
} from '../../src/plan/sample-values.js';
import {
  insertionOrder,
  loadSqlSchemaParser,
  readSqlSchema,
  type TableSchema,
} from '../../src/plan/sql-schema.js';

const TAG = 'st-3f9a2c';
const shop = new URL('../../examples/shop/', import.meta.url);

function validator(schema: JsonSchema, draft2020 = false): (value: unknown) => boolean {
  const ajv = draft2020 ? new Ajv2020({ allErrors: true }) : new Ajv({ allErrors: true });
  addFormats.default(ajv);
  const validate = ajv.compile(schema);
  return (value) => validate(value) as boolean;
}

/** Every "schema" of the shop's golden integration map, with where it sits. */
function shopSchemas(): [string, JsonSchema][] {
  const map = JSON.parse(readFileSync(new URL('integration-map.expected.json', shop), 'utf8'));
  const found: [string, JsonSchema][] = [];
  const walk = (value: unknown, path: string) => {
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) walk(item, `${path}[${index}]`);
    } else if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      for (const [key, item] of Object.entries(record)) {
        if (key === 'schema') {
          const operation = pathOwner(map, path) as { id?: string } | undefined;
          const where = path.replace(/^\.boundaries\[\d+\]\.operations\[\d+\]\./, '');
          found.push([`${operation?.id ?? '?'} ${where}`, item as JsonSchema]);
        }
        walk(item, `${path}.${key}`);
      }
    }
  };
  walk(map, '');
  return found;
}

/** The operation object a path like .boundaries[1].operations[2].request.body sits in. */
function pathOwner(map: unknown, path: string): unknown {
  const match = /^\.boundaries\[(\d+)\]\.operations\[(\d+)\]/.exec(path);
  if (!match) return undefined;
  const boundaries = (map as { boundaries: { operations: unknown[] }[] }).boundaries;
  return boundaries[Number(match[1])]?.operations[Number(match[2])];
}

function shopMigrations(): { path: string; text: string }[] {
  return ['orders', 'inventory'].flatMap((service) => {
    const folder = new URL(`${service}/migrations/`, shop);
    return readdirSync(folder)
      .filter((name) => name.endsWith('.sql'))
      .sort()
      .map((name) => ({
        path: `${service}/migrations/${name}`,
        text: readFileSync(new URL(name, folder), 'utf8'),
      }));
  });
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('sampleValue of the shop JSON Schemas', () => {
  const schemas = shopSchemas();

  it('finds the request and message schemas of the golden map', () => {
    expect(schemas.length).toBeGreaterThanOrEqual(6);
  });

  it.each(schemas)('%s: valid by Ajv, for several seqs', (_name, schema) => {
    const validate = validator(schema);
    for (const seq of [0, 1, 7]) {
      const value = sampleValue(schema, { tag: TAG, seq });
      expect(validate(value), JSON.stringify(value)).toBe(true);
    }
  });

  it.each(schemas)('%s: every invalid variant fails Ajv', (_name, schema) => {
    const validate = validator(schema);
    const valid = sampleValue(schema, { tag: TAG });
    const variants = invalidVariants(schema, valid);
    expect(variants.length).toBeGreaterThan(0);
    for (const variant of variants) {
      expect(
        validate(variant.value),
        `${variant.description}: ${JSON.stringify(variant.value)}`,
      ).toBe(false);
    }
    expect(new Set(variants.map((variant) => variant.description)).size).toBe(variants.length);
  });

  it('gives the reservation body its uuid, items in bounds, and the tag in its free text', () => {
    const [, schema] = schemas[0] ?? [];
    const value = sampleValue(schema as JsonSchema, { tag: TAG }) as {
      orderId: string;
      items: { sku: string; quantity: number }[];
    };
    expect(value.orderId).toMatch(UUID_V4);
    expect(value.items).toHaveLength(1);
    expect(value.items[0]?.sku).toContain(TAG);
    expect(value.items[0]?.quantity).toBe(1);
  });

  it('names the variants of the reservation body as tests', () => {
    const [, schema] = schemas[0] ?? [];
    const variants = invalidVariants(
      schema as JsonSchema,
      sampleValue(schema as JsonSchema, { tag: TAG }),
    );
    expect(variants.map(({ description, path }) => [path, description])).toEqual(
      expect.arrayContaining([
        ['/orderId', 'orderId missing (required)'],
        ['/items', 'items missing (required)'],
        ['/seamtest_unknown', 'an unknown property seamtest_unknown'],
        ['/orderId', 'orderId of the wrong type (a number, not string)'],
        ['/orderId', 'orderId a malformed uuid'],
        ['/items', 'items empty (at least 1 item)'],
        ['/items', 'items with 21 items (at most 20)'],
        ['/items/0/sku', 'items[0].sku missing (required)'],
        ['/items/0/sku', 'items[0].sku longer than 64 characters'],
        ['/items/0/quantity', 'items[0].quantity below its minimum 1'],
      ]),
    );
  });

  it('includes optional properties only when they carry no risk', () => {
    const body = schemas.find(([, schema]) => 'currency' in ((schema.properties ?? {}) as object));
    const value = sampleValue(body?.[1] as JsonSchema, { tag: TAG }) as Record<string, unknown>;
    expect(value).toMatchObject({ currency: 'USD' });
    expect(value.note).toBe(`${TAG}-note-0`);
  });
});

interface KeywordCase {
  name: string;
  schema: JsonSchema;
  draft2020?: boolean;
  expect?: (value: unknown) => void;
}

const KEYWORD_CASES: KeywordCase[] = [
  { name: 'type string', schema: { type: 'string' } },
  {
    name: 'enum',
    schema: { type: 'string', enum: ['a', 'b', 'c'] },
    expect: (v) => expect(v).toBe('a'),
  },
  { name: 'const', schema: { const: { fixed: [1, 2] } } },
  {
    name: 'format uuid',
    schema: { type: 'string', format: 'uuid' },
    expect: (v) => expect(v).toMatch(UUID_V4),
  },
  {
    name: 'format email',
    schema: { type: 'string', format: 'email' },
    expect: (v) => expect(v).toContain(TAG),
  },
  { name: 'format date-time', schema: { type: 'string', format: 'date-time' } },
  { name: 'format date', schema: { type: 'string', format: 'date' } },
  { name: 'format time', schema: { type: 'string', format: 'time' } },
  { name: 'format uri', schema: { type: 'string', format: 'uri' } },
  { name: 'format ipv4', schema: { type: 'string', format: 'ipv4' } },
  { name: 'format hostname', schema: { type: 'string', format: 'hostname' } },
  {
    name: 'minLength and maxLength',
    schema: { type: 'string', minLength: 30, maxLength: 32 },
    expect: (v) => expect(String(v).startsWith(TAG)).toBe(true),
  },
  {
    name: 'maxLength shorter than the tag',
    schema: { type: 'string', maxLength: 4 },
  },
  {
    name: 'simple anchored pattern',
    schema: { type: 'string', pattern: '^[A-Z]{3}-\\d{4}$' },
    expect: (v) => expect(v).toBe('ABC-3456'),
  },
  {
    name: 'pattern with a group of alternatives',
    schema: { type: 'string', pattern: '^(foo|bar)_[a-z]+$' },
  },
  {
    name: 'unanchored pattern keeps the tag',
    schema: { type: 'string', pattern: 'ok' },
    expect: (v) => expect(String(v)).toContain(TAG),
  },
  {
    name: 'pattern with minLength',
    schema: { type: 'string', pattern: '^[a-z]+$', minLength: 5, maxLength: 6 },
  },
  { name: 'integer minimum and maximum', schema: { type: 'integer', minimum: 10, maximum: 12 } },
  {
    name: 'number in an open interval',
    schema: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
    expect: (v) => expect(v).toBe(0.5),
  },
  {
    name: 'integer multipleOf',
    schema: { type: 'integer', minimum: 12, multipleOf: 5 },
    expect: (v) => expect(v).toBe(15),
  },
  { name: 'number multipleOf 0.01', schema: { type: 'number', minimum: 0.5, multipleOf: 0.01 } },
  { name: 'negative maximum', schema: { type: 'integer', maximum: -3 } },
  {
    name: 'minItems with uniqueItems',
    schema: {
      type: 'array',
      minItems: 3,
      maxItems: 3,
      uniqueItems: true,
      items: { type: 'string', enum: ['a', 'b', 'c'] },
    },
  },
  {
    name: 'tuple (prefixItems)',
    schema: {
      type: 'array',
      prefixItems: [{ type: 'integer' }, { type: 'string', format: 'date' }],
      minItems: 2,
      items: false,
    },
    draft2020: true,
  },
  {
    name: 'object: required, optional and additionalProperties false',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'name'],
      properties: {
        id: { type: 'string', format: 'uuid' },
        name: { type: 'string', minLength: 1, maxLength: 80 },
        nickname: { type: 'string', maxLength: 20 },
        password: { type: 'string', pattern: '^(?=.*\\d).{8,}$' },
        extra: {},
      },
    },
    expect: (v) => expect(Object.keys(v as object).sort()).toEqual(['id', 'name', 'nickname']),
  },
  {
    name: 'minProperties beyond the required',
    schema: {
      type: 'object',
      minProperties: 2,
      required: ['a'],
      properties: { a: { type: 'integer' } },
    },
  },
  {
    name: 'required but not among the properties',
    schema: { type: 'object', required: ['free'], additionalProperties: { type: 'integer' } },
  },
  {
    name: 'anyOf: the first valid branch',
    schema: {
      anyOf: [
        { type: 'string', maxLength: 2 },
        { type: 'integer', minimum: 3 },
      ],
    },
  },
  {
    name: 'oneOf: a value in exactly one branch',
    schema: {
      oneOf: [
        { type: 'string', minLength: 1 },
        { type: 'string', maxLength: 5 },
      ],
    },
  },
  {
    name: 'nullable by type list',
    schema: { type: ['string', 'null'], maxLength: 10 },
    expect: (v) => expect(typeof v).toBe('string'),
  },
  {
    name: 'nullable (OpenAPI)',
    schema: { type: 'integer', nullable: true, minimum: 4 },
    expect: (v) => expect(v).toBe(4),
  },
  {
    name: '$ref and definitions',
    schema: {
      type: 'object',
      required: ['home', 'work'],
      properties: {
        home: { $ref: '#/definitions/address' },
        work: { $ref: '#/definitions/address' },
      },
      definitions: {
        address: {
          type: 'object',
          required: ['zip'],
          properties: { zip: { type: 'string', pattern: '^\\d{5}$' } },
          additionalProperties: false,
        },
      },
    },
  },
  {
    name: 'allOf merged',
    schema: {
      allOf: [
        { type: 'object', required: ['a'], properties: { a: { type: 'integer', minimum: 2 } } },
        {
          type: 'object',
          required: ['b'],
          properties: { a: { type: 'integer', maximum: 9 }, b: { type: 'boolean' } },
        },
      ],
    },
  },
  {
    name: 'nested arrays of objects',
    schema: {
      type: 'object',
      required: ['lines'],
      properties: {
        lines: {
          type: 'array',
          minItems: 2,
          items: {
            type: 'object',
            required: ['qty', 'tags'],
            properties: {
              qty: { type: 'integer', exclusiveMinimum: 0, maximum: 3 },
              tags: { type: 'array', items: { type: 'string', enum: ['x', 'y'] }, maxItems: 1 },
            },
          },
        },
      },
    },
  },
];

describe('sampleValue and invalidVariants, keyword by keyword', () => {
  it.each(KEYWORD_CASES.map((entry) => [entry.name, entry] as const))(
    '%s',
    (_name, { schema, draft2020, expect: check }) => {
      const validate = validator(schema, draft2020);
      const value = sampleValue(schema, { tag: TAG });
      expect(validate(value), JSON.stringify(value)).toBe(true);
      expect(validate(sampleValue(schema, { tag: TAG, seq: 3 }))).toBe(true);
      check?.(value);
      for (const variant of invalidVariants(schema, value)) {
        expect(
          validate(variant.value),
          `${variant.description}: ${JSON.stringify(variant.value)}`,
        ).toBe(false);
      }
    },
  );

  it('offers each documented kind of variant', () => {
    const schema: JsonSchema = {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'qty', 'kind', 'tags', 'name'],
      properties: {
        id: { type: 'string', format: 'uuid' },
        qty: { type: 'integer', minimum: 1, maximum: 9 },
        kind: { enum: ['a', 'b'] },
        tags: { type: 'array', minItems: 1, items: { type: 'string' } },
        name: { type: 'string', maxLength: 40 },
      },
    };
    const validate = validator(schema);
    const variants = invalidVariants(schema, sampleValue(schema, { tag: TAG }));
    for (const variant of variants) expect(validate(variant.value)).toBe(false);
    expect(variants.map((variant) => variant.description)).toEqual(
      expect.arrayContaining([
        'id missing (required)',
        'qty missing (required)',
        'kind missing (required)',
        'tags missing (required)',
        'name missing (required)',
        'the value of the wrong type (a string, not object)',
        'name longer than 40 characters',
        'qty below its minimum 1',
        'qty above its maximum 9',
        'kind outside its allowed values ("a", "b")',
        'tags empty (at least 1 item)',
        'an unknown property seamtest_unknown',
        'id a malformed uuid',
      ]),
    );
  });

  it('keeps no variant the schema might accept (a wrong type where any type will do)', () => {
    const schema: JsonSchema = {
      type: 'object',
      required: ['any'],
      properties: { any: {}, either: { anyOf: [{ type: 'string' }, { type: 'number' }] } },
    };
    const value = { any: 'x', either: 'y' };
    const validate = validator(schema);
    const variants = invalidVariants(schema, value);
    expect(variants.map((variant) => variant.path)).toEqual(['', '/any']);
    for (const variant of variants) expect(validate(variant.value)).toBe(false);
  });

  it('marks a string whose pattern it cannot meet', () => {
    const value = sampleValue(
      { type: 'string', pattern: '^(?=.*[A-Z])[A-Za-z]{4}$' },
      { tag: TAG },
    );
    expect(String(value).startsWith(UNSATISFIED)).toBe(true);
  });

  it('is deterministic, varies with seq, and uses neither Math.random nor the clock', () => {
    const random = vi.spyOn(Math, 'random');
    const now = vi.spyOn(Date, 'now');
    try {
      for (const [, schema] of shopSchemas()) {
        expect(sampleValue(schema, { tag: TAG, seq: 2 })).toEqual(
          sampleValue(schema, { tag: TAG, seq: 2 }),
        );
      }
      const schema = shopSchemas()[0]?.[1] as JsonSchema;
      expect(sampleValue(schema, { tag: TAG, seq: 1 })).not.toEqual(
        sampleValue(schema, { tag: TAG, seq: 2 }),
      );
      expect(sampleValue(schema, { tag: TAG })).not.toEqual(
        sampleValue(schema, { tag: 'st-000000' }),
      );
      expect(random).not.toHaveBeenCalled();
      expect(now).not.toHaveBeenCalled();
    } finally {
      random.mockRestore();
      now.mockRestore();
    }
  });

  it('derives uuids from tag and seq in the version-4 layout', () => {
    const uuids = [0, 1, 2].flatMap((seq) => [sampleUuid(TAG, seq), sampleUuid('st-other', seq)]);
    for (const uuid of uuids) expect(uuid).toMatch(UUID_V4);
    expect(new Set(uuids).size).toBe(uuids.length);
    expect(sampleUuid(TAG, 5, 'x')).toBe(sampleUuid(TAG, 5, 'x'));
  });
});

// ---------------------------------------------------------------------------------------------
// Rows.

const KINDS_MIGRATION = `
CREATE TYPE mood AS ENUM ('calm', 'busy');
CREATE TABLE kinds (
  code    varchar(8) PRIMARY KEY,
  label   char(2) NOT NULL UNIQUE,
  small   smallint NOT NULL CHECK (small BETWEEN -3 AND 3),
  big     bigint NOT NULL UNIQUE,
  price   numeric(8, 2) NOT NULL CHECK (price > 0 AND price < 1000),
  ratio   double precision NOT NULL CHECK (ratio > 0 AND ratio < 1),
  flag    boolean NOT NULL,
  at      timestamp NOT NULL,
  at_tz   timestamptz NOT NULL,
  day     date NOT NULL,
  at_time time NOT NULL,
  span    interval NOT NULL,
  body    jsonb NOT NULL,
  doc     json NOT NULL,
  raw     bytea NOT NULL,
  tags    text[] NOT NULL,
  state   mood NOT NULL,
  address inet NOT NULL,
  id      bigserial UNIQUE,
  spare   text
);
CREATE TABLE kind_links (
  id        uuid PRIMARY KEY,
  kind_code varchar(8) NOT NULL REFERENCES kinds ON DELETE CASCADE,
  kind_id   bigint REFERENCES kinds (id),
  note      text CHECK (note <> '')
);
ALTER TABLE kind_links ADD COLUMN weight integer NOT NULL DEFAULT 10 CHECK (weight >= 10);
ALTER TABLE kind_links ADD COLUMN rank integer;
ALTER TABLE kind_links ALTER COLUMN rank SET NOT NULL;
ALTER TABLE kind_links ADD CONSTRAINT rank_range CHECK (rank BETWEEN 5 AND 7);
ALTER TABLE kind_links RENAME COLUMN note TO remark;
ALTER TABLE kind_links ADD COLUMN legacy text NOT NULL;
ALTER TABLE kind_links DROP COLUMN legacy;
`;

describe('sampleRow', () => {
  let shopTables: TableSchema[];
  let kindTables: TableSchema[];

  beforeAll(async () => {
    await loadSqlSchemaParser();
    shopTables = readSqlSchema(shopMigrations(), 'postgresql').tables;
    kindTables = readSqlSchema([{ path: 'kinds.sql', text: KINDS_MIGRATION }], 'postgresql').tables;
  });

  const byName = (tables: TableSchema[], name: string) =>
    tables.find((table) => table.name === name) as TableSchema;

  it('fills every NOT NULL column without a default, and only those', () => {
    expect(Object.keys(sampleRow(byName(shopTables, 'orders'), { tag: TAG }))).toEqual([
      'id',
      'customer_id',
      'status',
      'currency',
      'total_cents',
      'payment_id',
      'reservation_id',
    ]);
  });

  it.each([
    ['orders', 'currency', (v: unknown) => expect(String(v)).toHaveLength(3)],
    ['orders', 'status', (v: unknown) => expect(v).toBe('confirmed')],
    ['orders', 'id', (v: unknown) => expect(v).toMatch(UUID_V4)],
    ['orders', 'customer_id', (v: unknown) => expect(v).toBe(`${TAG}-customer_id-0`)],
    ['stock', 'sku', (v: unknown) => expect(String(v)).toContain(TAG)],
    ['stock', 'available', (v: unknown) => expect(v).toBe(1)],
    ['reservation_items', 'quantity', (v: unknown) => expect(v).toBe(1)],
    ['kinds', 'label', (v: unknown) => expect(String(v)).toMatch(/^[0-9a-z]{2}$/)],
    ['kinds', 'small', (v: unknown) => expect(v).toBe(1)],
    ['kinds', 'ratio', (v: unknown) => expect(v).toBe(0.5)],
    ['kinds', 'state', (v: unknown) => expect(v).toBe('calm')],
    ['kinds', 'tags', (v: unknown) => expect(v).toEqual([`${TAG}-tags-0`])],
    ['kind_links', 'rank', (v: unknown) => expect(v).toBe(5)],
  ] as const)('%s.%s', (tableName, column, check) => {
    const tables = [...shopTables, ...kindTables];
    check(sampleRow(byName(tables, tableName), { tag: TAG })[column]);
  });

  it('takes foreign-key values from references, by column or by the column referred to', () => {
    const items = byName(shopTables, 'reservation_items');
    const row = sampleRow(items, {
      tag: TAG,
      references: { reservation_id: 'r-1', 'stock.sku': 'sku-1' },
    });
    expect(row).toMatchObject({ reservation_id: 'r-1', sku: 'sku-1' });
  });

  it('is deterministic and varies with seq', () => {
    const orders = byName(shopTables, 'orders');
    expect(sampleRow(orders, { tag: TAG, seq: 4 })).toEqual(
      sampleRow(orders, { tag: TAG, seq: 4 }),
    );
    expect(sampleRow(orders, { tag: TAG, seq: 4 }).id).not.toBe(sampleRow(orders, { tag: TAG }).id);
  });
});

describe('sampleRow into a real PostgreSQL', () => {
  const adminUrl =
    process.env.SEAMTEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = `seamtest_samples_${randomBytes(4).toString('hex')}`;
  let client: pg.Client | undefined;
  let created = false;

  beforeAll(async () => {
    await loadSqlSchemaParser();
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${database}`);
      created = true;
    } finally {
      await admin.end();
    }
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    if (!created) return;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  });

  /** Inserts seq 0..2 of every table, parents first, children taking their parents' keys. */
  async function insertAll(tables: TableSchema[], tag: string): Promise<Map<string, unknown[]>> {
    const db = client as pg.Client;
    const inserted = new Map<string, Record<string, unknown>[]>();
    for (const table of insertionOrder(tables)) {
      const rows: Record<string, unknown>[] = [];
      for (const seq of [0, 1, 2]) {
        const references: Record<string, unknown> = {};
        for (const key of table.foreignKeys) {
          const parent = inserted.get(key.table)?.[seq];
          if (!parent) continue;
          key.columns.forEach((column, index) => {
            references[column] = parent[key.references[index] ?? ''];
          });
        }
        const row = sampleRow(table, { tag, seq, references });
        const columns = Object.keys(row);
        const sql = `INSERT INTO "${table.name}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns
          .map((_, index) => `$${index + 1}`)
          .join(', ')}) RETURNING *`;
        const result = await db.query(sql, Object.values(row));
        rows.push(result.rows[0] as Record<string, unknown>);
      }
      inserted.set(table.name, rows);
    }
    return inserted as Map<string, unknown[]>;
  }

  /** What PostgreSQL itself says of the columns: [name, nullable, has a default]. */
  async function catalogue(name: string): Promise<[string, boolean, boolean][]> {
    const result = await (client as pg.Client).query(
      `SELECT column_name, is_nullable, column_default, is_identity, is_generated
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1
        ORDER BY ordinal_position`,
      [name],
    );
    return result.rows.map((row) => [
      row.column_name,
      row.is_nullable === 'YES',
      row.column_default !== null || row.is_identity === 'YES' || row.is_generated === 'ALWAYS',
    ]);
  }

  it('the shop tables: every row inserts in insertionOrder, seqs 0-2', async () => {
    for (const migration of shopMigrations()) await client?.query(migration.text);
    const tables = readSqlSchema(shopMigrations(), 'postgresql').tables;
    const inserted = await insertAll(tables, `st-${randomBytes(3).toString('hex')}`);
    expect([...inserted.keys()].sort()).toEqual([
      'order_items',
      'orders',
      'reservation_items',
      'reservations',
      'stock',
    ]);
    for (const rows of inserted.values()) expect(rows).toHaveLength(3);
  });

  it('the shop tables as read agree with the catalogue on columns, NULL and defaults', async () => {
    const tables = readSqlSchema(shopMigrations(), 'postgresql').tables;
    for (const table of tables) {
      expect(
        table.columns.map((column) => [column.name, column.nullable, column.hasDefault]),
        table.name,
      ).toEqual(await catalogue(table.name));
    }
  });

  it('a table of many column types, CHECKs and ALTERs: every row inserts', async () => {
    await client?.query(KINDS_MIGRATION);
    const { tables, skipped } = readSqlSchema(
      [{ path: 'kinds.sql', text: KINDS_MIGRATION }],
      'postgresql',
    );
    expect(skipped).toEqual([]);
    for (const table of tables) {
      expect(
        table.columns.map((column) => [column.name, column.nullable, column.hasDefault]),
        table.name,
      ).toEqual(await catalogue(table.name));
    }
    const inserted = await insertAll(tables, `st-${randomBytes(3).toString('hex')}`);
    expect(inserted.get('kind_links')).toHaveLength(3);
    // A second tag's rows do not collide with the first's unique values.
    await insertAll(tables, `st-${randomBytes(3).toString('hex')}`);
  });

  it('a row of the shop carries its tag, so it can be found again', async () => {
    const tag = `st-${randomBytes(3).toString('hex')}`;
    const tables = readSqlSchema(shopMigrations(), 'postgresql').tables;
    await insertAll(tables, tag);
    const found = await (client as pg.Client).query(
      'SELECT count(*)::int AS n FROM orders WHERE customer_id LIKE $1',
      [`${tag}-%`],
    );
    expect(found.rows[0]?.n).toBe(3);
    expect(strings(sampleRow(tables[0] as TableSchema, { tag })).some((s) => s.includes(tag))).toBe(
      true,
    );
  });
});
