// `generateSuite`: the library entry point of `seamtest generate`.
// map → plan → observe (a probe suite played against the real system) → emit → verify.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { CiInput } from './emit/ci.js';
import { ciDependencies, renderCiNotes, renderGithubWorkflow, renderGitlabCi } from './emit/ci.js';
import { GITHUB_WORKFLOW_PATH, GITLAB_CI_PATH } from './emit/ci-input.js';
import { ancestorWith, type CiPlacement, ciNotWritten, ciPlacement } from './emit/ci-location.js';
import type { EmittedFile, RunnerDialect } from './emit/dialect.js';
import { findingsDocument, integrationDocument } from './emit/documents.js';
import { formatFiles } from './emit/format.js';
import { hash, MANIFEST, type WriteReport, writeOwnedFiles } from './emit/owned-files.js';
import type { Finding } from './emit/scenario-code.js';
import { emitSuite, type Suite } from './emit/suite.js';
import { vitest } from './emit/vitest.js';
import { SeamtestError } from './errors.js';
import { mapProject } from './map/map-project.js';
import type { IntegrationMap } from './map/model.js';
import { observeSystem } from './observe/observe.js';
import { preflight } from './observe/preflight.js';
import { runVitest } from './observe/run-suite.js';
import type { ScenarioPlan } from './plan/model.js';
import { planScenarios } from './plan/plan.js';
import { systemSpec } from './plan/system-spec.js';
import { VERSION } from './version.js';

export const FRAMEWORKS = ['vitest', 'jest', 'node:test'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

export interface GenerateOptions {
  framework?: string | undefined;
  out?: string | undefined;
  force?: boolean | undefined;
  /** Parallel workers (and copies of the system) the suite runs with. */
  workers?: number | undefined;
  progress?: ((line: string) => void) | undefined;
}

export interface GenerateResult {
  outDir: string;
  scenarios: number;
  tests: number;
  findings: Finding[];
  skipped: { scenario: string; why: string }[];
  files: WriteReport;
  verification: { passed: number; failed: number; durationMs: number };
  timings: { mapMs: number; observeMs: number; verifyMs: number; totalMs: number };
}

export function parseFramework(name: string | undefined): Framework {
  if (name === undefined) {
    throw new SeamtestError(
      'usage',
      `--framework is required; pass one of ${FRAMEWORKS.join(', ')}`,
    );
  }
  const framework = FRAMEWORKS.find((known) => known === name);
  if (!framework) {
    throw new SeamtestError(
      'unknown-framework',
      `unknown framework '${name}'; pass --framework with one of ${FRAMEWORKS.join(', ')}`,
    );
  }
  return framework;
}

function dialectFor(framework: Framework): RunnerDialect {
  if (framework === 'vitest') return vitest;
  throw new SeamtestError(
    'not-implemented',
    `--framework ${framework} is not available yet; use --framework vitest`,
  );
}

export function checkOutDir(out: string | undefined, projectRoot: string): string {
  if (out === undefined)
    throw new SeamtestError('usage', '--out is required; pass the folder to write the suite to');
  const outDir = resolve(out);
  if (outDir.split(sep).includes('node_modules')) {
    throw new SeamtestError(
      'bad-output-dir',
      `--out ${out} is inside node_modules, which installs overwrite; pick a folder of your own, e.g. --out integration-tests`,
    );
  }
  if (existsSync(outDir) && !statSync(outDir).isDirectory()) {
    throw new SeamtestError('bad-output-dir', `--out ${out} is a file; pass a folder`);
  }
  if (outDir === resolve(projectRoot)) {
    throw new SeamtestError(
      'bad-output-dir',
      `--out ${out} is the project itself; pass a folder inside it, e.g. --out ${out}/integration-tests`,
    );
  }
  return outDir;
}

export async function generateSuite(
  dir: string,
  options: GenerateOptions,
): Promise<GenerateResult> {
  const started = performance.now();
  const progress = options.progress ?? (() => undefined);
  const dialect = dialectFor(parseFramework(options.framework));
  const outDir = checkOutDir(options.out, dir);
  const workers = options.workers ?? 2;
  const projectRoot = resolve(dir);

  progress(`mapping ${dir}`);
  const { map } = await mapProject(dir);
  const mapMs = performance.now() - started;
  const plan = await planScenarios(map, projectRoot, outDir);
  const scenarios = plan.files.reduce((sum, file) => sum + file.scenarios.length, 0);
  progress(
    `planned ${scenarios} scenarios in ${plan.files.length} files for ${map.boundaries.length} boundaries`,
  );
  if (plan.system.services.length === 0) {
    const reasons = [
      ...plan.unplanned.map((entry) => `${entry.what}: ${entry.why}`),
      ...map.unrecognised
        .filter((note) => note.kind === 'syntax-error' || note.kind.startsWith('unreadable'))
        .map((note) => `${note.at.file}:${note.at.line} ${note.kind}`),
    ];
    throw new SeamtestError(
      'unreadable-project',
      `found no service it can start in ${dir}: give each service a package.json "start" script${reasons.length > 0 ? ` (${reasons.slice(0, 3).join('; ')})` : ''}`,
    );
  }
  await preflight(plan.system);
  // From here on files are written: a run that fails leaves no half-written suite behind.
  const existed = existsSync(outDir);
  try {
    return await observeAndWrite();
  } catch (error) {
    if (!existed) await rm(outDir, { recursive: true, force: true });
    throw error;
  }

  async function observeAndWrite(): Promise<GenerateResult> {
    await installSuiteDependencies(outDir, map, dialect, workers, progress);

    const probeDir = resolve(outDir, '.seamtest-probe');
    // The same plan; only the services' folders are relative to the probe's folder.
    const probePlan: ScenarioPlan = {
      ...plan,
      system: systemSpec(map, projectRoot, probeDir).spec,
    };
    progress(`observing the running system (${workers} copies, real dependencies)`);
    const observeStarted = performance.now();
    const observed = await observeSystem(probePlan, dialect, probeDir, workers);
    if (observed.run.results.length === 0) {
      if (!process.env.SEAMTEST_KEEP_PROBE) await rm(probeDir, { recursive: true, force: true });
      throw new SeamtestError(
        'dependency-down',
        `the system could not be started for observation: ${firstError(observed.run.output)}`,
      );
    }
    const observeMs = performance.now() - observeStarted;

    const regenerate = `seamtest generate ${relativeOrAbsolute(dir)} --framework ${dialect.name} --out ${relativeOrAbsolute(outDir)}`;
    const header = `// Generated by seamtest ${VERSION} from ${map.project.name}: ${regenerate}\n// Yours to edit: a rerun leaves edited files alone unless --force.`;
    let suite = emitSuite({ plan, dialect, header, workers, observations: observed.observations });
    let files = suiteFiles(map, plan, dialect, suite, regenerate, workers, projectRoot, outDir);
    let report = await writeOwnedFiles(outDir, files, options.force ?? false);

    progress(`verifying: running the generated suite`);
    const verifyStarted = performance.now();
    const verification = await runVitest(outDir);
    const failed = verification.results.filter((result) => !result.passed);
    if (failed.length > 0) {
      // Hand over only what passes: a test that fails on a correct run is left out, with why.
      const dropped = new Map<string, string>();
      for (const file of plan.files)
        for (const scenario of file.scenarios) {
          const failure = failed.find((result) => result.title === scenario.title);
          if (failure)
            dropped.set(
              scenario.id,
              `failed when verified: ${(failure.failure ?? '').split('\n')[0]}`,
            );
        }
      const observations = new Map(observed.observations);
      for (const [id, why] of dropped)
        observations.set(id, {
          ...(observations.get(id) ?? { checks: {}, scopes: {}, idFields: {}, tag: '' }),
          error: why,
        });
      suite = emitSuite({ plan, dialect, header, workers, observations });
      files = suiteFiles(map, plan, dialect, suite, regenerate, workers, projectRoot, outDir);
      report = mergeReports(report, await writeOwnedFiles(outDir, files, options.force ?? false));
    }
    if (!process.env.SEAMTEST_KEEP_PROBE) await rm(probeDir, { recursive: true, force: true });
    const verifyMs = performance.now() - verifyStarted;
    return {
      outDir,
      scenarios,
      tests: suite.placed.size,
      findings: suite.findings,
      skipped: suite.skipped,
      files: report,
      verification: {
        passed: verification.results.filter((result) => result.passed).length,
        failed: failed.length,
        durationMs: verification.durationMs,
      },
      timings: { mapMs, observeMs, verifyMs, totalMs: performance.now() - started },
    };
  }
}

/**
 * The suite runs with its own dependencies: when they do not resolve from its folder (a suite
 * outside the project's node_modules tree), its package.json is written and installed first.
 */
async function installSuiteDependencies(
  outDir: string,
  map: IntegrationMap,
  dialect: RunnerDialect,
  workers: number,
  progress: (line: string) => void,
): Promise<void> {
  const packageJson = suitePackage(map, dialect, workers);
  // Looked up the way Node does, folder by folder: some packages do not export package.json.
  const installed = (name: string) =>
    ancestorWith(outDir, join('node_modules', name, 'package.json')) !== undefined;
  const missing = Object.keys(packageJson.devDependencies).filter(
    (name) => !name.startsWith('@types/') && name !== 'typescript' && !installed(name),
  );
  if (missing.length === 0) return;
  progress(`installing the suite's dependencies in ${outDir} (${missing.join(', ')})`);
  await mkdir(outDir, { recursive: true });
  if (!existsSync(join(outDir, 'package.json')))
    await writeFile(
      join(outDir, 'package.json'),
      formatFiles([
        { path: 'package.json', content: `${JSON.stringify(packageJson, null, 2)}\n` },
      ])[0]?.content ?? '',
    );
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund'], {
    cwd: outDir,
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new SeamtestError(
      'dependency-down',
      `installing the suite's dependencies failed (npm install in ${outDir}): ${(result.stderr || result.stdout).trim().split('\n').at(-1)}`,
    );
  }
}

/** Two write passes as one: a file written by either was written. */
function mergeReports(first: WriteReport, second: WriteReport): WriteReport {
  const written = new Set([...first.written, ...second.written]);
  return {
    written: [...written],
    unchanged: second.unchanged.filter((path) => !written.has(path)),
    kept: second.kept,
    removed: [...new Set([...first.removed, ...second.removed])],
  };
}

function suiteFiles(
  map: IntegrationMap,
  plan: ScenarioPlan,
  dialect: RunnerDialect,
  suite: Suite,
  regenerate: string,
  workers: number,
  projectRoot: string,
  outDir: string,
): EmittedFile[] {
  const ci = ciOutputs(map, dialect, ciPlacement(projectRoot, outDir), suite.placed.size);
  const files: EmittedFile[] = [
    ...suite.files,
    {
      path: 'INTEGRATION.md',
      content: integrationDocument({
        map,
        plan,
        dialect,
        placed: suite.placed,
        findings: suite.findings,
        skipped: suite.skipped,
        regenerate,
        ciNotes: ci.notes,
      }),
    },
    ...ci.files,
    { path: 'findings.md', content: findingsDocument(suite.findings, suite.placed) },
    {
      path: 'package.json',
      content: `${JSON.stringify(suitePackage(map, dialect, workers), null, 2)}\n`,
    },
    { path: 'tsconfig.json', content: `${JSON.stringify(TSCONFIG, null, 2)}\n` },
    { path: '.gitignore', content: '.seamtest-run/\n.seamtest-probe/\n' },
  ];
  const formatted = formatFiles(files);
  files.splice(0, files.length, ...formatted);
  const manifest = {
    generator: `seamtest ${VERSION}`,
    framework: dialect.name,
    project: map.project.name,
    scenarios: plan.files.flatMap((file) =>
      file.scenarios.map((scenario) => ({
        id: scenario.id,
        title: scenario.title,
        categories: scenario.categories,
        boundaries: scenario.boundaries,
        file: suite.placed.get(scenario.id) ?? null,
        finding: suite.findings.some((finding) => finding.scenario === scenario.id),
      })),
    ),
    coverage: plan.coverage,
    skipped: suite.skipped,
    unplanned: plan.unplanned,
    files: Object.fromEntries(files.map((file) => [file.path, hash(file.content)])),
  };
  const [formattedManifest] = formatFiles([
    { path: MANIFEST, content: `${JSON.stringify(manifest, null, 2)}\n` },
  ]);
  if (formattedManifest) files.push(formattedManifest);
  return files;
}

/** The CI files and the INTEGRATION.md notes on them; only notes when CI could not check the suite out. */
function ciOutputs(
  map: IntegrationMap,
  dialect: RunnerDialect,
  placement: CiPlacement,
  tests: number,
): { notes: string; files: EmittedFile[] } {
  if (!placement.ok) return { notes: ciNotWritten(placement), files: [] };
  const ci: CiInput = {
    ...placement.location,
    nodeVersion: '22',
    dependencies: ciDependencies(map),
    // A shard holds about 200 tests: beyond that, CI time matters more than runner count.
    shards: Math.max(1, Math.ceil(tests / 200)),
    testCommand: dialect.runCommand,
  };
  return {
    notes: renderCiNotes(ci),
    files: [
      { path: GITHUB_WORKFLOW_PATH, content: renderGithubWorkflow(ci) },
      { path: GITLAB_CI_PATH, content: renderGitlabCi(ci) },
    ],
  };
}

function suitePackage(map: IntegrationMap, dialect: RunnerDialect, workers: number) {
  const technologies = new Set(map.components.map((component) => component.technology));
  return {
    name: `${map.project.name.replace(/^@/, '').replace(/\//g, '-')}-integration-tests`,
    private: true,
    type: 'module',
    description: `Integration tests of ${map.project.name}, generated by seamtest.`,
    scripts: {
      test: dialect.runCommand.replace(/^npx /, ''),
      'test:findings': dialect.findingsCommand.replace(/^npx /, ''),
    },
    devDependencies: {
      ...dialect.devDependencies,
      // The embedded PostgreSQL of a worker with no server URL (support/kit/embedded-postgres.ts),
      // the version seamtest pins; test/generate/embedded-postgres.test.ts checks they agree.
      '@electric-sql/pglite': '0.5.16',
      '@types/node': '^20.0.0',
      '@types/jsonwebtoken': '^9.0.0',
      '@types/pg': '^8.0.0',
      amqplib: '^0.10.0 || ^2.0.0',
      ioredis: '^5.0.0 || ^6.0.0',
      jsonwebtoken: '^9.0.0',
      pg: '^8.0.0',
      typescript: '>=5.4',
    },
    seamtest: { workers, technologies: [...technologies].filter(Boolean).sort() },
  };
}

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
  },
  include: ['**/*.ts'],
  exclude: ['.seamtest-probe', 'node_modules'],
};

function relativeOrAbsolute(path: string): string {
  const relativePath = relative(process.cwd(), resolve(path));
  return relativePath && !relativePath.startsWith('..') ? relativePath : resolve(path);
}

/** The first error the runner printed, without colours or stack frames. */
function firstError(output: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes
  const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
  const lines = plain.split('\n').map((line) => line.trim());
  const first = lines.findIndex((line) => /^(\w*Error|SetupError):/.test(line));
  if (first < 0) return lines.filter(Boolean).slice(-3).join(' ').slice(0, 500);
  const cut = lines.findIndex((line, index) => index > first && /^(❯|\d+\|)/.test(line));
  if (cut > first) return lines.slice(first, cut).filter(Boolean).join(' ').slice(0, 500);
  // The message and what the service printed, without stack frames or the runner's code frame.
  const message = lines
    .slice(first, first + 6)
    .filter((line) => line && !/^(at |❯|\d+\|)/.test(line));
  return message.join(' ').slice(0, 500);
}
