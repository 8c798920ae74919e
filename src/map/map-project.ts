// `mapProject`: the library entry point of `seamtest map`.
// load project → detect facts → build the integration map.
import { loadSqlParser } from '../detect/analysis/sql.js';
import { linkFacts } from '../detect/link.js';
import { detectFacts } from '../detect/run-detectors.js';
import { loadProject } from '../project/load-project.js';
import { applyComponentRules } from './apply-config.js';
import { buildMap } from './build-map.js';
import type { IntegrationMap } from './model.js';

export interface MapResult {
  map: IntegrationMap;
}

export async function mapProject(dir: string): Promise<MapResult> {
  const project = await loadProject(dir);
  await loadSqlParser();
  const detection = detectFacts(project);
  const map = buildMap(project, linkFacts(detection), detection.unrecognised);
  return { map: applyComponentRules(map, project.config) };
}
