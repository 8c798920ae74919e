// Cookie sessions: the middleware's cookie, signing secret and the session fields a check reads
// make a `session` auth rule, for express-session, @fastify/secure-session and koa-session.
import { expect, it } from 'vitest';
import { mapProject } from '../../src/map/map-project.js';

it('reads session checks with their cookie, secret and fields', async () => {
  const { map } = await mapProject('fixtures/sessions');
  expect(
    map.auth.map((rule) => ({
      id: rule.id,
      kind: rule.kind,
      library: rule.library,
      cookie: rule.cookie,
      secret: rule.secret,
      claims: rule.claims,
      rejects: rule.rejects.map((reject) => reject.status),
    })),
  ).toEqual([
    {
      id: 'admin:session',
      kind: 'session',
      library: '@fastify/secure-session',
      cookie: 'admin_session',
      secret: { env: 'ADMIN_SESSION_KEY', default: '' },
      claims: ['user'],
      rejects: [401],
    },
    {
      id: 'shop-koa:session',
      kind: 'session',
      library: 'koa-session',
      cookie: 'shop.sess',
      secret: { env: 'COOKIE_KEY' },
      claims: ['customer'],
      rejects: [401],
    },
    {
      id: 'web:session',
      kind: 'session',
      library: 'express-session',
      cookie: 'sid',
      secret: { env: 'SESSION_SECRET' },
      claims: ['userId'],
      rejects: [401, 403],
    },
  ]);
});
