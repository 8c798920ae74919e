// The support module every generated suite shares: the kit (copied from seamtest's runtime, so a
// suite never needs seamtest to run), the system's description, seed factories, worker stacks.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Fixture, PlanValue } from '../plan/model.js';
import type { SystemSpec } from '../runtime/system.js';
import { literal, valueCode } from './code.js';
import type { EmittedFile, RunnerDialect } from './dialect.js';

/** Runtime modules copied into `support/kit/`; `probe` only into the observation run. */
export const KIT_MODULES = [
  'amqp',
  'containers',
  'embedded-postgres',
  'eventually',
  'fault-control',
  'fault-proxy',
  'harness',
  'http',
  'http-doubles',
  'postgres',
  'processes',
  'redis',
  'stack',
  'system',
  'tokens',
  'topics',
] as const;

/** The kit's TypeScript sources ship with seamtest next to the compiled files. */
function kitSource(name: string): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const source = here
    .replace(/[\\/]dist[\\/]emit[\\/]?$/, '/src/emit/')
    .replace(/[\\/]emit[\\/]?$/, '/runtime/');
  return readFileSync(`${source}${name}.ts`, 'utf8');
}

export function kitFiles(header: string, withProbe: boolean): EmittedFile[] {
  const names: string[] = [...KIT_MODULES, ...(withProbe ? ['probe'] : [])];
  return names.map((name) => ({
    path: `support/kit/${name}.ts`,
    content: `${header}\n${kitSource(name)}`,
  }));
}

export function systemFile(header: string, spec: SystemSpec): EmittedFile {
  return {
    path: 'support/system.ts',
    content: `${header}
// How this suite starts the system and what each service's environment holds during a test.
import type { SystemSpec } from './kit/system.js';

export const system: SystemSpec = ${JSON.stringify(spec, null, 2)};
`,
  };
}

export function fixturesFile(header: string, fixtures: Fixture[]): EmittedFile {
  const factories = fixtures.map((fixture) => {
    const entries = Object.entries(fixture.row).map(
      ([column, value]) => `    ${column}: ${valueCode(value as PlanValue, () => 'undefined')},`,
    );
    return `/** A row of ${fixture.table} in ${fixture.dependency}, unique to the test that makes it. */
export function ${fixture.name}Row(system: SystemUnderTest, overrides: Partial<Record<string, unknown>> = {}) {
  return {
${entries.join('\n')}
    ...overrides,
  };
}`;
  });
  return {
    path: 'support/fixtures.ts',
    content: `${header}
// Seed data for what the system only reads. Every value that must be unique carries the test's
// tag, so tests running in parallel never collide. Extend the factories as the system grows.
import type { SystemUnderTest } from './kit/harness.js';

/** Forms of values the system makes up each time. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const TIMESTAMP = /^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?(Z|[+-]\\d\\d:?\\d\\d)$/;

${factories.join('\n\n')}
`,
  };
}

export function stackFiles(header: string, dialect: RunnerDialect, workers: number): EmittedFile[] {
  return [
    {
      path: 'support/stacks.ts',
      content: `${header}
// One copy of the system per test worker, started once for the whole run by the global setup.
// The setup writes where each copy listens to a state file that test files read.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dockerAnswers, type RunningContainer, startContainer } from './kit/containers.js';
import { bootStack, newRunId, newSecret, type RunningStack, type StackInfo } from './kit/stack.js';
import { system } from './system.js';

const suiteDir = fileURLToPath(new URL('..', import.meta.url));
const stateDir = fileURLToPath(new URL('../.seamtest-run/', import.meta.url));
const stateFile = \`\${stateDir}stacks.json\`;

export async function startSystems(): Promise<() => Promise<void>> {
  const workers = Number(process.env.SEAMTEST_WORKERS ?? ${workers});
  const runId = newRunId();
  const secrets: Record<string, string> = {};
  for (const service of system.services)
    for (const source of Object.values(service.env))
      if (source.kind === 'test-secret') secrets[source.name] ??= newSecret();
  const stacks: RunningStack[] = [];
  // Redis and brokers without a URL run in containers when Docker answers (PostgreSQL has the
  // embedded engine); one container serves every worker.
  const env = { ...process.env };
  const containers: RunningContainer[] = [];
  for (const dependency of system.dependencies) {
    if (dependency.technology === 'postgresql' || dependency.urlVariables.some((name) => env[name])) continue;
    if (!(await dockerAnswers(env))) continue;
    const container = await startContainer(dependency.technology);
    containers.push(container);
    env[dependency.urlVariables[0] as string] = container.url;
  }
  const stopAll = async () => {
    await Promise.all(stacks.map((stack) => stack.stop()));
    await Promise.all(containers.map((container) => container.stop()));
    rmSync(stateDir, { recursive: true, force: true });
  };
  try {
    for (let slot = 1; slot <= workers; slot++) {
      stacks.push(await bootStack(system, { suiteDir, slot, runId, secrets, env }));
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(stateFile, JSON.stringify(stacks.map((stack) => stack.info)));
  return stopAll;
}

/** The stack of the worker a test file runs in (${literal(dialect.name)} numbers workers from 1). */
export function stackForThisWorker(workerId: string | undefined): StackInfo {
  const stacks = JSON.parse(readFileSync(stateFile, 'utf8')) as StackInfo[];
  const slot = Number(workerId ?? 1);
  const stack = stacks[(slot - 1) % stacks.length];
  if (!stack) throw new Error(\`no running system for worker \${workerId}; is the global setup configured?\`);
  return stack;
}
`,
    },
    {
      path: 'support/global-setup.ts',
      content: `${header}
import { startSystems } from './stacks.js';

export default startSystems;
`,
    },
    { path: 'support/system-under-test.ts', content: `${header}\n${dialect.harnessHooks}` },
  ];
}
