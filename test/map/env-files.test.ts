// Env files name the variables a service expects: each variable the code reads points at the
// line that lists it, names only a service's own file lists are kept as unread, and no value
// from any env file reaches the map.
import { afterEach, expect, it } from 'vitest';
import { mapProject } from '../../src/map/map-project.js';
import { type TempProject, tempProject } from '../support/temp-project.js';

let project: TempProject | undefined;
afterEach(async () => project?.remove());

it('lists env-file names beside the variables the code reads, never their values', async () => {
  project = await tempProject({
    'package.json': JSON.stringify({ name: 'env-demo', private: true, workspaces: ['api'] }),
    '.env': 'SHARED_TOKEN=root-secret-value\n',
    'api/package.json': JSON.stringify({ name: 'api', dependencies: { express: '^4.21.0' } }),
    'api/.env.example': [
      '# the API',
      'export PORT=3000',
      'STRIPE_SECRET_KEY=sk_live_do_not_copy',
      'FEATURE_FLAGS=beta-flag-value',
      '',
    ].join('\n'),
    'api/.env': 'PORT=4000\nSTRIPE_SECRET_KEY=sk_live_local_copy\n',
    'api/src/app.js': [
      "const express = require('express');",
      'const app = express();',
      "app.get('/health', (req, res) => res.json({ ok: true, key: !!process.env.STRIPE_SECRET_KEY }));",
      'console.log(process.env.SHARED_TOKEN, process.env.UNLISTED);',
      'app.listen(Number(process.env.PORT ?? 3000));',
      '',
    ].join('\n'),
  });
  const { map } = await mapProject(project.root);
  const api = map.components.find((component) => component.id === 'api');
  const config = Object.fromEntries(
    (api?.config ?? []).map((variable) => [
      variable.name,
      { listedIn: variable.listedIn, unread: variable.unread, secret: variable.secret },
    ]),
  );
  expect(config).toEqual({
    // The template wins over the local .env; `export` lines count.
    PORT: { listedIn: { file: 'api/.env.example', line: 2 }, unread: undefined, secret: false },
    STRIPE_SECRET_KEY: {
      listedIn: { file: 'api/.env.example', line: 3 },
      unread: undefined,
      secret: true,
    },
    // The root file is shared: it explains names the service reads, nothing more.
    SHARED_TOKEN: { listedIn: { file: '.env', line: 1 }, unread: undefined, secret: true },
    UNLISTED: { listedIn: undefined, unread: undefined, secret: false },
    FEATURE_FLAGS: {
      listedIn: { file: 'api/.env.example', line: 4 },
      unread: true,
      secret: false,
    },
  });
  const serialised = JSON.stringify(map);
  for (const value of [
    'root-secret-value',
    'sk_live_do_not_copy',
    'sk_live_local_copy',
    'beta-flag-value',
  ]) {
    expect(serialised).not.toContain(value);
  }
});
