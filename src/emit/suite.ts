// A whole suite's files from a scenario plan: one test file per boundary and per flow, the shared
// support module, the runner's configuration, INTEGRATION.md, findings and the manifest.
import type { Scenario, ScenarioPlan } from '../plan/model.js';
import type { EmittedFile, RunnerDialect } from './dialect.js';
import {
  type Finding,
  type Mode,
  type ScenarioObservation,
  scenarioBody,
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
  const testFiles = new Map<string, { title: string; tests: string[]; scenarios: Scenario[] }>();
  for (const file of plan.files) {
    for (const scenario of file.scenarios) {
      let mode: Mode = { kind: 'probe' };
      let target = file.path;
      if (options.observations) {
        const observation = options.observations.get(scenario.id);
        if (!observation || observation.error) {
          skipped.push({
            scenario: scenario.id,
            why: observation?.error ?? 'the observation run did not reach it',
          });
          continue;
        }
        const own: Finding[] = [];
        mode = { kind: 'final', observation, findings: own };
        const lines = scenarioBody(scenario, mode);
        if (own.length > 0) {
          findings.push(...own);
          target = `findings/${file.path.replace(/^[^/]+\//, '')}`;
        }
        addTest(testFiles, target, file.title, scenario, lines);
      } else {
        addTest(testFiles, target, file.title, scenario, scenarioBody(scenario, mode));
      }
      placed.set(scenario.id, `${target}.test.ts`);
    }
  }
  const files: EmittedFile[] = [];
  for (const [path, file] of testFiles) {
    const body = file.tests.join('\n\n');
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
  files: Map<string, { title: string; tests: string[]; scenarios: Scenario[] }>,
  path: string,
  title: string,
  scenario: Scenario,
  lines: string[],
): void {
  const file = files.get(path) ?? { title, tests: [], scenarios: [] };
  file.tests.push(
    `  it(${JSON.stringify(scenario.title)}, async () => {\n${lines.map((line) => `    ${line}`).join('\n')}\n  });`,
  );
  file.scenarios.push(scenario);
  files.set(path, file);
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
    const used = ['cacheEntry', 'idOf', 'observe', 'settledChanges', 'settledMessages'].filter(
      (name) => body.includes(`${name}(`),
    );
    imports.push(`import { ${used.join(', ')} } from '${up}support/kit/probe.js';`);
  }
  imports.push(`import { useSystem } from '${up}support/system-under-test.js';`);
  return imports;
}
