// The TypeScript compiler, loaded with `require`: importing its 9 MB CommonJS build from ESM
// makes Node scan all of it for export names and module syntax first, about half a second a run.
// Types come from `import type * as TS from 'typescript'` where they are needed.
import { createRequire } from 'node:module';
import type * as TS from 'typescript';

export const ts: typeof TS = createRequire(import.meta.url)('typescript');
