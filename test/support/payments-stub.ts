// A stand-in for the third-party payments provider: accepts charges and refunds and records
// every request it gets, so a test can check what the shop sent. `declineNext()` makes the next
// charge answer 402, as a card refusal does.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface PaymentsStub {
  url: string;
  requests: RecordedRequest[];
  declineNext(): void;
  close(): Promise<void>;
}

export async function startPaymentsStub(): Promise<PaymentsStub> {
  const requests: RecordedRequest[] = [];
  let charges = 0;
  let decline = false;
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => {
      raw += chunk.toString();
    });
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: raw ? JSON.parse(raw) : undefined,
      });
      res.setHeader('content-type', 'application/json');
      if (req.method === 'POST' && req.url === '/v1/charges' && decline) {
        decline = false;
        res.writeHead(402).end(JSON.stringify({ error: 'card_declined' }));
      } else if (req.method === 'POST' && req.url === '/v1/charges') {
        charges += 1;
        res.writeHead(201).end(JSON.stringify({ id: `ch_test_${charges}`, status: 'succeeded' }));
      } else if (req.method === 'POST' && req.url === '/v1/refunds') {
        res.writeHead(200).end(JSON.stringify({ status: 'refunded' }));
      } else {
        res.writeHead(404).end(JSON.stringify({ error: 'not found' }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    declineNext: () => {
      decline = true;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
