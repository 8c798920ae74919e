// The Fastify app, built from its dependencies so tests and the server share one assembly.
const Fastify = require('fastify');
const { requireScope } = require('./auth');
const { HttpError } = require('./errors');
const { findStock, release, reserve } = require('./reservations');

const reservationBody = {
  type: 'object',
  required: ['orderId', 'items'],
  additionalProperties: false,
  properties: {
    orderId: { type: 'string', format: 'uuid' },
    items: {
      type: 'array',
      minItems: 1,
      maxItems: 20,
      items: {
        type: 'object',
        required: ['sku', 'quantity'],
        additionalProperties: false,
        properties: {
          sku: { type: 'string', minLength: 1, maxLength: 64 },
          quantity: { type: 'integer', minimum: 1 },
        },
      },
    },
  },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Fastify's own answers to a body that is not JSON (malformed, or empty with a JSON type). */
const INVALID_JSON = new Set(['FST_ERR_CTP_INVALID_JSON_BODY', 'FST_ERR_CTP_EMPTY_JSON_BODY']);

function buildApp({ pool, config }) {
  const app = Fastify({
    logger: process.env.LOG_LEVEL ? { level: process.env.LOG_LEVEL } : false,
    requestIdHeader: 'x-request-id',
  });
  const serviceOnly = requireScope(config.jwtSecret, 'inventory:reserve');

  app.get('/health', async () => ({ status: 'ok' }));

  app.get('/stock/:sku', async (request) => {
    const stock = await findStock(pool, request.params.sku);
    if (!stock)
      throw new HttpError(404, 'unknown_sku', `Unknown product ${request.params.sku}`, {
        sku: request.params.sku,
      });
    return {
      sku: stock.sku,
      name: stock.name,
      available: stock.available,
      reserved: stock.reserved,
      unitPriceCents: stock.unit_price_cents,
    };
  });

  app.post(
    '/reservations',
    { schema: { body: reservationBody }, preHandler: serviceOnly },
    async (request, reply) => {
      const reservation = await reserve(pool, {
        orderId: request.body.orderId,
        customerId: request.caller.customerId,
        requestId: request.id,
        items: request.body.items,
      });
      reply.code(201);
      return reservation;
    },
  );

  app.delete('/reservations/:id', { preHandler: serviceOnly }, async (request, reply) => {
    if (!UUID.test(request.params.id)) {
      throw new HttpError(400, 'validation_failed', 'The reservation id must be a UUID');
    }
    const found = await release(pool, request.params.id);
    if (!found) throw new HttpError(404, 'unknown_reservation', 'No such reservation');
    reply.code(204).send();
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof HttpError) {
      reply
        .code(error.status)
        .send({ error: { code: error.code, message: error.message, ...error.extra } });
      return;
    }
    if (INVALID_JSON.has(error.code)) {
      reply
        .code(400)
        .send({ error: { code: 'invalid_json', message: 'The request body is not valid JSON' } });
      return;
    }
    if (error.validation) {
      reply.code(400).send({ error: { code: 'validation_failed', message: error.message } });
      return;
    }
    request.log.error(error);
    console.error(`[${request.id}] unhandled error`, error);
    reply.code(500).send({ error: { code: 'internal', message: 'Internal error' } });
  });

  return app;
}

module.exports = { buildApp };
