// Every detector, in one list. A detector runs on a package's files when the package depends on
// one of its `enabledBy` packages (or always, when that list is empty).
import { amqplibDetector } from './amqplib.js';
import { axiosDetector } from './axios.js';
import { decoratorRoutesDetector } from './decorator-routes.js';
import { envDetector } from './env.js';
import { expressDetector } from './express.js';
import { fastifyDetector } from './fastify.js';
import { fetchDetector } from './fetch.js';
import { honoDetector } from './hono.js';
import { httpHeadersDetector } from './http-headers.js';
import { httpResponsesDetector } from './http-responses.js';
import { joiDetector } from './joi.js';
import { jwtDetector } from './jsonwebtoken.js';
import { knexDetector } from './knex.js';
import { koaDetector } from './koa.js';
import { messagingDetector } from './messaging.js';
import { nestjsDetector } from './nestjs.js';
import { passportDetector } from './passport.js';
import { pgDetector } from './pg.js';
import { prismaDetector } from './prisma.js';
import { redisDetector } from './redis.js';
import { sequelizeDetector } from './sequelize.js';
import { sessionsDetector } from './sessions.js';
import { sqlBuildersDetector } from './sql-builders.js';
import { sqlDriversDetector } from './sql-drivers.js';
import { typeormDetector } from './typeorm.js';
import type { Detector } from './types.js';
import { websocketDetector } from './websocket.js';
import { zodDetector } from './zod.js';

export const detectors: readonly Detector[] = [
  envDetector,
  expressDetector,
  fastifyDetector,
  nestjsDetector,
  decoratorRoutesDetector,
  koaDetector,
  honoDetector,
  httpResponsesDetector,
  httpHeadersDetector,
  jwtDetector,
  passportDetector,
  sessionsDetector,
  zodDetector,
  joiDetector,
  pgDetector,
  prismaDetector,
  knexDetector,
  sqlBuildersDetector,
  typeormDetector,
  sequelizeDetector,
  sqlDriversDetector,
  redisDetector,
  amqplibDetector,
  messagingDetector,
  fetchDetector,
  axiosDetector,
  websocketDetector,
];
