import { symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mapProject } from '../../src/map/map-project.js';
import { loadProject } from '../../src/project/load-project.js';
import { type TempProject, tempProject } from '../support/temp-project.js';

let project: TempProject;
let root: string;

beforeEach(async () => {
  project = await tempProject();
  root = project.root;
});
afterEach(() => project.remove());

const write = (file: string, content: string | Buffer) => project.write(file, content);

describe('loadProject', () => {
  it('refuses an empty folder, naming the fix', async () => {
    await expect(loadProject(root)).rejects.toThrow(/has no package\.json; pass the root folder/);
  });

  it('takes services side by side, each with its own package.json, as one system', async () => {
    await write('orders/package.json', JSON.stringify({ name: 'orders' }));
    await write('orders/src/app.js', 'module.exports = {};\n');
    await write('services/billing/package.json', JSON.stringify({ name: 'billing' }));
    await write('services/billing/index.js', 'module.exports = {};\n');
    const loaded = await loadProject(root);
    expect(loaded.name).toBe(path.basename(root));
    expect(loaded.packages.map((pkg) => pkg.dir).sort()).toEqual(['orders', 'services/billing']);
    expect(loaded.files.map((file) => file.path).sort()).toEqual([
      'orders/src/app.js',
      'services/billing/index.js',
    ]);
  });

  it('refuses a file where a folder is expected', async () => {
    await write('package.json', '{}');
    await expect(loadProject(path.join(root, 'package.json'))).rejects.toThrow(/is not a folder/);
  });

  it('gives each package of a monorepo its own files, deepest package first', async () => {
    await write('package.json', JSON.stringify({ name: 'mono', workspaces: ['services/*'] }));
    await write('services/api/package.json', JSON.stringify({ name: 'api', type: 'module' }));
    await write('services/api/src/server.ts', 'export const port = 1;\n');
    await write('services/worker/package.json', JSON.stringify({ name: 'worker' }));
    await write('services/worker/index.js', 'module.exports = {};\n');
    await write('tools/build.mjs', 'export {};\n');
    await write('services/api/test/server.test.ts', 'export {};\n');
    await write('services/api/src/orders.spec.ts', 'export {};\n');
    const project = await loadProject(root);
    const owners = Object.fromEntries(project.files.map((file) => [file.path, file.package.name]));
    expect(owners).toEqual({
      'services/api/src/server.ts': 'api',
      'services/worker/index.js': 'worker',
      'tools/build.mjs': 'mono',
    });
    const byPath = new Map(project.files.map((file) => [file.path, file]));
    expect(byPath.get('services/api/src/server.ts')).toMatchObject({
      language: 'typescript',
      moduleSystem: 'esm',
    });
    expect(byPath.get('services/worker/index.js')).toMatchObject({
      language: 'javascript',
      moduleSystem: 'commonjs',
    });
  });

  it('skips node_modules, binary files and huge generated files with a note, and survives a symlink loop', async () => {
    await write('package.json', JSON.stringify({ name: 'odd' }));
    await write('node_modules/dep/index.js', 'module.exports = 1;\n');
    await write('src/image.js', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]));
    await write('src/generated.js', `// generated\n${'export const x = 1;\n'.repeat(280_000)}`);
    await write('src/ok.js', 'export const ok = true;\n');
    await symlink(root, path.join(root, 'src', 'loop'));
    const project = await loadProject(root);
    expect(project.files.map((file) => file.path)).toEqual(['src/ok.js']);
    expect(project.notes.map((note) => [note.at.file, note.kind])).toEqual([
      ['src/generated.js', 'skipped-large-file'],
      ['src/image.js', 'skipped-binary-file'],
    ]);
  });

  it('keeps going past a syntax error and an invalid package.json, noting both', async () => {
    await write('package.json', JSON.stringify({ name: 'broken', dependencies: { express: '5' } }));
    await write('src/bad.ts', 'export function (\n');
    await write('pkg/package.json', '{ not json');
    await write('docker-compose.yml', 'services:\n  db: [unclosed\n');
    const { map } = await mapProject(root);
    expect(map.unrecognised.map((item) => [item.at.file, item.kind])).toEqual([
      ['docker-compose.yml', 'unreadable-compose-file'],
      ['pkg/package.json', 'unreadable-package-json'],
      ['src/bad.ts', 'syntax-error'],
    ]);
  });
});
