// Code that refers to itself must not send value resolution round in circles (found on a large
// real monorepo, where it overflowed the stack): objects spreading themselves, each other, or
// a variable reassigned from its own spread. And should a detector still fail on some file, the
// run goes on and says so.
import { afterEach, expect, it } from 'vitest';
import { detectors } from '../../src/detect/registry.js';
import { detectFacts } from '../../src/detect/run-detectors.js';
import { mapProject } from '../../src/map/map-project.js';
import { loadProject } from '../../src/project/load-project.js';
import { type TempProject, tempProject } from '../support/temp-project.js';

let project: TempProject | undefined;
afterEach(async () => project?.remove());

it('maps code whose objects spread themselves or each other', async () => {
  project = await tempProject({
    'package.json': JSON.stringify({ name: 'cycles', dependencies: { express: '^4.21.0' } }),
    'src/app.js': [
      "const express = require('express');",
      'let state = { ready: false };',
      'state = { ...state, ready: true };',
      'const left = { ...right, a: 1 };',
      'const right = { ...left, b: 2 };',
      'const app = express();',
      "app.get('/state', (req, res) => res.json({ ready: state.ready, c: left.c, d: right.d }));",
      "app.get('/handler', left.handler ?? right.handler ?? ((req, res) => res.end()));",
      'app.listen(3000);',
      '',
    ].join('\n'),
  });
  const { map } = await mapProject(project.root);
  const routes = map.boundaries
    .flatMap((boundary) => boundary.operations)
    .flatMap((operation) => (operation.kind === 'http-route' ? [operation.path] : []));
  expect(routes.sort()).toEqual(['/handler', '/state']);
});

it('notes a detector that fails on a file and maps the rest', async () => {
  project = await tempProject({
    'package.json': JSON.stringify({ name: 'failing', dependencies: { express: '^4.21.0' } }),
    'src/app.js': "const app = require('express')();\napp.get('/a', (req, res) => res.end());\n",
  });
  const failing = {
    name: 'failing',
    enabledBy: [],
    detect() {
      throw new RangeError('Maximum call stack size exceeded');
    },
  };
  const detection = detectFacts(await loadProject(project.root), [...detectors, failing]);
  expect(detection.facts.some((fact) => fact.kind === 'route')).toBe(true);
  expect(detection.unrecognised).toContainEqual({
    kind: 'detector-error',
    message:
      'the failing detector failed on this file (Maximum call stack size exceeded); please report it',
    at: { file: 'src/app.js', line: 1 },
  });
});
