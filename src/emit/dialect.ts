// What differs between test runners. Everything else (the plan, the support kit, the checks)
// is shared; a dialect only wraps scenarios in its runner's test syntax and wires its hooks.
import type { PlannedFile } from '../plan/model.js';

export interface EmittedFile {
  path: string;
  content: string;
}

export interface RunnerDialect {
  name: 'vitest' | 'jest' | 'node:test';
  /** The imports a test file needs from the runner. */
  testImports: string;
  /** A test file around the given `it(...)` blocks. */
  testFile(file: PlannedFile, header: string, imports: string[], tests: string[]): string;
  /** The runner's configuration and hook wiring. */
  configFiles(options: { workers: number; findings: boolean }): EmittedFile[];
  /** `support/system-under-test.ts`: opens the worker's system around each test. */
  harnessHooks: string;
  /** How the suite is run, for notes and CI. */
  runCommand: string;
  findingsCommand: string;
  devDependencies: Record<string, string>;
}
