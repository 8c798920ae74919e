// A caching helper given the key runs each caller's key, and the route that calls it is the one
// that causes it; keys built by helper functions are read through them.
import { expect, it } from 'vitest';
import { mapProject } from '../../src/map/map-project.js';

it('gives each caller of a caching helper its own key and TTL', async () => {
  const { map } = await mapProject('fixtures/redis-helpers');
  const operations = map.boundaries.flatMap((boundary) => boundary.operations);
  const effects = Object.fromEntries(
    operations.flatMap((operation) =>
      operation.kind === 'http-route'
        ? [
            [
              `${operation.method} ${operation.path}`,
              operation.effects.map((id) => id.split(' ').slice(1).join(' ')),
            ],
          ]
        : [],
    ),
  );
  expect(effects).toEqual({
    'GET /carts/:id': ['HGETALL cart:{id}'],
    'GET /me': ['GET session:{userId}'],
    'GET /products/:id': ['GET product:{id}', 'SET product:{id}'],
    'GET /prices': ['GET rk:prices', 'SET rk:prices'],
  });
  const ttl = Object.fromEntries(
    operations.flatMap((operation) =>
      operation.kind === 'cache' && operation.command === 'SET'
        ? [[operation.keyPattern, operation.ttlSeconds]]
        : [],
    ),
  );
  expect(ttl).toEqual({ 'product:{id}': { value: 60 }, 'rk:prices': { value: 300 } });
});
