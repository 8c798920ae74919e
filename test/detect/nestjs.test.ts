// NestJS: DTO classes checked by class-validator are the request bodies of their routes.
import { expect, it } from 'vitest';
import { mapProject } from '../../src/map/map-project.js';

it('reads a @Body() DTO class and its class-validator decorators as the body schema', async () => {
  const { map } = await mapProject('fixtures/nestjs');
  const create = map.boundaries
    .flatMap((boundary) => boundary.operations)
    .find(
      (operation) =>
        operation.kind === 'http-route' &&
        operation.method === 'POST' &&
        operation.path === '/api/cats',
    );
  expect(create?.kind === 'http-route' ? create.request?.body : undefined).toEqual({
    source: 'class-validator',
    schema: {
      type: 'object',
      properties: {
        name: { type: 'string', maxLength: 40 },
        age: { type: 'integer', minimum: 0 },
        coat: { type: 'string', enum: ['tabby', 'black'] },
      },
      required: ['name', 'age'],
    },
    at: { file: 'src/cats/create-cat.dto.ts', line: 3 },
  });
});

it('makes one auth rule of a guard named on many controllers, and reads exception subclasses', async () => {
  const { map } = await mapProject('fixtures/nestjs');
  // JwtAuthGuard on three cats routes and inside the Authenticated() decorator is one rule.
  expect(map.auth.map((rule) => rule.id)).toEqual([
    'fixture-nestjs:api-key-3',
    'fixture-nestjs:jwt-bearer',
    'fixture-nestjs:jwt-bearer-2',
  ]);
  const one = map.boundaries
    .flatMap((boundary) => boundary.operations)
    .find((operation) => operation.kind === 'http-route' && operation.path === '/api/owners/:id');
  expect(
    one?.kind === 'http-route' ? one.responses.map((response) => response.status) : [],
  ).toContain(404);
});
