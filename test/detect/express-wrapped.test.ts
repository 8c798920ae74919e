// Controllers wrapped in a catchAsync-style helper keep their statuses and effects, status
// constants (`httpStatus.CREATED`) read as the codes they stand for, and routers mounted from a
// list in a loop keep their prefixes.
import { expect, it } from 'vitest';
import { mapProject } from '../../src/map/map-project.js';

it('follows handlers through an async wrapper and reads named statuses', async () => {
  const { map } = await mapProject('fixtures/express-wrapped');
  const routes = Object.fromEntries(
    map.boundaries.flatMap((boundary) =>
      boundary.operations.flatMap((operation) =>
        operation.kind === 'http-route'
          ? [
              [
                `${operation.method} ${operation.path}`,
                {
                  statuses: operation.responses.map((response) => response.status),
                  effects: operation.effects.map((id) => id.split(' ').slice(1).join(' ')),
                },
              ],
            ]
          : [],
      ),
    ),
  );
  expect(routes).toEqual({
    'POST /v1/gadgets': { statuses: [201], effects: ['insert gadgets'] },
    'GET /v1/gadgets/:id': { statuses: [200, 404], effects: ['select gadgets'] },
    'DELETE /v1/gadgets/:id': { statuses: [204], effects: ['delete gadgets'] },
    // Mounted from a list walked with forEach.
    'GET /v1/health': { statuses: [200], effects: [] },
  });
});
