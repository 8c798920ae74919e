// The third-party stub's faults, over real HTTP on loopback: sequences of answers, malformed
// bodies, dropped connections and slow answers, including clients that give up on them.
import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../../src/runtime/eventually.js';
import {
  addAnswer,
  type RunningDouble,
  recordedRequests,
  startThirdPartyStub,
} from '../../src/runtime/http-doubles.js';

describe('third-party stub', () => {
  let stub: RunningDouble;
  beforeEach(async () => {
    stub = await startThirdPartyStub();
  });
  afterEach(() => stub.close());

  const charge = () =>
    fetch(`${stub.url}/v1/charges`, { method: 'POST', body: JSON.stringify({ amount: 5 }) });

  it('uses answers in the order they were added: two 503s, then 200', async () => {
    await addAnswer(stub.url, { method: 'POST', path: '/v1/charges', status: 503, times: 2 });
    await addAnswer(stub.url, {
      method: 'POST',
      path: '/v1/charges',
      status: 200,
      body: { id: 1 },
    });
    const statuses = [];
    for (let attempt = 0; attempt < 4; attempt++) statuses.push((await charge()).status);
    expect(statuses).toEqual([503, 503, 200, 200]);
  });

  it('sends a raw body as it is, labelled as JSON', async () => {
    await addAnswer(stub.url, {
      method: 'POST',
      path: '/v1/charges',
      status: 200,
      rawBody: '{"id": 1,',
    });
    const response = await charge();
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.text()).toBe('{"id": 1,');
  });

  it('drops the connection without answering, and still records the request', async () => {
    await addAnswer(stub.url, { method: 'POST', path: '/v1/charges', status: 200, reset: true });
    await expect(charge()).rejects.toThrow('fetch failed');
    expect(await recordedRequests(stub.url)).toMatchObject([
      { method: 'POST', path: '/v1/charges', body: { amount: 5 } },
    ]);
  });

  it('answers after the delay', async () => {
    await addAnswer(stub.url, { method: 'POST', path: '/v1/charges', status: 201, delayMs: 80 });
    const started = performance.now();
    expect((await charge()).status).toBe(201);
    expect(performance.now() - started).toBeGreaterThanOrEqual(80);
  });

  it('carries on when a client gives up on a delayed answer', async () => {
    await addAnswer(stub.url, {
      method: 'POST',
      path: '/v1/charges',
      status: 201,
      delayMs: 100,
      times: 1,
    });
    await addAnswer(stub.url, { method: 'POST', path: '/v1/charges', status: 200 });
    await expect(
      fetch(`${stub.url}/v1/charges`, { method: 'POST', signal: AbortSignal.timeout(20) }),
    ).rejects.toThrow(/aborted/);
    // Past the delay: the stub found nobody to answer, and answers the next request as told.
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await charge()).status).toBe(200);
  });

  it('closes without waiting for a pending delayed answer', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout');
    const timersBefore = timers().length;
    await addAnswer(stub.url, {
      method: 'POST',
      path: '/v1/charges',
      status: 201,
      delayMs: 30_000,
    });
    const pending = new Promise<string>((resolve) => {
      const req = request(`${stub.url}/v1/charges`, { method: 'POST' }, () => resolve('answered'));
      req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      req.end();
    });
    await eventually(async () => expect(await recordedRequests(stub.url)).toHaveLength(1));
    const started = performance.now();
    await stub.close();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(await pending).toBe('ECONNRESET');
    // The delay's timer went with the stub rather than keep the process alive for 30 s.
    expect(timers()).toHaveLength(timersBefore);
  });
});
