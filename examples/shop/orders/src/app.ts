// The Express app, built from its dependencies so tests and the server share one assembly.
import express, { type NextFunction, type Request, type Response } from 'express';
import { HttpError } from './errors.js';
import { requestId } from './request-id.js';
import { type OrdersRouterDeps, ordersRouter } from './routes/orders.js';

export function createApp(deps: OrdersRouterDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestId);
  app.use(express.json({ limit: '100kb' }));
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use('/orders', ordersRouter(deps));
  app.use((_req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: 'No such route' } });
  });
  app.use(errorHandler);
  return app;
}

/** Known errors become their own answer; anything else is a 500 that reveals nothing inside. */
function errorHandler(error: unknown, _req: Request, res: Response, _next: NextFunction): void {
  if (error instanceof HttpError) {
    res.status(error.status).json({
      error: {
        code: error.code,
        message: error.message,
        ...(error.details ? { details: error.details } : {}),
      },
    });
    return;
  }
  if (isBodyParseError(error)) {
    res
      .status(400)
      .json({ error: { code: 'invalid_json', message: 'The request body is not valid JSON' } });
    return;
  }
  if (isUndecodablePath(error)) {
    res
      .status(400)
      .json({ error: { code: 'validation_failed', message: 'The URL path is not valid' } });
    return;
  }
  console.error(`[${res.locals.requestId}] unhandled error`, error);
  res.status(500).json({ error: { code: 'internal', message: 'Internal error' } });
}

function isBodyParseError(error: unknown): boolean {
  return (
    error instanceof SyntaxError && (error as { type?: string }).type === 'entity.parse.failed'
  );
}

/** The router's answer to a path parameter that is not valid percent-encoding (`/orders/%E0%A4%A`). */
function isUndecodablePath(error: unknown): boolean {
  return error instanceof URIError && (error as { status?: number }).status === 400;
}
