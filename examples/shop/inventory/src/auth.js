// Service-to-service auth: a bearer JWT signed with the shared JWT_SECRET that carries the
// inventory:reserve scope. Its subject is recorded as the customer a reservation is for.
const jwt = require('jsonwebtoken');
const { HttpError } = require('./errors');

function requireScope(secret, scope) {
  return async function verifyToken(request) {
    const header = request.headers.authorization ?? '';
    const [scheme, token] = header.split(' ');
    if (scheme !== 'Bearer' || !token) {
      throw new HttpError(401, 'unauthenticated', 'A bearer token is required');
    }
    let claims;
    try {
      claims = jwt.verify(token, secret, { algorithms: ['HS256'] });
    } catch {
      throw new HttpError(401, 'unauthenticated', 'The token is invalid or expired');
    }
    const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
    if (!scopes.includes(scope)) {
      throw new HttpError(403, 'forbidden', `The token lacks the ${scope} scope`);
    }
    request.caller = { customerId: String(claims.sub) };
  };
}

module.exports = { requireScope };
