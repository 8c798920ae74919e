// Runs the registered detectors over every source file of a project: parse everything first so
// detectors can follow values and calls across files, then visit file by file.
import type { Unrecognised } from '../map/model.js';
import type { Project, ProjectPackage } from '../project/types.js';
import { HeaderSources } from './analysis/header-source.js';
import { locationOf } from './analysis/locate.js';
import { ProjectIndex } from './analysis/project-index.js';
import { StringEvaluator } from './analysis/strings.js';
import { ValueResolver } from './analysis/values.js';
import { parseSource } from './parse.js';
import { detectors as allDetectors } from './registry.js';
import type { DetectContext, DetectedFacts, Detector, Fact } from './types.js';

export interface Detection extends DetectedFacts {
  index: ProjectIndex;
  values: ValueResolver;
}

export function detectFacts(
  project: Project,
  detectors: readonly Detector[] = allDetectors,
): Detection {
  const unrecognised: Unrecognised[] = [...project.notes];
  const parsed = project.files.map((source) => {
    const result = parseSource(source);
    if (result.syntaxError) {
      unrecognised.push({
        kind: 'syntax-error',
        message: `${result.syntaxError.message} (detectors ran on what the parser recovered)`,
        at: { file: source.path, line: result.syntaxError.line },
      });
    }
    return result.parsed;
  });
  const index = new ProjectIndex(project, parsed);
  const values = new ValueResolver(index);
  const strings = new StringEvaluator(index, values);
  const headers = new HeaderSources(index, values, strings);
  const facts: Fact[] = [];
  for (const file of index.files) {
    const packageDir = file.source.package.dir;
    const ctx: DetectContext = {
      file,
      index,
      values,
      strings,
      headers,
      report: (fact) => facts.push({ ...fact, at: locationOf(fact.node), packageDir } as Fact),
      unrecognised: (kind, message, node) =>
        unrecognised.push({ kind, message, at: locationOf(node) }),
      locate: locationOf,
    };
    for (const detector of detectors) {
      if (!isEnabled(detector, file.source.package)) continue;
      try {
        detector.detect(ctx);
      } catch (error) {
        // A pattern a detector trips on costs that file's facts from that detector, not the run.
        unrecognised.push({
          kind: 'detector-error',
          message: `the ${detector.name} detector failed on this file (${(error as Error).message}); please report it`,
          at: { file: file.source.path, line: 1 },
        });
      }
    }
  }
  return { facts, unrecognised, index, values };
}

function isEnabled(detector: Detector, pkg: ProjectPackage): boolean {
  return (
    detector.enabledBy.length === 0 || detector.enabledBy.some((name) => pkg.dependencies.has(name))
  );
}
