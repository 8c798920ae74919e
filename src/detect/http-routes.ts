// Helpers shared by the HTTP server detectors.
import type * as TS from 'typescript';
import { ts } from '../typescript.js';
import { findDeclaration } from './analysis/scope.js';
import { renderPattern } from './analysis/strings.js';
import type { DetectContext } from './types.js';

/** Packages whose apps answer HTTP requests: where handlers' responses and headers are read. */
export const HTTP_SERVER_PACKAGES = [
  'express',
  'fastify',
  'koa',
  '@koa/router',
  'koa-router',
  'hono',
  '@nestjs/core',
  'routing-controllers',
  'inversify-express-utils',
];

export const HTTP_METHODS = new Set([
  'get',
  'post',
  'put',
  'patch',
  'delete',
  'options',
  'head',
  'all',
]);

/** Middleware may be passed one by one or in (nested) arrays; the order is kept. */
export function flattenHandlers(args: readonly TS.Expression[], depth = 0): TS.Expression[] {
  return args.flatMap((argument) => {
    if (depth > 8) return [argument];
    if (ts.isArrayLiteralExpression(argument)) return flattenHandlers(argument.elements, depth + 1);
    if (ts.isSpreadElement(argument)) return flattenHandlers([argument.expression], depth + 1);
    // `const adminOnly = [authenticate, requireRole('admin')]`, used as `adminOnly` or `...adminOnly`.
    const list = ts.isIdentifier(argument) ? constantArray(argument) : undefined;
    return list ? flattenHandlers(list.elements, depth + 1) : [argument];
  });
}

const NO_IMPORTS = new Map<string, never>();

function constantArray(identifier: TS.Identifier): TS.ArrayLiteralExpression | undefined {
  const declaration = findDeclaration(identifier, NO_IMPORTS);
  if (declaration?.kind !== 'variable' || declaration.path.length > 0) return undefined;
  const initializer = declaration.node.initializer;
  return initializer && ts.isArrayLiteralExpression(initializer) ? initializer : undefined;
}

/** A route path known statically, or undefined after noting it as unrecognised. */
export function routePath(ctx: DetectContext, argument: TS.Expression): string | undefined {
  const value = ctx.strings.evaluate(argument);
  if (value?.parts.every((part) => part.kind === 'text')) return renderPattern(value);
  ctx.unrecognised(
    'computed-route-path',
    `route path \`${argument.getText().slice(0, 80)}\` is computed at run time`,
    argument,
  );
  return undefined;
}

/** Joins mount prefixes and a route path the way routers do: one slash between, none trailing. */
export function joinPaths(...segments: string[]): string {
  const joined = segments
    .map((segment) => segment.replace(/^\/+|\/+$/g, ''))
    .filter((segment) => segment !== '')
    .join('/');
  return `/${joined}`;
}
