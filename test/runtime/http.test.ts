// The test-side HTTP client against a real server on loopback: what a call that gets no answer
// returns, and how callUntil waits for a recovery and stops waiting for a dead service.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callUntil, httpCall } from '../../src/runtime/http.js';

describe('httpCall and callUntil', () => {
  let server: Server;
  let url: string;
  let calls = 0;
  beforeAll(async () => {
    // Fails twice, then answers: a service recovering once its dependency is back.
    server = createServer((_req, res) => {
      calls += 1;
      res.statusCode = calls <= 2 ? 503 : 200;
      res.end(JSON.stringify({ calls }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('repeats a call until it answers the status', async () => {
    const answer = await callUntil(() => httpCall(url, 'GET', '/'), 200);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ calls: 3 });
  });

  it('answers status 0 with the cause when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const answer = await httpCall(`http://127.0.0.1:${port}`, 'GET', '/');
    expect(answer.status).toBe(0);
    expect(answer.text).toMatch(/ECONNREFUSED/);

    // A dead service will not come back mid-test: callUntil stops at the first hopeless answer.
    let asked = 0;
    const given = await callUntil(() => httpCall(`http://127.0.0.1:${port}`, 'GET', '/'), 200, {
      givesUp: async () => {
        asked += 1;
        return true;
      },
    });
    expect(given.status).toBe(0);
    expect(asked).toBe(1);
  });
});
