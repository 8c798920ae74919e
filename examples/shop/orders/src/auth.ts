// Bearer-token auth. Tokens are issued by the shop's auth server (not part of this example) and
// signed with the shared JWT_SECRET; `sub` is the customer id and `scope` lists what it may do.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import jwt from 'jsonwebtoken';

export interface Caller {
  customerId: string;
  scopes: string[];
}

export function requireAuth(secret: string): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.get('authorization') ?? '';
    const [scheme, token] = header.split(' ');
    if (scheme !== 'Bearer' || !token) {
      res
        .status(401)
        .json({ error: { code: 'unauthenticated', message: 'A bearer token is required' } });
      return;
    }
    try {
      const claims = jwt.verify(token, secret, { algorithms: ['HS256'] });
      if (typeof claims === 'string' || typeof claims.sub !== 'string')
        throw new Error('no subject');
      const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
      res.locals.caller = { customerId: claims.sub, scopes } satisfies Caller;
      next();
    } catch {
      res
        .status(401)
        .json({ error: { code: 'unauthenticated', message: 'The token is invalid or expired' } });
    }
  };
}

export function requireScope(scope: string): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    const caller = res.locals.caller as Caller;
    if (!caller.scopes.includes(scope)) {
      res
        .status(403)
        .json({ error: { code: 'forbidden', message: `The token lacks the ${scope} scope` } });
      return;
    }
    next();
  };
}
