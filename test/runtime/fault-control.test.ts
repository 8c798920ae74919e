// The control server and its client, as a test in a worker process uses them: real HTTP on
// loopback to real proxies in front of an echo server.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  clearFault,
  clearFaults,
  faultFrom,
  faultStats,
  restoreServices,
  serviceStates,
  setFault,
  startFaultControl,
} from '../../src/runtime/fault-control.js';
import { type FaultProxy, startFaultProxy } from '../../src/runtime/fault-proxy.js';
import type { RunningDouble } from '../../src/runtime/http-doubles.js';
import { connectClient, type EchoServer, startEchoServer } from '../support/tcp.js';

const DB = 'orders->orders-db';
const CACHE = 'orders->redis';

describe('fault control', () => {
  let echo: EchoServer;
  let proxies: Map<string, FaultProxy>;
  let control: RunningDouble;
  beforeAll(async () => {
    echo = await startEchoServer();
    const target = { host: '127.0.0.1', port: echo.port };
    proxies = new Map([
      [DB, await startFaultProxy(target)],
      [CACHE, await startFaultProxy(target)],
    ]);
    control = await startFaultControl(proxies);
  });
  afterAll(async () => {
    await control.close();
    for (const proxy of proxies.values()) await proxy.close();
    await echo.close();
  });
  beforeEach(() => clearFaults(control.url));

  const proxy = (id: string) => proxies.get(id) as FaultProxy;

  it('sets and clears one boundary’s fault by its id', async () => {
    await setFault(control.url, DB, { kind: 'latency', ms: 20 });
    expect(proxy(DB).fault).toEqual({ kind: 'latency', ms: 20 });
    expect(proxy(CACHE).fault).toBeUndefined();
    await clearFault(control.url, DB);
    expect(proxy(DB).fault).toBeUndefined();
  });

  it('clears every boundary’s fault at once', async () => {
    await setFault(control.url, DB, { kind: 'stall' });
    await setFault(control.url, CACHE, { kind: 'cut-on', match: 'SET' });
    await clearFaults(control.url);
    expect([...proxies.values()].map((each) => each.fault)).toEqual([undefined, undefined]);
  });

  it('reports each boundary’s fault and counters', async () => {
    const client = await connectClient(proxy(CACHE).port);
    await client.roundTrip('PING');
    await setFault(control.url, DB, { kind: 'down' });
    const report = await faultStats(control.url);
    expect(report[DB]).toMatchObject({ fault: { kind: 'down' } });
    expect(report[CACHE]).toMatchObject({
      fault: null,
      stats: { connections: 1, open: 1, bytesUp: 4, bytesDown: 4, resets: 0, cuts: 0 },
    });
    client.socket.destroy();
  });

  it('names the boundary it has no proxy for', async () => {
    await expect(setFault(control.url, 'orders->nowhere', { kind: 'down' })).rejects.toThrow(
      'no fault proxy for boundary orders->nowhere',
    );
    await expect(clearFault(control.url, 'orders->nowhere')).rejects.toThrow(
      'no fault proxy for boundary orders->nowhere',
    );
  });

  it.each([
    ['not JSON', '{kind: down}'],
    ['no body', ''],
    ['an unknown kind', '{"kind":"slow"}'],
    ['latency without ms', '{"kind":"latency"}'],
    ['a negative latency', '{"kind":"latency","ms":-5}'],
    ['latency as text', '{"kind":"latency","ms":"100"}'],
    ['cut-on without a match', '{"kind":"cut-on","match":""}'],
    ['a misspelt field', '{"kind":"latency","msec":100}'],
    ['an extra field', '{"kind":"down","for":"5s"}'],
    ['an array', '[{"kind":"down"}]'],
  ])('rejects %s with 400 and leaves the fault as it was', async (_, body) => {
    const response = await fetch(`${control.url}/__seamtest/faults/${encodeURIComponent(DB)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/^not a fault/);
    expect(proxy(DB).fault).toBeUndefined();
  });

  it('reports the services’ states and restores them through the stack’s hooks', async () => {
    let orders: { running: true } | { running: false; exit: string } = {
      running: false,
      exit: 'exit code 1',
    };
    const withServices = await startFaultControl(new Map(), {
      serviceStates: () => ({ orders }),
      restoreServices: async () => {
        orders = { running: true };
        return ['orders'];
      },
    });
    try {
      expect(await serviceStates(withServices.url)).toEqual({
        orders: { running: false, exit: 'exit code 1' },
      });
      expect(await restoreServices(withServices.url)).toEqual(['orders']);
      expect(await serviceStates(withServices.url)).toEqual({ orders: { running: true } });
    } finally {
      await withServices.close();
    }
  });

  it('answers 404 off its routes and 405 for a method a route lacks', async () => {
    expect((await fetch(`${control.url}/__seamtest/elsewhere`)).status).toBe(404);
    expect((await fetch(`${control.url}/__seamtest/faults`, { method: 'PUT' })).status).toBe(405);
    const one = `${control.url}/__seamtest/faults/${encodeURIComponent(DB)}`;
    expect((await fetch(one)).status).toBe(405);
  });
});

describe('faultFrom', () => {
  it.each([
    { kind: 'latency', ms: 0 },
    { kind: 'latency', ms: 250 },
    { kind: 'stall' },
    { kind: 'down' },
    { kind: 'cut-on', match: 'INSERT INTO orders' },
  ])('accepts %j', (fault) => {
    expect(faultFrom(fault)).toEqual(fault);
  });

  it.each([
    null,
    'down',
    { kind: 'latency', ms: Number.NaN },
    { kind: 'latency', ms: Number.POSITIVE_INFINITY },
    { kind: 'cut-on', match: 42 },
  ])('rejects %j', (value) => {
    expect(faultFrom(value)).toBeUndefined();
  });
});
