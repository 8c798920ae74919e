// The /orders routes: validation, auth and the translation of domain outcomes into HTTP answers.
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { type Caller, requireAuth, requireScope } from '../auth.js';
import { HttpError } from '../errors.js';
import type { EventPublisher } from '../events.js';
import type { OrderCache } from '../order-cache.js';
import type { OrdersRepository } from '../orders-repository.js';
import { type PlaceOrderDeps, placeOrder } from '../place-order.js';

const CreateOrderBody = z.object({
  items: z
    .array(z.object({ sku: z.string().min(1).max(64), quantity: z.number().int().min(1).max(100) }))
    .min(1)
    .max(20)
    .refine(
      (items) => new Set(items.map((item) => item.sku)).size === items.length,
      'each sku once',
    ),
  currency: z.enum(['USD', 'EUR']),
  note: z.string().max(500).optional(),
});

const OrderId = z.uuid();

export interface OrdersRouterDeps extends PlaceOrderDeps {
  orders: OrdersRepository;
  cache: OrderCache;
  events: EventPublisher;
  jwtSecret: string;
}

export function ordersRouter(deps: OrdersRouterDeps): Router {
  const router = Router();
  const authenticated = requireAuth(deps.jwtSecret);

  router.post(
    '/',
    authenticated,
    requireScope('orders:write'),
    async (req: Request, res: Response) => {
      const body = CreateOrderBody.safeParse(req.body);
      if (!body.success) throw validationError(body.error);
      const caller = res.locals.caller as Caller;
      const order = await placeOrder(
        deps,
        { customerId: caller.customerId, ...body.data },
        forwarded(req, res),
      );
      res.status(201).json(order);
    },
  );

  router.get(
    '/:id',
    authenticated,
    requireScope('orders:read'),
    async (req: Request, res: Response) => {
      const id = parseOrderId(req.params.id);
      const order = (await deps.cache.get(id)) ?? (await deps.orders.findOrder(id));
      if (!order) throw new HttpError(404, 'order_not_found', 'No such order');
      assertOwner(order.customerId, res);
      await deps.cache.set(order);
      res.json(order);
    },
  );

  router.post(
    '/:id/cancel',
    authenticated,
    requireScope('orders:write'),
    async (req: Request, res: Response) => {
      const id = parseOrderId(req.params.id);
      const order = await deps.orders.cancelOrder(id, (current) => {
        assertOwner(current.customerId, res);
        if (current.status === 'cancelled') {
          throw new HttpError(409, 'order_not_cancellable', 'The order is already cancelled');
        }
      });
      if (!order) throw new HttpError(404, 'order_not_found', 'No such order');
      await deps.cache.invalidate(id);
      const requestId = res.locals.requestId as string;
      await deps.events
        .orderCancelled(
          { orderId: id, reservationId: order.reservationId, cancelledAt: order.cancelledAt },
          requestId,
        )
        .catch((error) => console.error(`[${requestId}] publishing order.cancelled failed`, error));
      res.json(order);
    },
  );

  return router;
}

function parseOrderId(raw: unknown): string {
  const id = OrderId.safeParse(raw);
  if (!id.success) throw new HttpError(400, 'validation_failed', 'The order id must be a UUID');
  return id.data;
}

function assertOwner(customerId: string, res: Response): void {
  if ((res.locals.caller as Caller).customerId !== customerId) {
    throw new HttpError(403, 'forbidden', 'This order belongs to another customer');
  }
}

function validationError(error: z.ZodError): HttpError {
  const details = error.issues.map((issue) => ({
    path: issue.path.join('.'),
    message: issue.message,
  }));
  return new HttpError(400, 'validation_failed', 'The request body is invalid', details);
}

function forwarded(req: Request, res: Response) {
  return {
    authorization: req.get('authorization') ?? '',
    requestId: res.locals.requestId as string,
  };
}
