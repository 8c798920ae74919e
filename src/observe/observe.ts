// The observation run: the planned scenarios are emitted as a probe suite that records, at every
// check, what the real system did; the probe runs against the system booted with its real
// dependencies; the records become the generated suite's expectations.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { RunnerDialect } from '../emit/dialect.js';
import type { ScenarioObservation } from '../emit/scenario-code.js';
import { emitSuite } from '../emit/suite.js';
import { writeFiles } from '../emit/write-files.js';
import type { ScenarioPlan } from '../plan/model.js';
import { runVitest, type SuiteRun } from './run-suite.js';

export interface Observation {
  observations: Map<string, ScenarioObservation>;
  run: SuiteRun;
}

export async function observeSystem(
  plan: ScenarioPlan,
  dialect: RunnerDialect,
  probeDir: string,
  workers: number,
): Promise<Observation> {
  rmSync(probeDir, { recursive: true, force: true });
  const probe = emitSuite({
    plan,
    dialect,
    header: '// seamtest observation run; deleted when generation ends.',
    workers,
  });
  await writeFiles(probeDir, probe.files);
  const output = join(probeDir, 'observations.jsonl');
  const run = await runVitest(probeDir, { env: { SEAMTEST_OBSERVATIONS: output } });
  const observations = new Map<string, ScenarioObservation>();
  if (existsSync(output)) {
    for (const line of readFileSync(output, 'utf8').split('\n')) {
      if (!line) continue;
      const record = JSON.parse(line) as {
        scenario: string;
        check?: number;
        value?: unknown;
        scope?: Record<string, unknown>;
        tag?: string;
        idField?: { variable: string; field: string };
      };
      const observation = observations.get(record.scenario) ?? {
        checks: {},
        scopes: {},
        idFields: {},
        tag: '',
      };
      if (record.idField) observation.idFields[record.idField.variable] = record.idField.field;
      if (record.check !== undefined) {
        observation.checks[record.check] = record.value;
        observation.scopes[record.check] = record.scope ?? {};
        observation.tag = record.tag ?? '';
      }
      observations.set(record.scenario, observation);
    }
  }
  // A scenario whose probe test failed did not record all its checks: it is left out, with why.
  for (const file of plan.files) {
    for (const scenario of file.scenarios) {
      const result = run.results.find(
        (candidate) => candidate.title === scenario.title && candidate.file.includes(file.path),
      );
      if (result && !result.passed) {
        const observation = observations.get(scenario.id) ?? {
          checks: {},
          scopes: {},
          idFields: {},
          tag: '',
        };
        observation.error = firstLine(result.failure ?? 'the scenario failed while being observed');
        observations.set(scenario.id, observation);
      }
    }
  }
  return { observations, run };
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.slice(0, 300) ?? text;
}
