// `generateSuite`: the library entry point of `seamtest generate`.
// Today it validates its inputs; planning and emitting arrive with the generate issue.
import { SeamtestError } from './errors.js';

export const FRAMEWORKS = ['vitest', 'jest', 'node:test'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

export interface GenerateOptions {
  framework?: string | undefined;
  out?: string | undefined;
}

export function parseFramework(name: string | undefined): Framework {
  if (name === undefined) {
    throw new SeamtestError(
      'usage',
      `--framework is required; pass one of ${FRAMEWORKS.join(', ')}`,
    );
  }
  const framework = FRAMEWORKS.find((known) => known === name);
  if (!framework) {
    throw new SeamtestError(
      'unknown-framework',
      `unknown framework '${name}'; pass --framework with one of ${FRAMEWORKS.join(', ')}`,
    );
  }
  return framework;
}

export async function generateSuite(_dir: string, options: GenerateOptions): Promise<never> {
  parseFramework(options.framework);
  if (options.out === undefined) {
    throw new SeamtestError('usage', '--out is required; pass the folder to write the suite to');
  }
  throw new SeamtestError(
    'not-implemented',
    "suite generation is not available in this version yet; 'seamtest map' is",
  );
}
