import { afterEach, beforeEach, expect, it } from 'vitest';
import { mapProject } from '../../src/map/map-project.js';
import { type TempProject, tempProject } from '../support/temp-project.js';

let project: TempProject;

beforeEach(async () => {
  project = await tempProject({
    'package.json': JSON.stringify({ name: 'api', dependencies: { express: '5' } }),
    'src/app.js':
      "const app = require('express')();\napp.post('/users/:id/notes', (req, res) => res.status(201).json(req.body));\napp.listen(3000);\n",
    'openapi.yaml': `openapi: 3.1.0
info: { title: api, version: '1' }
paths:
  /users/{id}/notes:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [text]
              properties:
                text: { type: string, maxLength: 500 }
      responses:
        '201': { description: created }
`,
  });
});
afterEach(() => project.remove());

it('gives a route without a schema in code the body schema of its OpenAPI operation', async () => {
  const { map } = await mapProject(project.root);
  const route = map.boundaries[0]?.operations[0];
  expect(route?.kind === 'http-route' ? route.request?.body : undefined).toEqual({
    source: 'openapi',
    schema: {
      type: 'object',
      required: ['text'],
      properties: { text: { type: 'string', maxLength: 500 } },
    },
    at: { file: 'openapi.yaml', line: 10 },
  });
});
