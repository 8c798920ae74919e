// A whole suite's files from a scenario plan: one test file per boundary and per flow, the shared
// support module, the runner's configuration, INTEGRATION.md, findings and the manifest.
import type { Scenario, ScenarioPlan } from '../plan/model.js';
import type { EmittedFile, RunnerDialect } from './dialect.js';
import {
  type Finding,
  type Mode,
  type ScenarioCode,
  type ScenarioObservation,
  scenarioBody,
  unplayable,
} from './scenario-code.js';
import { fixturesFile, kitFiles, stackFiles, systemFile } from './support-files.js';

export interface SuiteOptions {
  plan: ScenarioPlan;
  dialect: RunnerDialect;
  header: string;
  workers: number;
  /** Absent for the observation run, which records instead of asserting. */
  observations?: Map<string, ScenarioObservation>;
}

export interface Suite {
  files: EmittedFile[];
  findings: Finding[];
  /** Scenario id → the file it went to. */
  placed: Map<string, string>;
  /** Scenarios left out, with why (e.g. the observation run could not play them). */
  skipped: { scenario: string; why: string }[];
}

export function emitSuite(options: SuiteOptions): Suite {
  const { plan, dialect, header } = options;
  const findings: Finding[] = [];
  const placed = new Map<string, string>();
  const skipped: Suite['skipped'] = [];
  const testFiles = new Map<string, TestFileDraft>();
  for (const file of plan.files) {
    for (const scenario of file.scenarios) {
      let mode: Mode = { kind: 'probe' };
      let target = file.path;
      if (options.observations) {
        const observation = options.observations.get(scenario.id);
        const why = !observation
          ? 'the observation run did not reach it'
          : (observation.error ?? unplayable(scenario, observation));
        if (!observation || why) {
          skipped.push({ scenario: scenario.id, why: why ?? '' });
          continue;
        }
        const own: Finding[] = [];
        mode = { kind: 'final', observation, findings: own };
        const code = scenarioBody(scenario, mode);
        if (own.length > 0) {
          findings.push(...own);
          target = `findings/${file.path.replace(/^[^/]+\//, '')}`;
        }
        addTest(testFiles, target, file.title, scenario, code);
      } else {
        addTest(testFiles, target, file.title, scenario, scenarioBody(scenario, mode));
      }
      placed.set(scenario.id, `${target}.test.ts`);
    }
  }
  const files: EmittedFile[] = [];
  for (const [path, file] of testFiles) {
    const body = renderTests(file).join('\n\n');
    files.push({
      path: `${path}.test.ts`,
      content: dialect.testFile(
        { path, title: file.title, scenarios: file.scenarios },
        header,
        importsFor(path, body, !options.observations),
        [body],
      ),
    });
  }
  files.push(
    ...kitFiles(header, !options.observations),
    systemFile(header, plan.system),
    fixturesFile(header, plan.fixtures),
    ...stackFiles(header, dialect, options.workers),
    ...dialect.configFiles({ workers: options.workers, findings: findings.length > 0 }),
  );
  return { files, findings, placed, skipped };
}

function addTest(
  files: Map<string, TestFileDraft>,
  path: string,
  title: string,
  scenario: Scenario,
  code: ScenarioCode,
): void {
  const file = files.get(path) ?? { title, tests: [], scenarios: [] };
  file.tests.push({ title: scenario.title, code });
  file.scenarios.push(scenario);
  files.set(path, file);
}

interface TestFileDraft {
  title: string;
  tests: { title: string; code: ScenarioCode }[];
  scenarios: Scenario[];
}

/**
 * The arranging several tests of a file share (seed, stub, create what they act on) becomes one
 * function named for what it makes, so each test reads as its act and its checks.
 */
function renderTests(file: TestFileDraft): string[] {
  const shared = new Map<string, { name: string; lines: string[]; declared: string[] }>();
  const counts = new Map<string, number>();
  for (const test of file.tests) {
    const key = test.code.arrange.join('\n');
    if (test.code.arrange.length > 0) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const helpers: string[] = [];
  for (const [key, count] of counts) {
    if (count < 2) continue;
    const lines = key.split('\n');
    const declared = lines.flatMap((line) => /^const (\w+) =/.exec(line)?.[1] ?? []);
    let name = helperName(lines);
    for (let n = 2; [...shared.values()].some((helper) => helper.name === name); n++)
      name = `${helperName(lines)}${n}`;
    shared.set(key, { name, lines, declared });
  }
  const tests = file.tests.map((test) => {
    const helper = shared.get(test.code.arrange.join('\n'));
    let arrange = test.code.arrange;
    if (helper) {
      const used = helper.declared.filter((variable) =>
        test.code.act.some((line) => new RegExp(`\\b${variable}\\b`).test(line)),
      );
      arrange = [
        used.length > 0
          ? `const { ${used.join(', ')} } = await ${helper.name}();`
          : `await ${helper.name}();`,
      ];
    }
    const lines = [...arrange, ...test.code.act];
    return `  it(${JSON.stringify(test.title)}, async () => {\n${lines.map((line) => `    ${line}`).join('\n')}\n  });`;
  });
  for (const helper of shared.values()) {
    helpers.push(`  /** What several tests below start from; changes and messages are counted from its end. */
  async function ${helper.name}() {
${helper.lines.map((line) => `    ${line}`).join('\n')}
    return { ${helper.declared.join(', ')} };
  }`);
  }
  return [...helpers, ...tests];
}

/** `created` from POST /orders → `createdOrder`; seeds alone → `seededStock`. */
function helperName(lines: string[]): string {
  const created = lines
    .map((line) => /system\.call\('[^']+', 'POST', '\/?([^'`]*)'/.exec(line)?.[1])
    .find(Boolean);
  if (created) {
    const resource = created.split('/').filter(Boolean).at(-1) ?? 'resource';
    const singular = resource.replace(/ies$/, 'y').replace(/s$/, '');
    return `created${singular.charAt(0).toUpperCase()}${singular.slice(1).replace(/[^A-Za-z0-9]+(.)/g, (_, letter: string) => letter.toUpperCase())}`;
  }
  const seeded = lines
    .map((line) => /^const (\w+) = await system\.seed/.exec(line)?.[1])
    .filter(Boolean);
  if (seeded.length > 0)
    return `seeded${seeded.map((name) => `${name?.charAt(0).toUpperCase()}${name?.slice(1)}`).join('And')}`;
  return 'arranged';
}

/** Imports a test file needs, found from what its code uses, so none is ever unused. */
function importsFor(path: string, body: string, probe: boolean): string[] {
  const up = '../'.repeat(path.split('/').length - 1);
  const imports: string[] = [];
  if (body.includes('randomUUID()')) imports.unshift("import { randomUUID } from 'node:crypto';");
  const fixtures = [
    ...new Set([...body.matchAll(/\b(\w+Row)\(system\)/g)].map((match) => match[1] as string)),
  ];
  const forms = ['UUID', 'TIMESTAMP'].filter((name) => body.includes(`(${name})`));
  const fromFixtures = [...fixtures, ...forms].sort();
  if (fromFixtures.length > 0)
    imports.push(`import { ${fromFixtures.join(', ')} } from '${up}support/fixtures.js';`);
  if (body.includes('eventually('))
    imports.push(`import { eventually } from '${up}support/kit/eventually.js';`);
  if (probe) {
    const used = [
      'cacheEntry',
      'idOf',
      'observe',
      'settledChanges',
      'settledMessages',
      'settledQueue',
    ].filter((name) => body.includes(`${name}(`));
    imports.push(`import { ${used.join(', ')} } from '${up}support/kit/probe.js';`);
  }
  imports.push(`import { useSystem } from '${up}support/system-under-test.js';`);
  return imports;
}
