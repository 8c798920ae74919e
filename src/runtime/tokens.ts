// Credentials for the services' JWT checks, signed with the secret the suite gave the services.
import jwt from 'jsonwebtoken';

export interface TokenOptions {
  secret: string;
  subject: string;
  scopes?: string[];
  /** Seconds from now; a negative number makes a token that has already expired. */
  expiresIn?: number;
}

export function signToken(options: TokenOptions): string {
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = {
    sub: options.subject,
    iat: now,
    exp: now + (options.expiresIn ?? 600),
  };
  if (options.scopes) payload.scope = options.scopes.join(' ');
  return jwt.sign(payload, options.secret, { algorithm: 'HS256' });
}
