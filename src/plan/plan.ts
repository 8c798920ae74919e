// `planScenarios`: integration map → scenario plan.
import type { IntegrationMap } from '../map/model.js';
import { FaultScenarios } from './fault-scenarios.js';
import { referenceFixtures, tableSchemas } from './fixtures.js';
import type { ScenarioPlan } from './model.js';
import { ScenarioPlanner } from './scenarios.js';
import { loadSqlSchemaParser } from './sql-schema.js';
import { systemSpec } from './system-spec.js';

export async function planScenarios(
  map: IntegrationMap,
  projectRoot: string,
  suiteDir: string,
): Promise<ScenarioPlan> {
  await loadSqlSchemaParser();
  const { spec, unplanned } = systemSpec(map, projectRoot, suiteDir);
  const fixtures = referenceFixtures(map, tableSchemas(map, projectRoot));
  const planner = new ScenarioPlanner(map, spec, fixtures);
  const planned = planner.plan(new FaultScenarios(planner));
  return {
    system: spec,
    fixtures,
    files: planned.files,
    coverage: planned.coverage,
    unplanned: [...unplanned, ...planned.unplanned],
  };
}
