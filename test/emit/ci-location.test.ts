// Where CI finds a suite: inside the project's repository it gets folders relative to the root;
// outside it there is nothing CI could check out, and the notes say how to fix that.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ciNotWritten, ciPlacement } from '../../src/emit/ci-location.js';

const root = mkdtempSync(join(tmpdir(), 'seamtest-ci-location-'));
const repository = join(root, 'repo');
const project = join(repository, 'services', 'shop');
mkdirSync(join(repository, '.git'), { recursive: true });
mkdirSync(project, { recursive: true });
writeFileSync(join(repository, 'package-lock.json'), '{}');
writeFileSync(join(project, 'package.json'), '{}');

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('ciPlacement', () => {
  it('places a suite inside the repository relative to its root, installing at the lock file', () => {
    expect(ciPlacement(project, join(project, 'integration-tests'))).toEqual({
      ok: true,
      location: { suiteDir: 'services/shop/integration-tests', installDir: '.' },
    });
  });

  it('refuses a suite outside the repository and says where to generate instead', () => {
    const placement = ciPlacement(project, join(root, 'elsewhere', 'suite'));
    expect(placement.ok).toBe(false);
    if (placement.ok) return;
    expect(placement.repository).toBe(repository);
    const notes = ciNotWritten(placement);
    expect(notes).toContain('No CI configuration was written');
    expect(notes).toContain(join(repository, 'integration-tests'));
  });

  it('treats a project without .git as its own repository', () => {
    const loose = join(root, 'loose');
    mkdirSync(loose, { recursive: true });
    expect(ciPlacement(loose, join(loose, 'tests'))).toEqual({
      ok: true,
      location: { suiteDir: 'tests', installDir: '.' },
    });
  });
});
