// What loading a project yields: its packages, its source files and what could not be read.

import type { Unrecognised } from '../map/model.js';
import type { ComposeService } from './compose.js';
import type { SeamtestConfig } from './config.js';
import type { EnvFile } from './env-files.js';
import type { PathAlias } from './module-aliases.js';
import type { OpenApiOperation } from './openapi.js';

export interface PackageManifest {
  name?: string;
  type?: string;
  main?: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  workspaces?: string[] | { packages?: string[] };
}

export interface ProjectPackage {
  /** Folder relative to the project root, '' for the root itself. */
  dir: string;
  name: string;
  manifest: PackageManifest;
  /** Runtime and dev dependencies by name; detectors switch on from these. */
  dependencies: ReadonlySet<string>;
}

export interface SourceFile {
  /** Relative to the project root, forward slashes. */
  path: string;
  text: string;
  package: ProjectPackage;
  language: 'typescript' | 'javascript';
  moduleSystem: 'esm' | 'commonjs';
}

export interface Project {
  root: string;
  name: string;
  packages: ProjectPackage[];
  files: SourceFile[];
  /** tsconfig/jsconfig `paths`: imports that look like packages but point into the project. */
  pathAliases: PathAlias[];
  /** SQL files (migrations, seeds, schemas), paths relative to the root. */
  sqlFiles: string[];
  /** Prisma models and the tables they are stored in (lower-cased model → table). */
  prismaTables: Map<string, string>;
  /** Lower-cased Prisma model → relation field → related model (for `include` and nested writes). */
  prismaRelations: Map<string, Map<string, string>>;
  /** Lower-cased Prisma model → many-to-many relation field → its implicit join table. */
  prismaJoinTables: Map<string, Map<string, string>>;
  /** `.env`-style files with the variable names they list (never their values). */
  envFiles: EnvFile[];
  /** Operations of the project's OpenAPI documents. */
  openApi: OpenApiOperation[];
  /** Services of the project's docker-compose files. */
  compose: ComposeService[];
  /** The user's components file (seamtest.config.*), empty when there is none. */
  config: SeamtestConfig;
  /** Files skipped or unreadable, kept so the map can say so. */
  notes: Unrecognised[];
}
