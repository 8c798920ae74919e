// The "Continuous integration" section of a suite's INTEGRATION.md: how CI runs the suite, the
// variables it reads, how the containers are started and checked, and how sharding splits it.

import { containerSetup, dockerRunCommand, hostPort, shellWord, urlAt } from './ci-containers.js';
import { type CiDependency, labelOf, TECHNOLOGY } from './ci-dependencies.js';
import {
  type CiInput,
  GITHUB_WORKFLOW_PATH,
  GITLAB_CI_PATH,
  JOB_TIMEOUT_MINUTES,
  normaliseCiInput,
} from './ci-input.js';

export function renderCiNotes(input: CiInput): string {
  const ci = normaliseCiInput(input);
  const sections = [
    '## Continuous integration',
    [
      '`seamtest generate` wrote the CI configuration of this suite:',
      '',
      `- \`${GITHUB_WORKFLOW_PATH}\`: a GitHub Actions workflow, run on pushes to main or master, on pull requests and by hand; copy it to \`.github/workflows/\` at the repository root (seamtest writes only inside the suite);`,
      `- \`${GITLAB_CI_PATH}\`: a GitLab CI job, \`integration-tests\` in stage \`test\`, to use as the repository's \`.gitlab-ci.yml\` or to \`include:\` from yours.`,
    ].join('\n'),
    `Each run installs with \`npm ci\` in ${ci.installDir === '.' ? 'the repository root' : `\`${ci.installDir}\``}, then runs \`${ci.testCommand}\` in \`${ci.suiteDir}\` on Node ${ci.nodeVersion}, and stops after ${JOB_TIMEOUT_MINUTES} minutes. Both files start with a comment saying how to regenerate them; regenerate rather than edit them.`,
    ...dependencySections(ci),
    ...localSection(ci),
    dockerSection(ci),
    shardingSection(ci),
  ];
  return `${sections.join('\n\n')}\n`;
}

function dependencySections(ci: CiInput): string[] {
  if (ci.dependencies.length === 0) {
    return [
      '### Dependencies',
      'The suite needs no database, cache or broker, so CI starts no container for it.',
    ];
  }
  const rows = ci.dependencies.flatMap((dependency) =>
    dependency.variables.map((variable, index) => {
      const component = dependency.components[index] ?? dependency.components.join(', ');
      const gitlab = urlAt(dependency, dependency.service, gitlabPort(dependency));
      return `| \`${variable}\` | \`${component}\` | \`${dependency.service}\` (${labelOf(dependency)}, \`${dependency.image}\`) | \`${dependency.url}\` | \`${gitlab}\` |`;
    }),
  );
  const shared = ci.dependencies
    .filter((dependency) => dependency.variables.length > 1)
    .map(
      (dependency) =>
        `- ${list(dependency.variables.map(code))} name one server and database, \`${dependency.service}\`, as ${list(dependency.components.map(code))} share one container; each keeps its own variable so the suite can tell them apart.`,
    );
  const services = ci.dependencies.filter((dependency) => !dockerRunReason(dependency));
  const started = ci.dependencies.filter((dependency) => dockerRunReason(dependency));
  const github = [
    services.length > 0
      ? `On GitHub Actions, ${list(services.map((dependency) => code(dependency.service)))} ${services.length === 1 ? 'is a service container' : 'are service containers'}: the runner starts ${services.length === 1 ? 'it' : 'them'} before the first step and waits until ${services.length === 1 ? 'its health check passes' : 'their health checks pass'}.`
      : '',
    started.length > 0
      ? [
          `${services.length > 0 ? '' : 'On GitHub Actions, '}${list(started.map((dependency) => code(dependency.service)))} ${started.length === 1 ? 'is' : 'are'} started with \`docker run\` in the job's first steps and waited on after \`npm ci\` (60 tries, two seconds apart, printing the container's logs if it never gets ready):`,
          '',
          ...started.map(
            (dependency) => `- \`${dependency.service}\`: ${dockerRunReason(dependency)}.`,
          ),
        ].join('\n')
      : '',
  ].filter(Boolean);
  return [
    '### Dependencies',
    'CI starts one container for each server below and gives the suite its address in one variable per component:',
    [
      '| Variable | Component | CI service | URL on GitHub Actions | URL on GitLab CI |',
      '| --- | --- | --- | --- | --- |',
      ...rows,
    ].join('\n'),
    ...(shared.length > 0 ? [shared.join('\n')] : []),
    ...github,
    'On GitLab CI each is a `services:` entry whose alias is the host name in its URL; before the tests start, the job waits for each to take connections (60 tries, two seconds apart).',
    'The user names and passwords in these URLs are fixed test-only values: none is copied from the project, and each server lives only as long as its job.',
  ];
}

function localSection(ci: CiInput): string[] {
  if (ci.dependencies.length === 0) return [];
  const exports = ci.dependencies.flatMap((dependency) =>
    dependency.variables.map((variable) => `export ${variable}=${shellWord(dependency.url)}`),
  );
  const run = `${ci.suiteDir === '.' ? '' : `cd ${shellWord(ci.suiteDir)} && `}${ci.testCommand}`;
  return [
    '### Running it as CI does',
    'Start the same containers, set the same variables and run the suite from the repository root:',
    [
      '```sh',
      ...ci.dependencies.map(dockerRunCommand),
      ...exports.sort(),
      run,
      `docker rm -f ${ci.dependencies.map((dependency) => dependency.service).join(' ')}`,
      '```',
    ].join('\n'),
    'Wait until each container is ready before running the tests (`docker logs <name>` shows it); stop anything else already on these ports first.',
  ];
}

function dockerSection(ci: CiInput): string {
  return [
    '### Docker and testcontainers',
    [
      'In CI the suite reaches its dependencies only through the variables above; it needs no Docker access of its own.',
      'If you change it to start containers itself (testcontainers, or `docker compose`), GitHub-hosted Ubuntu runners already have Docker, and the `services:` become unnecessary.',
      'GitLab needs a `docker:dind` service on a runner that allows privileged containers, with `DOCKER_HOST: tcp://docker:2375`, `DOCKER_TLS_CERTDIR: ""` and, for testcontainers, `TESTCONTAINERS_HOST_OVERRIDE: docker`.',
    ].join(' '),
    ci.dependencies.length > 0
      ? "On GitLab's Kubernetes executor, services share the job's pod: their aliases still resolve, but two servers of one technology would need different ports."
      : '',
  ]
    .filter(Boolean)
    .join('\n\n');
}

function shardingSection(ci: CiInput): string {
  if (ci.shards === 1) {
    return [
      '### Sharding',
      'The suite runs as one job. Generated with more than one shard, the GitHub workflow runs a matrix of jobs and the GitLab job runs with `parallel:`, each with `--shard=i/n` (Vitest and Jest split by test file; `node --test` takes `--test-shard`).',
    ].join('\n\n');
  }
  return [
    '### Sharding',
    `The suite is split by test file into ${ci.shards} shards, each a job of its own with its own containers, so shards share no state: GitHub runs a matrix (\`shard: [1..${ci.shards}]\`, \`fail-fast: false\` so one failing shard does not cancel the others) and GitLab runs the job with \`parallel: ${ci.shards}\`, passing \`$CI_NODE_INDEX/$CI_NODE_TOTAL\`. A shard runs \`${ci.testCommand}\` with \`--shard=i/${ci.shards}\`; the run passes when every shard does.`,
  ].join('\n\n');
}

function gitlabPort(dependency: CiDependency): number {
  return TECHNOLOGY[dependency.technology].port;
}

function dockerRunReason(dependency: CiDependency): string | undefined {
  const setup = containerSetup(dependency, { host: 'localhost', port: hostPort(dependency) });
  return setup.health && !setup.dockerRun ? undefined : (setup.dockerRun ?? 'no health command');
}

function code(text: string): string {
  return `\`${text}\``;
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
