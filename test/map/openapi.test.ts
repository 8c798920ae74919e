import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { mapProject } from '../../src/map/map-project.js';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'seamtest-openapi-'));
  await mkdir(path.join(root, 'src'));
  await writeFile(
    path.join(root, 'package.json'),
    JSON.stringify({ name: 'api', dependencies: { express: '5' } }),
  );
  await writeFile(
    path.join(root, 'src/app.js'),
    "const app = require('express')();\napp.post('/users/:id/notes', (req, res) => res.status(201).json(req.body));\napp.listen(3000);\n",
  );
  await writeFile(
    path.join(root, 'openapi.yaml'),
    `openapi: 3.1.0
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
  );
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

it('gives a route without a schema in code the body schema of its OpenAPI operation', async () => {
  const { map } = await mapProject(root);
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
