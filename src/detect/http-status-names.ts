// Named status codes as the common constant sets spell them: NestJS's `HttpStatus.CREATED`,
// http-status-codes' `StatusCodes.NOT_FOUND`, http-status's `httpStatus.NO_CONTENT`.
import type * as TS from 'typescript';
import { ts } from '../typescript.js';
import type { DetectContext } from './types.js';

const STATUS_BY_NAME: Record<string, number> = {
  CONTINUE: 100,
  OK: 200,
  CREATED: 201,
  ACCEPTED: 202,
  NO_CONTENT: 204,
  MOVED_PERMANENTLY: 301,
  FOUND: 302,
  MOVED_TEMPORARILY: 302,
  SEE_OTHER: 303,
  NOT_MODIFIED: 304,
  TEMPORARY_REDIRECT: 307,
  PERMANENT_REDIRECT: 308,
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  PAYMENT_REQUIRED: 402,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  NOT_ACCEPTABLE: 406,
  REQUEST_TIMEOUT: 408,
  CONFLICT: 409,
  GONE: 410,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  REQUEST_TOO_LONG: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE_ENTITY: 422,
  LOCKED: 423,
  PRECONDITION_REQUIRED: 428,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_SERVER_ERROR: 500,
  NOT_IMPLEMENTED: 501,
  BAD_GATEWAY: 502,
  SERVICE_UNAVAILABLE: 503,
  GATEWAY_TIMEOUT: 504,
};

const CONSTANT_MODULES = new Set(['@nestjs/common', 'http-status-codes', 'http-status']);
/** The names the sets go by when their import cannot be seen. */
const CONSTANT_OBJECTS = new Set(['HttpStatus', 'StatusCodes', 'httpStatus', 'status']);

/** `HttpStatus.CREATED` → 201, or undefined when the expression is no such constant. */
export function statusConstant(
  ctx: DetectContext,
  expression: TS.Expression | undefined,
): number | undefined {
  if (!expression || !ts.isPropertyAccessExpression(expression)) return undefined;
  const status = STATUS_BY_NAME[expression.name.text];
  if (status === undefined) return undefined;
  const owner = ctx.values.valueOf(expression.expression);
  if (owner?.kind === 'library') return CONSTANT_MODULES.has(owner.module) ? status : undefined;
  return CONSTANT_OBJECTS.has(expression.expression.getText()) ? status : undefined;
}
