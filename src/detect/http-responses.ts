// The statuses HTTP handlers answer with, whatever the framework: `res.status(N)`,
// `reply.code(N)`, `res.sendStatus(N)`, and errors thrown with a status (`new HttpError(409,
// 'out_of_stock')`). With the error code from the body or the error, when it is a literal.
import type * as TS from 'typescript';
import { ts } from '../typescript.js';
import { methodCall, nameOf } from './analysis/calls.js';
import { nodesOfKinds } from './analysis/file-nodes.js';
import { unwrap } from './analysis/values.js';
import { HTTP_SERVER_PACKAGES } from './http-routes.js';
import { statusConstant } from './http-status-names.js';
import type { DetectContext, Detector } from './types.js';

const STATUS_METHODS = new Set(['status', 'code', 'sendStatus', 'writeHead', 'throw']);
const BODY_METHODS = new Set(['json', 'send', 'end']);
/** @fastify/sensible's reply helpers and `fastify.httpErrors`: the status is in the name. */
const NAMED_STATUSES: Record<string, number> = {
  badRequest: 400,
  unauthorized: 401,
  paymentRequired: 402,
  forbidden: 403,
  notFound: 404,
  conflict: 409,
  unprocessableEntity: 422,
  tooManyRequests: 429,
  internalServerError: 500,
  badGateway: 502,
  serviceUnavailable: 503,
  gatewayTimeout: 504,
};

const NEST_EXCEPTIONS: Record<string, number> = {
  BadRequestException: 400,
  UnauthorizedException: 401,
  ForbiddenException: 403,
  NotFoundException: 404,
  ConflictException: 409,
  UnprocessableEntityException: 422,
  InternalServerErrorException: 500,
  BadGatewayException: 502,
  ServiceUnavailableException: 503,
  GatewayTimeoutException: 504,
};

/** The only kinds of node `visit` reads. */
const VISITED = new Set([
  ts.SyntaxKind.CallExpression,
  ts.SyntaxKind.BinaryExpression,
  ts.SyntaxKind.NewExpression,
]);

export const httpResponsesDetector: Detector = {
  name: 'http-responses',
  enabledBy: HTTP_SERVER_PACKAGES,
  detect(ctx) {
    const visit = (node: TS.Node): void => {
      const call = methodCall(node);
      if (call && STATUS_METHODS.has(call.method) && call.call.arguments.length >= 1) {
        const status = statusOf(ctx, call.call.arguments[0]);
        if (status) reportStatus(ctx, nameOf(call.call), status, bodyCode(call.call));
      } else if (
        call &&
        call.method in NAMED_STATUSES &&
        /reply|res|httpErrors/i.test(call.receiver.getText())
      ) {
        reportStatus(ctx, nameOf(call.call), NAMED_STATUSES[call.method] as number, undefined);
      } else if (
        ts.isBinaryExpression(node) &&
        node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isPropertyAccessExpression(node.left) &&
        node.left.name.text === 'status' &&
        // An error class keeping its status (`this.status = status`) answers nothing itself.
        node.left.expression.kind !== ts.SyntaxKind.ThisKeyword
      ) {
        // Koa: `ctx.status = 204`.
        const status = statusOf(ctx, node.right);
        if (status) reportStatus(ctx, node.left.name, status, undefined);
      } else if (ts.isNewExpression(node) && /Error$|Exception$/.test(node.expression.getText())) {
        const [first, second] = node.arguments ?? [];
        const status = statusOf(ctx, first);
        // NestJS: `new NotFoundException()`, `new HttpException(message, HttpStatus.CONFLICT)`.
        const named =
          nestException(ctx, node.expression.getText(), node.expression) ??
          statusConstant(ctx, second);
        if (status) reportStatus(ctx, node, status, second && ctx.strings.literal(second));
        else if (named) reportStatus(ctx, node, named, undefined);
      } else if (
        ts.isNewExpression(node) &&
        ctx.file.source.package.dependencies.has('@nestjs/common')
      ) {
        // A class of the project named freely but extending one of Nest's: `new OwnerMissing()`.
        const named = nestException(ctx, node.expression.getText(), node.expression);
        if (named) reportStatus(ctx, node, named, undefined);
      }
    };
    for (const node of nodesOfKinds(ctx.file.ast, VISITED)) visit(node);
  },
};

/**
 * The status of a NestJS exception class: one of Nest's own, or a class of the project that
 * extends one (`class OrderNotFound extends NotFoundException {}`).
 */
function nestException(
  ctx: DetectContext,
  name: string,
  expression: TS.Expression,
  depth = 0,
): number | undefined {
  const own = NEST_EXCEPTIONS[name];
  if (own !== undefined || depth > 4) return own;
  const value = ctx.values.valueOf(expression);
  if (value?.kind !== 'class') return undefined;
  for (const clause of value.node.heritageClauses ?? []) {
    if (clause.token !== ts.SyntaxKind.ExtendsKeyword) continue;
    for (const type of clause.types) {
      const found = nestException(ctx, type.expression.getText(), type.expression, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function reportStatus(ctx: DetectContext, node: TS.Node, status: number, code: string | undefined) {
  ctx.report({ kind: 'response', status, ...(code ? { code } : {}), node });
}

function statusOf(ctx: DetectContext, argument: TS.Expression | undefined): number | undefined {
  const named = statusConstant(ctx, argument && unwrap(argument));
  if (named !== undefined) return named;
  const text = argument && ctx.strings.literal(argument);
  const status = text === undefined ? Number.NaN : Number(text);
  return Number.isInteger(status) && status >= 100 && status <= 599 ? status : undefined;
}

/** `res.status(401).json({ error: { code: 'unauthenticated' } })` → 'unauthenticated'. */
function bodyCode(statusCall: TS.CallExpression): string | undefined {
  const parent = statusCall.parent;
  if (!ts.isPropertyAccessExpression(parent) || !BODY_METHODS.has(parent.name.text))
    return undefined;
  const bodyCall = parent.parent;
  if (!ts.isCallExpression(bodyCall)) return undefined;
  return findCode(bodyCall.arguments[0], 2);
}

function findCode(expression: TS.Expression | undefined, depth: number): string | undefined {
  if (!expression || !ts.isObjectLiteralExpression(expression) || depth < 0) return undefined;
  for (const property of expression.properties) {
    if (!ts.isPropertyAssignment(property)) continue;
    const name = property.name.getText();
    if (name === 'code' && ts.isStringLiteralLike(property.initializer))
      return property.initializer.text;
    const nested = findCode(property.initializer, depth - 1);
    if (nested) return nested;
  }
  return undefined;
}
