// `verifySuite`: the library entry point of `seamtest verify`; it arrives with the verify issue.
import { SeamtestError } from './errors.js';

export async function verifySuite(_suiteDir: string): Promise<never> {
  throw new SeamtestError(
    'not-implemented',
    "suite verification is not available in this version yet; 'seamtest map' is",
  );
}
