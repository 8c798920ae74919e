// Applies migrations/*.sql in name order, each in its own transaction, once.
import { readdir, readFile } from 'node:fs/promises';
import pg from 'pg';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('DATABASE_URL is not set');
  process.exit(1);
}

const folder = new URL('../migrations/', import.meta.url);
const client = new pg.Client({ connectionString: databaseUrl });
try {
  await client.connect();
  await client.query(
    'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
  );
  const applied = new Set(
    (await client.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map(
      (row) => row.name,
    ),
  );
  for (const name of (await readdir(folder)).filter((file) => file.endsWith('.sql')).sort()) {
    if (applied.has(name)) continue;
    await client.query('BEGIN');
    await client.query(await readFile(new URL(name, folder), 'utf8'));
    await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name]);
    await client.query('COMMIT');
    console.log(`applied ${name}`);
  }
} catch (error) {
  await client.query('ROLLBACK').catch(() => undefined);
  console.error(`migration failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await client.end();
}
