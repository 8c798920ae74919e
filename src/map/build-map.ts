// Turns detected facts into the integration map: components first, then the boundaries between
// them. Only facts are read here; the source was left behind by the detect stage.
import type { DetectedFacts, EnvFact } from '../detect/types.js';
import type { Project, ProjectPackage } from '../project/types.js';
import { type Component, type EnvVar, type IntegrationMap, MAP_VERSION } from './model.js';

/** A package that depends on one of these serves requests, so it is a service of the system. */
const SERVER_FRAMEWORKS = ['express', 'fastify', 'koa', 'hono', '@nestjs/core', 'ws', 'socket.io'];

export function buildMap(project: Project, detected: DetectedFacts): IntegrationMap {
  const components = project.packages
    .filter(isService)
    .map((pkg) => serviceComponent(project, pkg, detected))
    .sort((a, b) => a.id.localeCompare(b.id));
  return {
    version: MAP_VERSION,
    project: { name: project.name, root: '.' },
    components,
    boundaries: [],
    auth: [],
    unrecognised: detected.unrecognised,
  };
}

function isService(pkg: ProjectPackage): boolean {
  return SERVER_FRAMEWORKS.some((framework) => pkg.dependencies.has(framework));
}

function serviceComponent(
  project: Project,
  pkg: ProjectPackage,
  detected: DetectedFacts,
): Component {
  const files = project.files.filter((file) => file.package === pkg);
  const envFacts = detected.facts.filter(
    (fact): fact is EnvFact =>
      fact.kind === 'env' && files.some((file) => file.path === fact.at.file),
  );
  const language = files.some((file) => file.language === 'typescript')
    ? 'typescript'
    : 'javascript';
  return {
    id: componentId(pkg),
    kind: 'service',
    name: pkg.name,
    root: pkg.dir || '.',
    language,
    moduleSystem: pkg.manifest.type === 'module' ? 'esm' : 'commonjs',
    config: envVars(envFacts),
  };
}

function componentId(pkg: ProjectPackage): string {
  const base = pkg.dir ? (pkg.dir.split('/').at(-1) ?? pkg.dir) : pkg.name.replace(/^@[^/]+\//, '');
  return (
    base
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'service'
  );
}

const SECRET_NAME = /SECRET|PASSWORD|PASSWD|TOKEN|API_KEY|PRIVATE_KEY|CREDENTIALS/;

function envVars(facts: EnvFact[]): EnvVar[] {
  const byName = new Map<string, EnvVar>();
  for (const fact of facts) {
    const known = byName.get(fact.name);
    if (known) {
      if (known.default === undefined && fact.default !== undefined) {
        byName.set(fact.name, { ...known, default: fact.default, required: false });
      }
      continue;
    }
    byName.set(fact.name, {
      name: fact.name,
      ...(fact.default === undefined ? {} : { default: fact.default }),
      required: fact.default === undefined,
      secret: SECRET_NAME.test(fact.name),
      at: fact.at,
    });
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}
