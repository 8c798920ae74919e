import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mapProject } from '../../src/map/map-project.js';
import { type TempProject, tempProject } from '../support/temp-project.js';

let project: TempProject;

beforeEach(async () => {
  project = await tempProject({
    'package.json': JSON.stringify({ name: 'api', dependencies: { express: '5' } }),
    'src/app.js': `const express = require('express');
const app = express();
app.get('/quote', async (req, res) => {
  const rate = await fetch(process.env.RATES_URL + '/latest', { signal: AbortSignal.timeout(500) });
  await fetch(process.env.LEGACY_URL + '/audit', { method: 'POST' });
  await fetch(process.env.RATES_BACKUP_URL + '/latest');
  res.json(await rate.json());
});
app.listen(3000);
`,
  });
});
afterEach(() => project.remove());

describe('the components file', () => {
  it('merges, renames, ignores and adds components, read from a defineConfig module without running it', async () => {
    await project.write(
      'seamtest.config.ts',
      `import { defineConfig } from 'seamtest';
export default defineConfig({
  components: [
    { id: 'rates', name: 'Exchange rates provider', merge: ['rates-backup'] },
    { id: 'legacy', ignore: true },
    { id: 'search', kind: 'third-party', reachedBy: { env: 'SEARCH_URL' } },
  ],
});
`,
    );
    const { map } = await mapProject(project.root);
    expect(
      map.components.map((component) => [component.id, component.kind, component.name]),
    ).toEqual([
      ['api', 'service', 'api'],
      ['client', 'client', 'HTTP clients'],
      ['rates', 'third-party', 'Exchange rates provider'],
      ['search', 'third-party', 'search'],
    ]);
    expect(map.boundaries.map((boundary) => boundary.id)).toEqual(['api->rates', 'client->api']);
    const route = map.boundaries.find((boundary) => boundary.id === 'client->api')?.operations[0];
    expect(route && 'effects' in route ? route.effects : []).toEqual(['api->rates GET /latest']);
  });

  it('refuses an invalid components file with a message that names the fix', async () => {
    await project.write(
      'seamtest.config.json',
      JSON.stringify({ components: [{ id: 'x', kind: 'robot' }] }),
    );
    await expect(mapProject(project.root)).rejects.toThrow(
      /seamtest\.config\.json is not a valid components file \(components\.0\.kind: .*\); fix it or remove it/,
    );
  });
});
