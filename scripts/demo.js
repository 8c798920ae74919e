// `npm run demo`: runs seamtest on the bundled example system: maps it, then generates its
// integration suite against the local PostgreSQL, Redis and RabbitMQ (or the ones the
// SEAMTEST_*_URL variables name), and says where the results are.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const out = '.seamtest/shop';
const suite = `${out}/integration-tests`;
const local = {
  SEAMTEST_ORDERS_DB_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
  SEAMTEST_INVENTORY_DB_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
  SEAMTEST_REDIS_URL: 'redis://127.0.0.1:6379',
  SEAMTEST_RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5672',
};
const run = (args) =>
  execFileSync(process.execPath, ['bin/seamtest.js', ...args], {
    cwd: repo,
    stdio: 'inherit',
    env: { ...local, ...process.env },
  });

console.log(`$ seamtest map examples/shop --out ${out}\n`);
run(['map', 'examples/shop', '--out', out]);
console.log(`\n$ seamtest generate examples/shop --framework vitest --out ${suite}\n`);
try {
  run(['generate', 'examples/shop', '--framework', 'vitest', '--out', suite]);
} catch {
  // seamtest has already printed the one line that says what is missing.
  process.exit(1);
}
console.log(`
Wrote ${out}/integration-map.md (the map, with a Mermaid diagram) and the suite in ${suite}
(start with its INTEGRATION.md). To run the suite again, set the SEAMTEST_*_URL variables it
lists and: cd ${suite} && npx vitest run
Next: \`npm test\` runs seamtest's own test suite.`);
