// Prisma: relations from schema.prisma make `include`, relation `select`s and nested writes
// touch the related tables, and a write with nested writes runs in Prisma's own transaction.
import { expect, it } from 'vitest';
import { mapProject } from '../../src/map/map-project.js';

it('follows include, select and nested writes to related tables', async () => {
  const { map } = await mapProject('fixtures/prisma');
  const routes = map.boundaries
    .flatMap((boundary) => boundary.operations)
    .flatMap((operation) =>
      operation.kind === 'http-route'
        ? [[`${operation.method} ${operation.path}`, operation.effects.map(tableAction)]]
        : [],
    );
  expect(Object.fromEntries(routes)).toMatchObject({
    'GET /users/:id/feed': ['select Post', 'select comments', 'select users'],
    'POST /users': ['insert Post', 'insert users', 'select Post'],
    'POST /users/:id/reset': ['delete Post', 'update users'],
    // An implicit many-to-many lives in `_PostToTag`: `set` empties it, `connect` adds rows.
    // Through a service class that extends PrismaClient.
    'GET /tags': ['select Tag'],
    'PUT /posts/:id/tags': [
      'delete _PostToTag',
      'insert _PostToTag',
      'select Tag',
      'select _PostToTag',
      'update Post',
    ],
  });
  const sql = map.boundaries
    .flatMap((boundary) => boundary.operations)
    .flatMap((operation) =>
      operation.kind === 'sql'
        ? [[`${operation.action} ${operation.table}`, operation.transaction]]
        : [],
    );
  // Only written in nested writes or $transaction: always in a transaction.
  expect(Object.fromEntries(sql)).toMatchObject({
    'insert users': true,
    'update users': true,
    'insert Post': true,
  });
});

function tableAction(effect: string): string {
  return effect.split(' ').slice(1).join(' ');
}
