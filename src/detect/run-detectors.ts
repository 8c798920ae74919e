// Runs the registered detectors over every source file of a project.
import type ts from 'typescript';
import type { Location, Unrecognised } from '../map/model.js';
import type { Project, ProjectPackage } from '../project/types.js';
import { parseSource } from './parse.js';
import { detectors as allDetectors } from './registry.js';
import type { DetectContext, DetectedFacts, Detector, Fact } from './types.js';

export function detectFacts(
  project: Project,
  detectors: readonly Detector[] = allDetectors,
): DetectedFacts {
  const facts: Fact[] = [];
  const unrecognised: Unrecognised[] = [...project.notes];
  for (const source of project.files) {
    const { parsed, syntaxError } = parseSource(source);
    if (syntaxError) {
      unrecognised.push({
        kind: 'syntax-error',
        message: `${syntaxError.message} (detectors ran on what the parser recovered)`,
        at: { file: source.path, line: syntaxError.line },
      });
    }
    const locate = (node: ts.Node): Location => locationOf(parsed.ast, node);
    const ctx: DetectContext = {
      report: (fact) => facts.push(fact),
      unrecognised: (kind, message, node) => unrecognised.push({ kind, message, at: locate(node) }),
      locate,
    };
    for (const detector of detectors) {
      if (isEnabled(detector, source.package)) detector.detect(parsed, ctx);
    }
  }
  return { facts, unrecognised };
}

function isEnabled(detector: Detector, pkg: ProjectPackage): boolean {
  return (
    detector.enabledBy.length === 0 || detector.enabledBy.some((name) => pkg.dependencies.has(name))
  );
}

function locationOf(ast: ts.SourceFile, node: ts.Node): Location {
  // Lines only: golden maps stay readable and survive reformatting within a line.
  const { line } = ast.getLineAndCharacterOfPosition(node.getStart(ast));
  return { file: ast.fileName, line: line + 1 };
}
