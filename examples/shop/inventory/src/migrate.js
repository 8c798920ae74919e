// Applies migrations/*.sql in name order, each in its own transaction, once.
const { readdir, readFile } = require('node:fs/promises');
const path = require('node:path');
const { Client } = require('pg');

async function migrate() {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is not set');
  const folder = path.join(__dirname, '..', 'migrations');
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const { rows } = await client.query('SELECT name FROM schema_migrations');
    const applied = new Set(rows.map((row) => row.name));
    const files = (await readdir(folder)).filter((file) => file.endsWith('.sql')).sort();
    for (const name of files) {
      if (applied.has(name)) continue;
      await client.query('BEGIN');
      try {
        await client.query(await readFile(path.join(folder, name), 'utf8'));
        await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
      console.log(`applied ${name}`);
    }
  } finally {
    await client.end();
  }
}

migrate().catch((error) => {
  console.error(`migration failed: ${error.message}`);
  process.exit(1);
});
