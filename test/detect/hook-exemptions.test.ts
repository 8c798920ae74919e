// An app-wide auth hook that waves listed paths or methods through does not protect them.
import { afterEach, expect, it } from 'vitest';
import { mapProject } from '../../src/map/map-project.js';
import { type TempProject, tempProject } from '../support/temp-project.js';

let project: TempProject | undefined;
afterEach(async () => project?.remove());

it('exempts the paths and methods an auth hook lets through', async () => {
  project = await tempProject({
    'package.json': JSON.stringify({ name: 'exempt', dependencies: { express: '^4.21.0' } }),
    'src/app.js': [
      "const app = require('express')();",
      'app.use((req, res, next) => {',
      "  if (['/health', '/login'].includes(req.path)) return next();",
      "  if (['GET', 'HEAD'].includes(req.method)) return next();",
      '  if (!req.headers.authorization) return res.status(401).end();',
      '  next();',
      '});',
      "app.get('/health', (req, res) => res.end());",
      "app.post('/login', (req, res) => res.end());",
      "app.get('/items', (req, res) => res.end());",
      "app.post('/items', (req, res) => res.status(201).end());",
      'app.listen(3000);',
      '',
    ].join('\n'),
  });
  const { map } = await mapProject(project.root);
  const routes = map.boundaries.flatMap((boundary) =>
    boundary.operations.flatMap((operation) =>
      operation.kind === 'http-route'
        ? [`${operation.method} ${operation.path}${operation.auth ? ' protected' : ''}`]
        : [],
    ),
  );
  expect(routes.sort()).toEqual([
    'GET /health',
    'GET /items',
    'POST /items protected',
    'POST /login',
  ]);
});
