// A call to `http://localhost:<port>` goes to the project's service that listens on that port by
// default, not to a third party that a generated suite would mock.
import { afterEach, expect, it } from 'vitest';
import { mapProject } from '../../src/map/map-project.js';
import { type TempProject, tempProject } from '../support/temp-project.js';

let project: TempProject | undefined;
afterEach(async () => project?.remove());

it('links a loopback URL to the service listening on its port', async () => {
  const express = JSON.stringify({ express: '^4.21.0' });
  project = await tempProject({
    'package.json': JSON.stringify({ name: 'loop', private: true, workspaces: ['api', 'web'] }),
    'api/package.json': `{ "name": "api", "dependencies": ${express} }`,
    'api/src/server.js': [
      "const app = require('express')();",
      "app.get('/items', (req, res) => res.json([]));",
      'app.listen(Number(process.env.PORT ?? 3001));',
      '',
    ].join('\n'),
    'web/package.json': `{ "name": "web", "dependencies": ${express} }`,
    'web/src/server.js': [
      "const app = require('express')();",
      "app.get('/', async (req, res) => res.json(await (await fetch('http://localhost:3001/items')).json()));",
      "app.get('/elsewhere', async (req, res) => res.json(await (await fetch('http://localhost:9999/x')).json()));",
      'app.listen(Number(process.env.PORT ?? 3000));',
      '',
    ].join('\n'),
  });
  const { map } = await mapProject(project.root);
  const calls = map.boundaries.flatMap((boundary) =>
    boundary.operations.flatMap((operation) =>
      operation.kind === 'http-call'
        ? [`${boundary.id} ${operation.method} ${operation.path}`]
        : [],
    ),
  );
  expect(calls.sort()).toEqual(['web->api GET /items', 'web->localhost GET /x']);
});
