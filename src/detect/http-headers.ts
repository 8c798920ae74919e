// Headers of the incoming request that handlers and middleware read (`req.get('authorization')`,
// `request.headers['x-request-id']`), and fastify's `requestIdHeader`, read on every route.
import type * as TS from 'typescript';
import { ts } from '../typescript.js';
import { nameOf, propertyOf } from './analysis/calls.js';
import { nodesOfKinds } from './analysis/file-nodes.js';
import { incomingHeader } from './analysis/header-source.js';
import { HTTP_SERVER_PACKAGES } from './http-routes.js';
import type { Detector } from './types.js';

/** The only kinds of node `visit` reads. */
const VISITED = new Set([
  ts.SyntaxKind.PropertyAccessExpression,
  ts.SyntaxKind.ElementAccessExpression,
  ts.SyntaxKind.CallExpression,
  ts.SyntaxKind.BinaryExpression,
]);

export const httpHeadersDetector: Detector = {
  name: 'http-headers',
  enabledBy: HTTP_SERVER_PACKAGES,
  detect(ctx) {
    const visit = (node: TS.Node): void => {
      // Reads are member accesses, calls and `??` fallbacks; skip every other node cheaply.
      const candidate =
        ts.isPropertyAccessExpression(node) ||
        ts.isElementAccessExpression(node) ||
        ts.isCallExpression(node) ||
        ts.isBinaryExpression(node);
      if (candidate && !isInsideRead(node)) {
        const header = incomingHeader(node);
        if (header) ctx.report({ kind: 'header-read', header, node });
      }
      // Only a call given `{ requestIdHeader }` can be one; check that before resolving it.
      const requestIdHeader = ts.isCallExpression(node)
        ? propertyOf(node.arguments[0], 'requestIdHeader')
        : undefined;
      if (ts.isCallExpression(node) && requestIdHeader) {
        const value = ctx.values.valueOf(node);
        const header = requestIdHeader && ctx.strings.literal(requestIdHeader);
        if (value?.kind === 'library' && value.module === 'fastify' && header) {
          ctx.report({
            kind: 'header-read',
            header: header.toLowerCase(),
            owner: value.site,
            node: nameOf(node),
          });
        }
      }
    };
    for (const node of nodesOfKinds(ctx.file.ast, VISITED)) visit(node);
  },
};

/** `req.get('x') ?? ''` is one read, not two: skip the operands of a read already seen. */
function isInsideRead(node: TS.Expression): boolean {
  const parent = node.parent;
  return (
    ts.isBinaryExpression(parent) && parent.left === node && incomingHeader(parent) !== undefined
  );
}
