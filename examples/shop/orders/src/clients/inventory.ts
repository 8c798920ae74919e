// The inventory service, over HTTP. Reservations are not idempotent from our side, so they are
// never retried; the caller's token and request id are forwarded so inventory knows who reserved.
import { HttpError } from '../errors.js';

export interface ReservedItem {
  sku: string;
  quantity: number;
  unitPriceCents: number;
}

export interface Reservation {
  reservationId: string;
  items: ReservedItem[];
}

/** What a downstream call carries over from the request that caused it. */
export interface ForwardedContext {
  authorization: string;
  requestId: string;
}

export function createInventoryClient(baseUrl: string, timeoutMs: number) {
  async function send(
    path: string,
    init: RequestInit,
    context: ForwardedContext,
  ): Promise<Response> {
    try {
      return await fetch(`${baseUrl}${path}`, {
        ...init,
        headers: {
          // Only a request with a body says what it is: Fastify rejects an empty JSON body.
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
          authorization: context.authorization,
          'x-request-id': context.requestId,
        },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'TimeoutError') {
        throw new HttpError(
          504,
          'inventory_timeout',
          'The inventory service did not answer in time',
        );
      }
      throw new HttpError(503, 'inventory_unavailable', 'The inventory service is unreachable');
    }
  }

  return {
    async reserve(
      orderId: string,
      items: { sku: string; quantity: number }[],
      context: ForwardedContext,
    ): Promise<Reservation> {
      const response = await send(
        '/reservations',
        { method: 'POST', body: JSON.stringify({ orderId, items }) },
        context,
      );
      if (response.status === 201) return (await response.json()) as Reservation;
      const body = (await response.json().catch(() => ({}))) as { error?: { sku?: string } };
      if (response.status === 409) {
        throw new HttpError(
          409,
          'out_of_stock',
          `Not enough stock for ${body.error?.sku ?? 'an item'}`,
        );
      }
      if (response.status === 404) {
        throw new HttpError(422, 'unknown_sku', `Unknown product ${body.error?.sku ?? ''}`.trim());
      }
      if (response.status === 401 || response.status === 403) {
        throw new HttpError(403, 'forbidden', 'The token lacks the inventory:reserve scope');
      }
      throw new HttpError(502, 'inventory_unavailable', 'The inventory service failed');
    },

    async release(reservationId: string, context: ForwardedContext): Promise<void> {
      const response = await send(`/reservations/${reservationId}`, { method: 'DELETE' }, context);
      if (response.status !== 204 && response.status !== 404) {
        throw new Error(`releasing reservation ${reservationId} failed with ${response.status}`);
      }
    },
  };
}

export type InventoryClient = ReturnType<typeof createInventoryClient>;
