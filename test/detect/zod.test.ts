// zod: the schema each route validates, whether parsed in the handler or by a validator factory.
import { expect, it } from 'vitest';
import { mapProject } from '../../src/map/map-project.js';
import type { HttpRoute } from '../../src/map/model.js';

it('reads body and query schemas, in handlers and through validate(schema) middleware', async () => {
  const { map } = await mapProject('fixtures/zod');
  const routes = map.boundaries
    .flatMap((boundary) => boundary.operations)
    .filter((operation): operation is HttpRoute => operation.kind === 'http-route');
  const request = (method: string, path: string) =>
    routes.find((route) => route.method === method && route.path === path)?.request;
  expect(request('POST', '/users')?.body).toEqual({
    source: 'zod',
    schema: {
      type: 'object',
      properties: {
        email: { type: 'string', format: 'email' },
        name: { type: 'string', minLength: 1, maxLength: 80 },
        age: { type: 'integer', minimum: 13 },
      },
      required: ['email', 'name'],
    },
    at: { file: 'src/schemas.ts', line: 3 },
  });
  expect(request('PATCH', '/users/:id')?.body?.schema).toEqual({
    type: 'object',
    properties: { name: { type: 'string', minLength: 1 } },
    required: ['name'],
  });
  expect(request('GET', '/users')?.query?.at).toEqual({ file: 'src/schemas.ts', line: 9 });
});
