// Tables read from migration files: the shop's own migrations give its tables, keys, foreign keys
// and CHECK bounds; ALTER TABLE and the other changes carry through in order; MySQL and SQLite
// migrations give the same shape; what cannot be read is listed as skipped, never thrown.
import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type ColumnSchema,
  insertionOrder,
  loadSqlSchemaParser,
  readSqlSchema,
  type TableSchema,
} from '../../src/plan/sql-schema.js';

const shop = new URL('../../examples/shop/', import.meta.url);

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

/** A column: NOT NULL, no default, not unique unless said. */
function column(name: string, type: string, extra: Partial<ColumnSchema> = {}): ColumnSchema {
  return { name, type, nullable: false, hasDefault: false, unique: false, ...extra };
}

const nullable = { nullable: true };

const SHOP_TABLES: TableSchema[] = [
  {
    name: 'orders',
    columns: [
      column('id', 'uuid', { unique: true }),
      column('customer_id', 'text'),
      column('status', 'text', { check: { oneOf: ['confirmed', 'cancelled'] } }),
      column('currency', 'char', { length: 3 }),
      column('total_cents', 'integer', { check: { min: 0 } }),
      column('payment_id', 'text'),
      column('reservation_id', 'uuid'),
      column('request_id', 'text', nullable),
      column('note', 'text', nullable),
      column('created_at', 'timestamptz', { hasDefault: true }),
      column('cancelled_at', 'timestamptz', nullable),
    ],
    primaryKey: ['id'],
    foreignKeys: [],
  },
  {
    name: 'order_items',
    columns: [
      column('order_id', 'uuid', {
        references: { table: 'orders', column: 'id', onDelete: 'cascade' },
      }),
      column('sku', 'text'),
      column('quantity', 'integer', { check: { exclusiveMin: 0 } }),
      column('unit_price_cents', 'integer', { check: { min: 0 } }),
    ],
    primaryKey: ['order_id', 'sku'],
    foreignKeys: [
      { columns: ['order_id'], table: 'orders', references: ['id'], onDelete: 'cascade' },
    ],
  },
  {
    name: 'stock',
    columns: [
      column('sku', 'text', { unique: true }),
      column('name', 'text'),
      column('unit_price_cents', 'integer', { check: { min: 0 } }),
      column('available', 'integer', { check: { min: 0 } }),
      column('reserved', 'integer', { hasDefault: true, check: { min: 0 } }),
    ],
    primaryKey: ['sku'],
    foreignKeys: [],
  },
  {
    name: 'reservations',
    columns: [
      column('id', 'uuid', { unique: true }),
      column('order_id', 'uuid', { unique: true }),
      column('customer_id', 'text'),
      column('request_id', 'text', nullable),
      column('status', 'text', { check: { oneOf: ['held', 'released'] } }),
      column('created_at', 'timestamptz', { hasDefault: true }),
      column('released_at', 'timestamptz', nullable),
    ],
    primaryKey: ['id'],
    foreignKeys: [],
  },
  {
    name: 'reservation_items',
    columns: [
      column('reservation_id', 'uuid', {
        references: { table: 'reservations', column: 'id', onDelete: 'cascade' },
      }),
      column('sku', 'text', { references: { table: 'stock', column: 'sku' } }),
      column('quantity', 'integer', { check: { exclusiveMin: 0 } }),
    ],
    primaryKey: ['reservation_id', 'sku'],
    foreignKeys: [
      {
        columns: ['reservation_id'],
        table: 'reservations',
        references: ['id'],
        onDelete: 'cascade',
      },
      { columns: ['sku'], table: 'stock', references: ['sku'] },
    ],
  },
];

function read(sql: string | string[], dialect: 'postgresql' | 'mysql' | 'sqlite' = 'postgresql') {
  const texts = Array.isArray(sql) ? sql : [sql];
  return readSqlSchema(
    texts.map((text, index) => ({ path: `${String(index + 1).padStart(3, '0')}.sql`, text })),
    dialect,
  );
}

function table(tables: TableSchema[], name: string): TableSchema {
  const found = tables.find((entry) => entry.name === name);
  if (!found)
    throw new Error(`no table ${name} in ${tables.map((entry) => entry.name).join(', ')}`);
  return found;
}

function columnOf(tables: TableSchema[], tableName: string, name: string): ColumnSchema {
  const found = table(tables, tableName).columns.find((entry) => entry.name === name);
  if (!found) throw new Error(`no column ${tableName}.${name}`);
  return found;
}

beforeAll(async () => {
  await loadSqlSchemaParser();
});

describe('the shop migrations', () => {
  it.each(SHOP_TABLES.map((expected) => [expected.name, expected] as const))(
    '%s: columns, keys, foreign keys and checks',
    (name, expected) => {
      const { tables, skipped } = readSqlSchema(shopMigrations(), 'postgresql');
      expect(skipped).toEqual([]);
      expect(table(tables, name)).toEqual(expected);
    },
  );

  it('reads exactly the five tables, the CREATE INDEX ignored', () => {
    const { tables } = readSqlSchema(shopMigrations(), 'postgresql');
    expect(tables.map((entry) => entry.name)).toEqual([
      'orders',
      'order_items',
      'stock',
      'reservations',
      'reservation_items',
    ]);
  });

  it('orders the tables parents first for inserts', () => {
    const { tables } = readSqlSchema(shopMigrations(), 'postgresql');
    const order = insertionOrder(tables).map((entry) => entry.name);
    expect(order).toHaveLength(5);
    const comesBefore = (parent: string, child: string) =>
      expect(order.indexOf(parent)).toBeLessThan(order.indexOf(child));
    comesBefore('orders', 'order_items');
    comesBefore('reservations', 'reservation_items');
    comesBefore('stock', 'reservation_items');
  });
});

describe('insertionOrder', () => {
  it('puts every table after the tables it references, keeping the given order otherwise', () => {
    const { tables } = read(`
      CREATE TABLE c (id int PRIMARY KEY, b_id int REFERENCES b (id), a_id int REFERENCES a (id));
      CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a (id));
      CREATE TABLE a (id int PRIMARY KEY, parent int REFERENCES a (id));
      CREATE TABLE d (id int PRIMARY KEY);
    `);
    expect(insertionOrder(tables).map((entry) => entry.name)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('still lists every table of a reference cycle once', () => {
    const { tables } = read(`
      CREATE TABLE x (id int PRIMARY KEY, y_id int);
      CREATE TABLE y (id int PRIMARY KEY, x_id int REFERENCES x (id));
      ALTER TABLE x ADD CONSTRAINT x_y FOREIGN KEY (y_id) REFERENCES y (id);
    `);
    expect(
      insertionOrder(tables)
        .map((entry) => entry.name)
        .sort(),
    ).toEqual(['x', 'y']);
  });
});

const BASE = `
  CREATE TABLE customers (
    id      bigserial PRIMARY KEY,
    email   varchar(120) NOT NULL,
    name    text,
    credit  numeric(10, 2) NOT NULL DEFAULT 0
  );
  CREATE TABLE invoices (
    id          uuid PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id),
    total_cents integer NOT NULL CHECK (total_cents >= 0),
    legacy      text
  );
`;

interface AlterCase {
  name: string;
  sql: string;
  table: string;
  column?: string;
  expected: Partial<ColumnSchema> | Partial<TableSchema> | 'absent';
}

const ALTER_CASES: AlterCase[] = [
  {
    name: 'ADD COLUMN … NOT NULL DEFAULT',
    sql: `ALTER TABLE customers ADD COLUMN tier text NOT NULL DEFAULT 'basic' CHECK (tier IN ('basic', 'gold'));`,
    table: 'customers',
    column: 'tier',
    expected: {
      type: 'text',
      nullable: false,
      hasDefault: true,
      check: { oneOf: ['basic', 'gold'] },
    },
  },
  {
    name: 'ADD COLUMN IF NOT EXISTS on an existing column changes nothing',
    sql: 'ALTER TABLE customers ADD COLUMN IF NOT EXISTS email int;',
    table: 'customers',
    column: 'email',
    expected: { type: 'varchar', length: 120 },
  },
  {
    name: 'DROP COLUMN',
    sql: 'ALTER TABLE invoices DROP COLUMN legacy;',
    table: 'invoices',
    column: 'legacy',
    expected: 'absent',
  },
  {
    name: 'DROP COLUMN takes its foreign key with it',
    sql: 'ALTER TABLE invoices DROP COLUMN customer_id;',
    table: 'invoices',
    expected: { foreignKeys: [] },
  },
  {
    name: 'RENAME COLUMN keeps its check and the foreign keys pointing at it',
    sql: `
      ALTER TABLE invoices RENAME COLUMN total_cents TO amount_cents;
      ALTER TABLE customers RENAME COLUMN id TO customer_no;`,
    table: 'invoices',
    expected: {
      foreignKeys: [{ columns: ['customer_id'], table: 'customers', references: ['customer_no'] }],
    },
  },
  {
    name: 'RENAME COLUMN: the renamed column',
    sql: 'ALTER TABLE invoices RENAME COLUMN total_cents TO amount_cents;',
    table: 'invoices',
    column: 'amount_cents',
    expected: { type: 'integer', check: { min: 0 } },
  },
  {
    name: 'ADD CONSTRAINT … FOREIGN KEY … ON DELETE SET NULL',
    sql: `
      ALTER TABLE invoices ADD COLUMN replaces uuid;
      ALTER TABLE invoices ADD CONSTRAINT invoices_replaces_fk FOREIGN KEY (replaces) REFERENCES invoices (id) ON DELETE SET NULL;`,
    table: 'invoices',
    column: 'replaces',
    expected: {
      nullable: true,
      references: { table: 'invoices', column: 'id', onDelete: 'set null' },
    },
  },
  {
    name: 'ADD CONSTRAINT … CHECK … BETWEEN, and a second check narrowing it',
    sql: `
      ALTER TABLE invoices ADD CONSTRAINT total_range CHECK (total_cents BETWEEN 100 AND 500000);
      ALTER TABLE invoices ADD CHECK (total_cents < 400000 AND 200 <= total_cents);`,
    table: 'invoices',
    column: 'total_cents',
    expected: { check: { min: 200, max: 500000, exclusiveMax: 400000 } },
  },
  {
    name: 'DROP CONSTRAINT by the name PostgreSQL gave it',
    sql: 'ALTER TABLE invoices DROP CONSTRAINT invoices_total_cents_check;',
    table: 'invoices',
    column: 'total_cents',
    expected: { check: undefined },
  },
  {
    name: 'DROP CONSTRAINT of a foreign key',
    sql: 'ALTER TABLE invoices DROP CONSTRAINT invoices_customer_id_fkey;',
    table: 'invoices',
    expected: { foreignKeys: [] },
  },
  {
    name: 'ALTER COLUMN SET NOT NULL, DROP DEFAULT and TYPE',
    sql: `
      ALTER TABLE customers ALTER COLUMN name SET NOT NULL, ALTER COLUMN credit DROP DEFAULT;
      ALTER TABLE customers ALTER COLUMN name TYPE varchar(40);`,
    table: 'customers',
    column: 'name',
    expected: { type: 'varchar', length: 40, nullable: false },
  },
  {
    name: 'ALTER COLUMN DROP DEFAULT',
    sql: 'ALTER TABLE customers ALTER COLUMN credit DROP DEFAULT;',
    table: 'customers',
    column: 'credit',
    expected: { hasDefault: false, type: 'numeric' },
  },
  {
    name: 'ADD CONSTRAINT UNIQUE, and a unique index',
    sql: `
      ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE (email);
      CREATE UNIQUE INDEX invoices_legacy_idx ON invoices (legacy);`,
    table: 'customers',
    column: 'email',
    expected: { unique: true },
  },
  {
    name: 'RENAME TO: foreign keys follow the table',
    sql: 'ALTER TABLE customers RENAME TO clients;',
    table: 'invoices',
    expected: { foreignKeys: [{ columns: ['customer_id'], table: 'clients', references: ['id'] }] },
  },
  {
    name: 'DROP TABLE',
    sql: 'DROP TABLE invoices;',
    table: 'customers',
    expected: { name: 'customers' },
  },
  {
    name: 'an enum type, extended later',
    sql: `
      CREATE TYPE invoice_state AS ENUM ('draft', 'sent');
      ALTER TYPE invoice_state ADD VALUE 'paid';
      ALTER TABLE invoices ADD COLUMN state invoice_state NOT NULL DEFAULT 'draft';`,
    table: 'invoices',
    column: 'state',
    expected: { type: 'invoice_state', check: { oneOf: ['draft', 'sent', 'paid'] } },
  },
  {
    name: 'ADD PRIMARY KEY after the table',
    sql: `
      CREATE TABLE notes (invoice_id uuid NOT NULL, line int NOT NULL, body text);
      ALTER TABLE notes ADD PRIMARY KEY (invoice_id, line), ADD FOREIGN KEY (invoice_id) REFERENCES invoices ON DELETE CASCADE;`,
    table: 'notes',
    expected: {
      primaryKey: ['invoice_id', 'line'],
      foreignKeys: [
        { columns: ['invoice_id'], table: 'invoices', references: ['id'], onDelete: 'cascade' },
      ],
    },
  },
];

describe('ALTER TABLE and the other changes, applied in order', () => {
  it.each(ALTER_CASES.map((entry) => [entry.name, entry] as const))('%s', (_name, entry) => {
    const { tables, skipped } = read([BASE, entry.sql]);
    expect(skipped).toEqual([]);
    if (entry.column === undefined) {
      expect(table(tables, entry.table)).toMatchObject(entry.expected as object);
    } else if (entry.expected === 'absent') {
      expect(table(tables, entry.table).columns.map((c) => c.name)).not.toContain(entry.column);
    } else {
      const found = columnOf(tables, entry.table, entry.column);
      for (const [key, value] of Object.entries(entry.expected)) {
        expect(found[key as keyof ColumnSchema], key).toEqual(value);
      }
    }
  });

  it('DROP TABLE removes the table and the foreign keys pointing at it', () => {
    const { tables } = read([BASE, 'DROP TABLE customers CASCADE;']);
    expect(tables.map((entry) => entry.name)).toEqual(['invoices']);
    expect(table(tables, 'invoices').foreignKeys).toEqual([]);
    expect(columnOf(tables, 'invoices', 'customer_id').references).toBeUndefined();
  });
});

describe('names', () => {
  it('reads schema-qualified names as bare names and keeps quoted identifiers exactly', () => {
    const { tables, skipped } = read(`
      CREATE TABLE app."UserAccounts" ("Id" uuid PRIMARY KEY, "E-mail" text NOT NULL UNIQUE, Plain text);
      CREATE TABLE public.sessions (
        token text PRIMARY KEY,
        account uuid NOT NULL REFERENCES app."UserAccounts" ("Id") ON DELETE CASCADE
      );
      ALTER TABLE ONLY public.sessions ADD COLUMN expires_at timestamp with time zone NOT NULL;
    `);
    expect(skipped).toEqual([]);
    expect(tables.map((entry) => entry.name)).toEqual(['UserAccounts', 'sessions']);
    expect(table(tables, 'UserAccounts').columns.map((entry) => entry.name)).toEqual([
      'Id',
      'E-mail',
      'plain',
    ]);
    expect(columnOf(tables, 'UserAccounts', 'E-mail')).toMatchObject({ unique: true });
    expect(columnOf(tables, 'sessions', 'account').references).toEqual({
      table: 'UserAccounts',
      column: 'Id',
      onDelete: 'cascade',
    });
    expect(columnOf(tables, 'sessions', 'expires_at').type).toBe('timestamptz');
  });
});

describe('types', () => {
  it.each([
    ['int', 'integer', undefined],
    ['int4', 'integer', undefined],
    ['bigint', 'bigint', undefined],
    ['smallint', 'smallint', undefined],
    ['serial', 'serial', undefined],
    ['bigserial', 'bigserial', undefined],
    ['numeric(12, 2)', 'numeric', undefined],
    ['decimal', 'numeric', undefined],
    ['boolean', 'boolean', undefined],
    ['bool', 'boolean', undefined],
    ['char(3)', 'char', 3],
    ['character varying(64)', 'varchar', 64],
    ['varchar', 'varchar', undefined],
    ['text', 'text', undefined],
    ['timestamp', 'timestamp', undefined],
    ['timestamp(3) with time zone', 'timestamptz', undefined],
    ['timestamptz', 'timestamptz', undefined],
    ['date', 'date', undefined],
    ['jsonb', 'jsonb', undefined],
    ['json', 'json', undefined],
    ['bytea', 'bytea', undefined],
    ['uuid', 'uuid', undefined],
    ['double precision', 'double precision', undefined],
    ['real', 'real', undefined],
    ['text[]', 'text[]', undefined],
  ])('%s → %s', (sql, type, length) => {
    const { tables } = read(`CREATE TABLE t (c ${sql});`);
    const found = columnOf(tables, 't', 'c');
    expect(found.type).toBe(type);
    expect(found.length).toBe(length);
  });

  it('counts serial, identity and generated columns as having a default', () => {
    const { tables } = read(`CREATE TABLE t (
      a serial, b bigint GENERATED ALWAYS AS IDENTITY, c int GENERATED ALWAYS AS (a * 2) STORED,
      d int DEFAULT 1, e int
    );`);
    expect(table(tables, 't').columns.map((entry) => [entry.name, entry.hasDefault])).toEqual([
      ['a', true],
      ['b', true],
      ['c', true],
      ['d', true],
      ['e', false],
    ]);
    expect(columnOf(tables, 't', 'b').nullable).toBe(false);
  });

  it('reads the CHECK forms: >=, >, <=, <, =, IN, = ANY (ARRAY[…]), BETWEEN, reversed and cast', () => {
    const { tables } = read(`CREATE TABLE t (
      a int CHECK (a >= -5), b int CHECK (b > 0), c numeric CHECK (c <= 9.5), d int CHECK (d < 10),
      e text CHECK (e = 'only'), f text CHECK (f IN ('x', 'y')),
      g text CHECK (g = ANY (ARRAY['p'::text, 'q'::text])), h int CHECK (h BETWEEN 1 AND 5),
      i int CHECK (0 < i), j int CHECK (j IN (1, 2, 3)), k int CHECK (k > 0 OR k IS NULL),
      l text CHECK (char_length(l) <= 10)
    );`);
    const checks = Object.fromEntries(
      table(tables, 't').columns.map((entry) => [entry.name, entry.check]),
    );
    expect(checks).toEqual({
      a: { min: -5 },
      b: { exclusiveMin: 0 },
      c: { max: 9.5 },
      d: { exclusiveMax: 10 },
      e: { oneOf: ['only'] },
      f: { oneOf: ['x', 'y'] },
      g: { oneOf: ['p', 'q'] },
      h: { min: 1, max: 5 },
      i: { exclusiveMin: 0 },
      j: { oneOf: [1, 2, 3] },
      k: undefined,
      l: undefined,
    });
  });
});

describe('statements that cannot be read', () => {
  it('are skipped with a reason, and the rest still applies', () => {
    const { tables, skipped } = read([
      `CREATE TABLE a (id int PRIMARY KEY);
       THIS IS NOT SQL;
       CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a (id));
       CREATE TABLE a (x int);
       ALTER TABLE nowhere ADD COLUMN x int;
       ALTER TABLE IF EXISTS nowhere ADD COLUMN x int;
       CREATE TABLE c AS SELECT 1 AS one;
       CREATE INDEX b_a_idx ON b (a_id);
       INSERT INTO a VALUES (1);
       COMMENT ON TABLE a IS 'the a table';
       CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;`,
      "CREATE TABLE d (id int PRIMARY KEY, note text DEFAULT 'it''s; fine');",
    ]);
    expect(tables.map((entry) => entry.name)).toEqual(['a', 'b', 'd']);
    expect(table(tables, 'a').columns.map((entry) => entry.name)).toEqual(['id']);
    expect(skipped.map(({ path, statement }) => [path, statement])).toEqual([
      ['001.sql', 'THIS IS NOT SQL'],
      ['001.sql', 'CREATE TABLE a (x int)'],
      ['001.sql', 'ALTER TABLE nowhere ADD COLUMN x int'],
      ['001.sql', 'CREATE TABLE c AS SELECT 1 AS one'],
    ]);
    expect(skipped[0]?.reason).toMatch(/PostgreSQL parser does not accept it/);
    expect(skipped[1]?.reason).toBe('table a already exists');
    expect(skipped[2]?.reason).toBe('table nowhere is not defined by earlier migrations');
    expect(skipped[3]?.reason).toMatch(/not modelled/);
  });
});

const MYSQL = `
-- Accounts and their posts.
CREATE TABLE IF NOT EXISTS \`accounts\` (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  email VARCHAR(255) NOT NULL UNIQUE,
  status ENUM('active', 'banned') NOT NULL DEFAULT 'active',
  age TINYINT CHECK (age >= 18),
  nickname VARCHAR(40),
  score DECIMAL(10, 2) NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY idx_email (email),
  CHECK (score BETWEEN 0 AND 100)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE posts (
  id BIGINT NOT NULL AUTO_INCREMENT,
  account_id INT UNSIGNED NOT NULL,
  title VARCHAR(200) NOT NULL,
  body TEXT,
  PRIMARY KEY (id),
  CONSTRAINT fk_posts_account FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE
);

ALTER TABLE posts ADD COLUMN slug VARCHAR(80) NOT NULL AFTER title, DROP COLUMN body;
ALTER TABLE posts ADD CONSTRAINT uq_posts_slug UNIQUE (slug);
ALTER TABLE accounts CHANGE COLUMN nickname display_name VARCHAR(60) NOT NULL DEFAULT '';
ALTER TABLE accounts MODIFY COLUMN score DECIMAL(12, 2) NOT NULL DEFAULT 0;
SET FOREIGN_KEY_CHECKS = 1;
`;

const SQLITE = `
CREATE TABLE authors (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  handle TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('staff', 'guest'))
);
CREATE TABLE notes (
  id INTEGER PRIMARY KEY,
  author_id INTEGER NOT NULL REFERENCES authors(id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  rating INTEGER CHECK (rating BETWEEN 1 AND 5),
  created_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE TRIGGER notes_touch AFTER UPDATE ON notes BEGIN
  UPDATE notes SET title = title WHERE id = NEW.id;
END;
ALTER TABLE notes ADD COLUMN views INTEGER NOT NULL DEFAULT 0;
ALTER TABLE notes RENAME COLUMN title TO heading;
CREATE UNIQUE INDEX notes_heading ON notes (heading);
PRAGMA foreign_keys = ON;
`;

describe('MySQL and SQLite migrations', () => {
  it('MySQL: the same shape, through node-sql-parser', () => {
    const { tables, skipped } = read(MYSQL, 'mysql');
    expect(skipped).toEqual([]);
    expect(tables).toEqual([
      {
        name: 'accounts',
        columns: [
          column('id', 'integer', { hasDefault: true, unique: true, check: { min: 0 } }),
          column('email', 'varchar', { length: 255, unique: true }),
          column('status', 'enum', { hasDefault: true, check: { oneOf: ['active', 'banned'] } }),
          column('age', 'tinyint', { nullable: true, check: { min: 18 } }),
          column('display_name', 'varchar', { length: 60, hasDefault: true }),
          column('score', 'numeric', { hasDefault: true, check: { min: 0, max: 100 } }),
          column('created_at', 'datetime', { hasDefault: true }),
        ],
        primaryKey: ['id'],
        foreignKeys: [],
      },
      {
        name: 'posts',
        columns: [
          column('id', 'bigint', { hasDefault: true, unique: true }),
          column('account_id', 'integer', {
            check: { min: 0 },
            references: { table: 'accounts', column: 'id', onDelete: 'cascade' },
          }),
          column('title', 'varchar', { length: 200 }),
          column('slug', 'varchar', { length: 80, unique: true }),
        ],
        primaryKey: ['id'],
        foreignKeys: [
          { columns: ['account_id'], table: 'accounts', references: ['id'], onDelete: 'cascade' },
        ],
      },
    ]);
  });

  it('SQLite: the same shape; the trigger body does not split its statement', () => {
    const { tables, skipped } = read(SQLITE, 'sqlite');
    expect(tables).toEqual([
      {
        name: 'authors',
        columns: [
          column('id', 'integer', { hasDefault: true, unique: true }),
          column('handle', 'text', { unique: true }),
          column('kind', 'text', { check: { oneOf: ['staff', 'guest'] } }),
        ],
        primaryKey: ['id'],
        foreignKeys: [],
      },
      {
        name: 'notes',
        columns: [
          column('id', 'integer', { hasDefault: true, unique: true }),
          column('author_id', 'integer', {
            references: { table: 'authors', column: 'id', onDelete: 'cascade' },
          }),
          column('heading', 'text', { unique: true }),
          column('rating', 'integer', { nullable: true, check: { min: 1, max: 5 } }),
          column('created_at', 'text', { hasDefault: true }),
          column('views', 'integer', { hasDefault: true }),
        ],
        primaryKey: ['id'],
        foreignKeys: [
          { columns: ['author_id'], table: 'authors', references: ['id'], onDelete: 'cascade' },
        ],
      },
    ]);
    // node-sql-parser reads no PRAGMA: skipped, and nothing else.
    expect(skipped.map((entry) => entry.statement)).toEqual(['PRAGMA foreign_keys = ON']);
  });

  it('MySQL: a statement the parser refuses is skipped and the file goes on', () => {
    const { tables, skipped } = read(
      `CREATE TABLE a (id INT PRIMARY KEY);
       ALTER TABLE a ALTER COLUMN id SET DEFAULT 1;
       DELIMITER //
       CREATE PROCEDURE p() BEGIN SELECT 1; END //
       DELIMITER ;
       CREATE TABLE b (id INT PRIMARY KEY, a_id INT, FOREIGN KEY (a_id) REFERENCES a (id));`,
      'mysql',
    );
    expect(tables.map((entry) => entry.name)).toEqual(['a', 'b']);
    expect(skipped.map((entry) => entry.statement)).toEqual([
      'ALTER TABLE a ALTER COLUMN id SET DEFAULT 1',
      'CREATE PROCEDURE p() BEGIN SELECT 1; END',
    ]);
  });
});
