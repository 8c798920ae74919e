// The CI configuration of a generated suite: a GitHub Actions workflow, a GitLab CI job and the
// notes on both for INTEGRATION.md. Pure functions of their input: the same input gives the same
// text, and no value is read from the project's own configuration (passwords are test-only).

import {
  containerSetup,
  dockerRunCommand,
  hostPort,
  shellWord,
  urlAt,
  waitScript,
} from './ci-containers.js';
import { type CiDependency, labelOf, TECHNOLOGY } from './ci-dependencies.js';
import {
  type CiInput,
  ciHeader,
  GITHUB_WORKFLOW_PATH,
  GITLAB_CI_PATH,
  JOB_TIMEOUT_MINUTES,
  normaliseCiInput,
  shardedCommand,
} from './ci-input.js';
import { Flow, Folded, toYaml, type YamlMap } from './yaml.js';

export {
  type CiDependency,
  ciDependencies,
  type DependencyTechnology,
} from './ci-dependencies.js';
export {
  type CiInput,
  GITHUB_WORKFLOW_PATH,
  GITLAB_CI_PATH,
  normaliseCiInput,
  shardedCommand,
} from './ci-input.js';
export { renderCiNotes } from './ci-notes.js';

/** Each component's variable with its URL, sorted by variable. */
function variables(
  dependencies: readonly CiDependency[],
  url: (dependency: CiDependency) => string,
): Record<string, string> {
  const pairs = dependencies.flatMap((dependency) =>
    dependency.variables.map((name) => [name, url(dependency)] as const),
  );
  return Object.fromEntries(pairs.sort(([a], [b]) => a.localeCompare(b)));
}

function servesOthers(dependency: CiDependency): boolean {
  return dependency.components.join() !== dependency.service;
}

/** A GitHub Actions expression, `${{ … }}`. */
function expression(text: string): string {
  return `\${{ ${text} }}`;
}

export function renderGithubWorkflow(input: CiInput): string {
  const ci = normaliseCiInput(input);
  const services: Record<string, YamlMap> = {};
  const starts: YamlMap[] = [];
  const waits: YamlMap[] = [];
  for (const dependency of ci.dependencies) {
    const port = hostPort(dependency);
    const setup = containerSetup(dependency, { host: 'localhost', port });
    const label = labelOf(dependency);
    const serves = servesOthers(dependency) ? ` for ${dependency.components.join(', ')}` : '';
    if (setup.health && setup.dockerRun === undefined) {
      const env = Object.keys(setup.env).length > 0 ? { ...setup.env } : undefined;
      services[dependency.service] = {
        '#': serves ? `${label}${serves}` : undefined,
        image: dependency.image,
        env,
        ports: [`${port}:${setup.port}`],
        // The runner hands these to `docker create`: double quotes group a command's words.
        options: new Folded([
          `--health-cmd "${setup.health.command}"`,
          `--health-interval ${setup.health.interval}`,
          '--health-timeout 5s',
          `--health-retries ${setup.health.retries}`,
        ]),
      };
    } else {
      starts.push({
        name: `Start ${dependency.service} (${label}${serves})`,
        '#': `Not a service container: ${setup.dockerRun ?? 'it has no health command'}.`,
        run: dockerRunCommand(dependency),
      });
      waits.push({
        name: `Wait for ${dependency.service}`,
        run: waitScript(dependency, setup.ready ?? `bash -c '</dev/tcp/127.0.0.1/${port}'`),
      });
    }
  }
  const sharded = ci.shards > 1;
  const shard = `${expression('matrix.shard')}/${ci.shards}`;
  const job: YamlMap = {
    name: sharded ? `Integration tests (shard ${shard})` : 'Integration tests',
    'runs-on': 'ubuntu-latest',
    'timeout-minutes': JOB_TIMEOUT_MINUTES,
    strategy: sharded
      ? {
          'fail-fast': false,
          matrix: { shard: new Flow(Array.from({ length: ci.shards }, (_, i) => i + 1)) },
        }
      : undefined,
    services: Object.keys(services).length > 0 ? services : undefined,
    steps: [
      ...starts,
      { uses: 'actions/checkout@v4' },
      {
        uses: 'actions/setup-node@v4',
        with: {
          'node-version': ci.nodeVersion,
          cache: 'npm',
          'cache-dependency-path':
            ci.installDir === '.' ? undefined : `${ci.installDir}/package-lock.json`,
        },
      },
      {
        name: 'Install dependencies',
        'working-directory': ci.installDir === '.' ? undefined : ci.installDir,
        run: 'npm ci',
      },
      ...waits,
      {
        name: 'Run the integration tests',
        'working-directory': ci.suiteDir === '.' ? undefined : ci.suiteDir,
        env: variables(ci.dependencies, (dependency) => dependency.url),
        run: sharded ? shardedCommand(ci.testCommand, shard) : ci.testCommand,
      },
    ],
  };
  return toYaml(
    {
      name: 'Integration tests',
      on: {
        push: { branches: new Flow(['main', 'master']) },
        pull_request: null,
        workflow_dispatch: null,
      },
      permissions: { contents: 'read' },
      concurrency: {
        group: `integration-tests-${expression('github.ref')}`,
        'cancel-in-progress': expression("github.event_name == 'pull_request'"),
      },
      jobs: { 'integration-tests': job },
    },
    ciHeader(ci, GITHUB_WORKFLOW_PATH),
  );
}

/** GitLab's `node:` image tag for a setup-node style version ('lts/*' → 'lts'). */
export function nodeImageTag(version: string): string {
  return version
    .replace(/^v(?=\d)/, '')
    .replace(/^lts\/\*$/, 'lts')
    .replace(/^lts\//, '')
    .replace(/(?:\.x)+$/, '');
}

export function renderGitlabCi(input: CiInput): string {
  const ci = normaliseCiInput(input);
  const reached = (dependency: CiDependency) => {
    const port = TECHNOLOGY[dependency.technology].port;
    return { host: dependency.service, port };
  };
  const services = ci.dependencies.map((dependency): YamlMap => {
    const setup = containerSetup(dependency, reached(dependency));
    return {
      name: dependency.image,
      alias: dependency.service,
      command: setup.args.length > 0 ? new Flow(setup.args) : undefined,
      variables: Object.keys(setup.env).length > 0 ? { ...setup.env } : undefined,
    };
  });
  const targets = ci.dependencies.map((dependency) => {
    const { host, port } = reached(dependency);
    return `${host}:${containerSetup(dependency, { host, port }).port}`;
  });
  const wait = [
    '# Wait for each service to take connections: 60 tries, two seconds apart.',
    `for target in ${targets.join(' ')}; do`,
    '  for attempt in $(seq 1 60); do',
    `    if timeout 2 bash -c "</dev/tcp/\${target%:*}/\${target#*:}" 2>/dev/null; then break; fi`,
    '    if [ "$attempt" = 60 ]; then echo "$target is not taking connections" >&2; exit 1; fi',
    '    sleep 2',
    '  done',
    'done',
  ].join('\n');
  const install = 'npm ci --prefer-offline';
  const lockFile =
    ci.installDir === '.' ? 'package-lock.json' : `${ci.installDir}/package-lock.json`;
  const job: YamlMap = {
    stage: 'test',
    image: `node:${nodeImageTag(ci.nodeVersion)}`,
    timeout: `${JOB_TIMEOUT_MINUTES} minutes`,
    parallel: ci.shards > 1 ? ci.shards : undefined,
    services: services.length > 0 ? services : undefined,
    variables: {
      npm_config_cache: '$CI_PROJECT_DIR/.npm',
      ...variables(ci.dependencies, (dependency) => {
        const { host, port } = reached(dependency);
        return urlAt(dependency, host, containerSetup(dependency, { host, port }).port);
      }),
    },
    cache: { key: { files: [lockFile] }, paths: ['.npm/'] },
    before_script: [
      ci.installDir === '.' ? install : `(cd ${shellWord(ci.installDir)} && ${install})`,
      ...(targets.length > 0 ? [wait] : []),
    ],
    script: [
      ...(ci.suiteDir === '.' ? [] : [`cd ${shellWord(ci.suiteDir)}`]),
      ci.shards > 1
        ? shardedCommand(ci.testCommand, '$CI_NODE_INDEX/$CI_NODE_TOTAL')
        : ci.testCommand,
    ],
  };
  return toYaml({ 'integration-tests': job }, [
    ...ciHeader(ci, GITLAB_CI_PATH),
    'A job to include: use this file as .gitlab-ci.yml, or add it to yours with',
    '  include:',
    '    - local: <path of this file>',
  ]);
}
