// The payments provider, a third party reached over HTTP. Charges carry an idempotency key (the
// order id), so a retry after a timeout or a 5xx can never charge twice.
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpError } from '../errors.js';

export interface PaymentsSettings {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  maxRetries: number;
  retryBaseMs: number;
}

export interface Charge {
  id: string;
  status: string;
}

export interface ChargeRequest {
  amountCents: number;
  currency: string;
  reference: string;
  customerId: string;
}

/** Failures worth another attempt: the provider may not have seen the request at all. */
class TransientPaymentError extends Error {
  constructor(readonly reason: 'timeout' | 'unavailable') {
    super(reason);
  }
}

export function createPaymentsClient(settings: PaymentsSettings) {
  async function attempt(path: string, body: unknown, idempotencyKey: string, requestId: string) {
    let response: Response;
    try {
      response = await fetch(`${settings.baseUrl}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${settings.apiKey}`,
          'idempotency-key': idempotencyKey,
          'x-request-id': requestId,
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(settings.timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      throw new TransientPaymentError(timedOut ? 'timeout' : 'unavailable');
    }
    if (response.status >= 500) throw new TransientPaymentError('unavailable');
    return response;
  }

  /** Retries transient failures with exponential backoff; never retries an answer (4xx). */
  async function withRetries(send: () => Promise<Response>): Promise<Response> {
    for (let retry = 0; ; retry++) {
      try {
        return await send();
      } catch (error) {
        if (!(error instanceof TransientPaymentError)) throw error;
        if (retry >= settings.maxRetries) {
          if (error.reason === 'timeout') {
            throw new HttpError(
              504,
              'payment_timeout',
              'The payment provider did not answer in time',
            );
          }
          throw new HttpError(502, 'payment_unavailable', 'The payment provider is unavailable');
        }
        await sleep(settings.retryBaseMs * 2 ** retry);
      }
    }
  }

  return {
    async charge(request: ChargeRequest, requestId: string): Promise<Charge> {
      const response = await withRetries(() =>
        attempt('/v1/charges', request, request.reference, requestId),
      );
      if (response.status === 402) {
        throw new HttpError(402, 'payment_declined', 'The payment was declined');
      }
      if (!response.ok) {
        throw new HttpError(502, 'payment_rejected', 'The payment provider rejected the charge');
      }
      return (await response.json()) as Charge;
    },

    async refund(chargeId: string, orderId: string, requestId: string): Promise<void> {
      const response = await withRetries(() =>
        attempt('/v1/refunds', { chargeId }, `refund-${orderId}`, requestId),
      );
      if (!response.ok) throw new Error(`refund of ${chargeId} failed with ${response.status}`);
    },
  };
}

export type PaymentsClient = ReturnType<typeof createPaymentsClient>;
