// A test's view of one PostgreSQL database: what rows each table holds, what a request changed,
// and putting every table back the way it was. Tables are small in a test database, so whole
// tables are read; rows are told apart by their primary key.
import pg from 'pg';

export type Row = Record<string, unknown>;

export interface TableChanges {
  inserted: Row[];
  updated: { before: Row; after: Row }[];
  deleted: Row[];
}

export type Changes = Record<string, TableChanges>;

interface TableInfo {
  name: string;
  key: string[];
  /** Tables this one references, which must hold their rows first. */
  parents: string[];
}

export type Snapshot = Map<string, Row[]>;

export class TestDatabase {
  private readonly pool: pg.Pool;
  private tables?: Promise<TableInfo[]>;

  constructor(readonly url: string) {
    this.pool = new pg.Pool({ connectionString: url, max: 2 });
  }

  /** Every row of every table in the public schema, values made JSON-comparable. */
  async snapshot(): Promise<Snapshot> {
    const snapshot: Snapshot = new Map();
    for (const table of await this.tableInfo()) {
      const { rows } = await this.pool.query(`SELECT * FROM ${quote(table.name)}`);
      snapshot.set(table.name, rows.map(normaliseRow));
    }
    return snapshot;
  }

  /** What changed since `before`, table by table; tables without changes are left out. */
  async changesSince(before: Snapshot): Promise<Changes> {
    const after = await this.snapshot();
    const changes: Changes = {};
    for (const table of await this.tableInfo()) {
      const keyOf = (row: Row) => JSON.stringify(table.key.map((column) => row[column]));
      const old = new Map((before.get(table.name) ?? []).map((row) => [keyOf(row), row]));
      const now = new Map((after.get(table.name) ?? []).map((row) => [keyOf(row), row]));
      const tableChanges: TableChanges = { inserted: [], updated: [], deleted: [] };
      for (const [key, row] of now) {
        const previous = old.get(key);
        if (!previous) tableChanges.inserted.push(row);
        else if (JSON.stringify(previous) !== JSON.stringify(row))
          tableChanges.updated.push({ before: previous, after: row });
      }
      for (const [key, row] of old) if (!now.has(key)) tableChanges.deleted.push(row);
      const changed =
        tableChanges.inserted.length + tableChanges.updated.length + tableChanges.deleted.length;
      if (changed > 0) changes[table.name] = tableChanges;
    }
    return changes;
  }

  /** Puts every table back as `baseline` had it: rows added are deleted, changed rows restored. */
  async restore(baseline: Snapshot): Promise<void> {
    const tables = await this.tableInfo();
    const changes = await this.changesSince(baseline);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // Children before parents when deleting, parents before children when inserting.
      for (const table of [...tables].reverse()) {
        for (const row of changes[table.name]?.inserted ?? []) {
          await client.query(
            deleteByKey(table),
            table.key.map((column) => row[column]),
          );
        }
      }
      for (const table of tables) {
        const tableChanges = changes[table.name];
        for (const row of tableChanges?.deleted ?? []) await insertRow(client, table.name, row);
        for (const { before } of tableChanges?.updated ?? []) {
          await updateRow(client, table, before);
        }
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async insert(table: string, row: Row): Promise<void> {
    await insertRow(this.pool, table, row);
  }

  async rows(table: string): Promise<Row[]> {
    const { rows } = await this.pool.query(`SELECT * FROM ${quote(table)}`);
    return rows.map(normaliseRow);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private tableInfo(): Promise<TableInfo[]> {
    this.tables ??= readTables(this.pool);
    return this.tables;
  }
}

async function readTables(pool: pg.Pool): Promise<TableInfo[]> {
  const { rows } = await pool.query<{
    name: string;
    key: string[] | null;
    parents: string[] | null;
  }>(
    `SELECT c.relname::text AS name,
            (SELECT array_agg(a.attname::text ORDER BY array_position(i.indkey, a.attnum))
               FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
              WHERE i.indrelid = c.oid AND i.indisprimary) AS key,
            (SELECT array_agg(DISTINCT p.relname::text)
               FROM pg_constraint f JOIN pg_class p ON p.oid = f.confrelid
              WHERE f.conrelid = c.oid AND f.contype = 'f' AND f.confrelid <> c.oid) AS parents
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r'
      ORDER BY c.relname`,
  );
  const columnsOf = async (name: string) =>
    (
      await pool.query<{ attname: string }>(
        `SELECT attname FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
        [quote(name)],
      )
    ).rows.map((row) => row.attname);
  const tables: TableInfo[] = [];
  for (const row of rows) {
    tables.push({
      name: row.name,
      key: row.key ?? (await columnsOf(row.name)),
      parents: row.parents ?? [],
    });
  }
  return parentsFirst(tables);
}

function parentsFirst(tables: TableInfo[]): TableInfo[] {
  const ordered: TableInfo[] = [];
  const placed = new Set<string>();
  const visit = (table: TableInfo, path: Set<string>) => {
    if (placed.has(table.name) || path.has(table.name)) return;
    path.add(table.name);
    for (const parent of table.parents) {
      const found = tables.find((candidate) => candidate.name === parent);
      if (found) visit(found, path);
    }
    placed.add(table.name);
    ordered.push(table);
  };
  for (const table of tables) visit(table, new Set());
  return ordered;
}

function deleteByKey(table: TableInfo): string {
  const where = table.key.map((column, index) => `${quote(column)} = $${index + 1}`).join(' AND ');
  return `DELETE FROM ${quote(table.name)} WHERE ${where}`;
}

async function insertRow(db: pg.Pool | pg.PoolClient, table: string, row: Row): Promise<void> {
  const columns = Object.keys(row);
  const values = columns.map((_, index) => `$${index + 1}`).join(', ');
  await db.query(
    `INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES (${values})`,
    columns.map((column) => row[column]),
  );
}

async function updateRow(db: pg.PoolClient, table: TableInfo, row: Row): Promise<void> {
  const columns = Object.keys(row);
  const set = columns.map((column, index) => `${quote(column)} = $${index + 1}`).join(', ');
  const where = table.key
    .map((column, index) => `${quote(column)} = $${columns.length + index + 1}`)
    .join(' AND ');
  await db.query(`UPDATE ${quote(table.name)} SET ${set} WHERE ${where}`, [
    ...columns.map((column) => row[column]),
    ...table.key.map((column) => row[column]),
  ]);
}

function normaliseRow(row: Row): Row {
  const out: Row = {};
  for (const [column, value] of Object.entries(row)) {
    out[column] = value instanceof Date ? value.toISOString() : value;
  }
  return out;
}

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

/** Creates a database on the server `adminUrl` points at and returns its URL. */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${quote(name)}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops a database this run created; connections still open to it are ended. */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${quote(name)} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
