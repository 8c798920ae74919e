// pg: which queries run inside a transaction, through a withTransaction helper's callback and
// the repository functions it hands its client to.
import { expect, it } from 'vitest';
import { mapProject } from '../../src/map/map-project.js';

it('marks the queries run on the transaction client, and only those, as transactional', async () => {
  const { map } = await mapProject('fixtures/pg');
  const sql = map.boundaries
    .flatMap((boundary) => boundary.operations)
    .filter((operation) => operation.kind === 'sql');
  const transactional = Object.fromEntries(
    sql.map((operation) => [
      operation.id.split(' ').slice(1).join(' '),
      operation.kind === 'sql' && operation.transaction,
    ]),
  );
  expect(transactional).toEqual({
    'insert ledger_entries': true,
    'select accounts': false,
    'select accounts for-update': true,
    'select ledger_entries': true,
    'select owners': false,
    'update accounts': true,
    'upsert settings': false,
  });
});
