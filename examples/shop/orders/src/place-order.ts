// Placing an order crosses every boundary of the system: reserve stock, charge the payment, store
// the order, announce it. Each later step that fails undoes the earlier ones.
import { randomUUID } from 'node:crypto';
import type { ForwardedContext, InventoryClient } from './clients/inventory.js';
import type { PaymentsClient } from './clients/payments.js';
import { HttpError } from './errors.js';
import type { EventPublisher } from './events.js';
import type { Order, OrdersRepository } from './orders-repository.js';

export interface PlaceOrderDeps {
  inventory: InventoryClient;
  payments: PaymentsClient;
  orders: OrdersRepository;
  events: EventPublisher;
}

export interface OrderRequest {
  customerId: string;
  currency: 'USD' | 'EUR';
  note?: string | undefined;
  items: { sku: string; quantity: number }[];
}

export async function placeOrder(
  deps: PlaceOrderDeps,
  request: OrderRequest,
  context: ForwardedContext,
): Promise<Order> {
  const orderId = randomUUID();
  const reservation = await deps.inventory.reserve(orderId, request.items, context);
  const totalCents = reservation.items.reduce(
    (sum, item) => sum + item.quantity * item.unitPriceCents,
    0,
  );

  let chargeId: string;
  try {
    const charge = await deps.payments.charge(
      {
        amountCents: totalCents,
        currency: request.currency,
        reference: orderId,
        customerId: request.customerId,
      },
      context.requestId,
    );
    chargeId = charge.id;
  } catch (error) {
    await releaseQuietly(deps, reservation.reservationId, context);
    throw error;
  }

  let order: Order;
  try {
    order = await deps.orders.insertOrder({
      id: orderId,
      customerId: request.customerId,
      currency: request.currency,
      totalCents,
      paymentId: chargeId,
      reservationId: reservation.reservationId,
      requestId: context.requestId,
      note: request.note ?? null,
      items: reservation.items,
    });
  } catch (error) {
    console.error(`[${context.requestId}] storing order ${orderId} failed`, error);
    await deps.payments
      .refund(chargeId, orderId, context.requestId)
      .catch((refundError) =>
        console.error(`[${context.requestId}] refund of ${chargeId} failed`, refundError),
      );
    await releaseQuietly(deps, reservation.reservationId, context);
    throw new HttpError(503, 'order_store_unavailable', 'The order could not be stored');
  }

  // The order is committed: a failed announcement is logged, not turned into a failed order.
  await deps.events
    .orderCreated(
      {
        orderId,
        customerId: order.customerId,
        items: order.items,
        totalCents,
        currency: order.currency,
        createdAt: order.createdAt,
      },
      context.requestId,
    )
    .catch((error) =>
      console.error(`[${context.requestId}] publishing order.created failed`, error),
    );
  return order;
}

async function releaseQuietly(
  deps: PlaceOrderDeps,
  reservationId: string,
  context: ForwardedContext,
) {
  await deps.inventory
    .release(reservationId, context)
    .catch((error) =>
      console.error(`[${context.requestId}] releasing ${reservationId} failed`, error),
    );
}
