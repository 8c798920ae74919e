// Every request gets an id: the caller's x-request-id if it sent one, a new one otherwise. It is
// echoed back, logged with errors and forwarded to every service and message downstream.
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export function requestId(req: Request, res: Response, next: NextFunction): void {
  const id = req.get('x-request-id') || randomUUID();
  res.locals.requestId = id;
  res.set('x-request-id', id);
  next();
}
