// passport: `passport.authenticate('jwt', { session: false })` in a route's middleware is an auth
// check, of the kind its strategy names.
import type * as TS from 'typescript';
import { ts } from '../typescript.js';
import { callExpressionsOf } from './analysis/file-nodes.js';
import type { Detector } from './types.js';

const MECHANISMS: Record<string, 'jwt-bearer' | 'api-key' | 'session' | 'basic' | 'custom'> = {
  jwt: 'jwt-bearer',
  bearer: 'jwt-bearer',
  headerapikey: 'api-key',
  'api-key': 'api-key',
  localapikey: 'api-key',
  basic: 'basic',
  local: 'session',
  session: 'session',
};

export const passportDetector: Detector = {
  name: 'passport',
  enabledBy: ['passport'],
  detect(ctx) {
    const visit = (node: TS.Node): void => {
      if (ts.isCallExpression(node)) {
        const value = ctx.values.valueOf(node.expression);
        if (
          value?.kind === 'library' &&
          value.module === 'passport' &&
          value.path.join('.') === 'authenticate'
        ) {
          const strategy = node.arguments[0] ? ctx.strings.literal(node.arguments[0]) : undefined;
          ctx.report({
            kind: 'auth',
            library: 'passport',
            mechanism: MECHANISMS[strategy?.toLowerCase() ?? ''] ?? 'custom',
            claims: [],
            fn: undefined,
            node,
          });
        }
      }
    };
    for (const node of callExpressionsOf(ctx.file.ast)) visit(node);
  },
};
