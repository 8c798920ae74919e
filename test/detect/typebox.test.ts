// TypeBox schemas on Fastify routes are read as the JSON Schema they build, across files.
import { expect, it } from 'vitest';
import { mapProject } from '../../src/map/map-project.js';

it('reads TypeBox schemas as JSON Schema', async () => {
  const { map } = await mapProject('fixtures/typebox');
  const bodies = Object.fromEntries(
    map.boundaries.flatMap((boundary) =>
      boundary.operations.flatMap((operation) =>
        operation.kind === 'http-route'
          ? [[`${operation.method} ${operation.path}`, operation.request?.body?.schema]]
          : [],
      ),
    ),
  );
  expect(bodies['POST /products']).toEqual({
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 120 },
      priceCents: { type: 'integer', minimum: 0 },
      tags: { type: 'array', items: { type: 'string' }, maxItems: 10 },
      status: { anyOf: [{ const: 'draft' }, { const: 'live' }] },
    },
    required: ['name', 'priceCents', 'status'],
    additionalProperties: false,
  });
  // Type.Partial drops `required`; Type.Optional leaves a property out of it.
  expect(bodies['PATCH /products/:id']).not.toHaveProperty('required');
  expect(bodies['POST /products/:id/reviews']).toMatchObject({ required: ['rating'] });
});
