// Every detector, in one list. A detector runs on a package's files when the package depends on
// one of its `enabledBy` packages (or always, when that list is empty).
import { envDetector } from './env.js';
import type { Detector } from './types.js';

export const detectors: readonly Detector[] = [envDetector];
