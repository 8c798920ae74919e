// Where CI finds the suite and installs the project, relative to the repository that holds both.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

export interface CiLocation {
  /** The suite's folder relative to the repository root, `a/b` or `.`. */
  suiteDir: string;
  /** Where `npm ci` runs, relative to the repository root. */
  installDir: string;
}

export type CiPlacement =
  | { ok: true; location: CiLocation }
  | { ok: false; repository: string; why: string };

/**
 * The repository is the project's nearest folder with `.git` (or the project itself). CI checks
 * out that repository, so a suite written outside it has no CI location.
 */
export function ciPlacement(projectRoot: string, outDir: string): CiPlacement {
  const project = resolve(projectRoot);
  const repository = ancestorWith(project, '.git') ?? project;
  if (!isInside(resolve(outDir), repository)) {
    return {
      ok: false,
      repository,
      why: `the suite is in \`${resolve(outDir)}\`, outside the project's repository (\`${repository}\`), so a CI job could not check out both`,
    };
  }
  const lockFolder =
    ancestorWith(project, 'package-lock.json') ?? ancestorWith(project, 'package.json') ?? project;
  const install = isInside(lockFolder, repository) ? lockFolder : project;
  return {
    ok: true,
    location: {
      suiteDir: posix(relative(repository, outDir)),
      installDir: posix(relative(repository, install)),
    },
  };
}

/** The INTEGRATION.md section written instead of the CI notes when there is no CI location. */
export function ciNotWritten(placement: { repository: string; why: string }): string {
  return `## Continuous integration

No CI configuration was written: ${placement.why}. Generate the suite into a folder inside \`${placement.repository}\` (e.g. \`--out ${join(placement.repository, 'integration-tests')}\`) to get a GitHub Actions workflow and a GitLab CI job.
`;
}

/** The nearest folder from `start` upwards that holds `entry`. */
export function ancestorWith(start: string, entry: string): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, entry))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

function isInside(path: string, folder: string): boolean {
  const fromFolder = relative(folder, path);
  return !fromFolder.startsWith('..') && !isAbsolute(fromFolder);
}

function posix(path: string): string {
  return path.split(sep).join('/') || '.';
}
