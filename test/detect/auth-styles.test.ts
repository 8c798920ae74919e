// Auth beyond JWT verification: API-key middleware and passport strategies, each its own rule.
import { expect, it } from 'vitest';
import { mapProject } from '../../src/map/map-project.js';

it('tells an API-key middleware and a passport JWT strategy apart', async () => {
  const { map } = await mapProject('fixtures/auth-styles');
  expect(
    map.auth.map((rule) => [
      rule.kind,
      rule.library,
      rule.header,
      rule.rejects.map((reject) => reject.status),
    ]),
  ).toEqual([
    ['api-key', 'custom', 'x-api-key', [401]],
    ['jwt-bearer', 'passport', 'authorization', []],
  ]);
});
