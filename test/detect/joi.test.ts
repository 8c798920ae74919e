// joi schemas become the JSON Schemas of the requests they validate.
import { describe, expect, it } from 'vitest';
import { mapProject } from '../../src/map/map-project.js';
import type { HttpRoute } from '../../src/map/model.js';

async function routes() {
  const { map } = await mapProject('fixtures/joi');
  return map.boundaries
    .flatMap((boundary) => boundary.operations)
    .filter((operation): operation is HttpRoute => operation.kind === 'http-route');
}

describe('joi', () => {
  it('reads a body schema validated with schema.validate(req.body), across files', async () => {
    const signup = (await routes()).find((route) => route.path === '/signup');
    expect(signup?.request?.body).toMatchObject({
      source: 'joi',
      schema: {
        type: 'object',
        properties: {
          email: { type: 'string', format: 'email' },
          password: { type: 'string', minLength: 12, maxLength: 128 },
          plan: { type: 'string', enum: ['free', 'pro'] },
        },
        required: ['email', 'password'],
      },
      at: { file: 'src/schemas.js' },
    });
  });

  it("reads celebrate's segments", async () => {
    const users = (await routes()).find((route) => route.path === '/users');
    expect(users?.request?.query?.schema).toEqual({
      type: 'object',
      properties: { page: { type: 'integer', minimum: 1 } },
    });
  });
});
