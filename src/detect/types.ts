// The shape every detector has: switched on by the packages a project depends on, it reads one
// parsed file at a time and reports small located facts. Linking facts into boundaries is the
// map stage's job, not a detector's.
import type ts from 'typescript';
import type { Location, Unrecognised } from '../map/model.js';
import type { SourceFile } from '../project/types.js';

export interface ParsedFile {
  source: SourceFile;
  ast: ts.SourceFile;
}

export interface EnvFact {
  kind: 'env';
  name: string;
  default?: string;
  at: Location;
}

/** Facts are added here, one union member per kind, as detectors arrive. */
export type Fact = EnvFact;

export interface DetectContext {
  report(fact: Fact): void;
  unrecognised(kind: string, message: string, node: ts.Node): void;
  locate(node: ts.Node): Location;
}

export interface Detector {
  name: string;
  /** Packages that switch it on; empty means it always runs. */
  enabledBy: readonly string[];
  detect(file: ParsedFile, ctx: DetectContext): void;
}

export interface DetectedFacts {
  facts: Fact[];
  unrecognised: Unrecognised[];
}
