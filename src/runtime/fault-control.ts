// Steering the fault proxies from tests. The proxies live in the process that started the system
// and tests run in worker processes, so the proxies are reached over a small HTTP server:
//   GET    /__seamtest/faults        every proxy's fault and counters, by boundary id
//   PUT    /__seamtest/faults/<id>   set a fault (JSON body)
//   DELETE /__seamtest/faults/<id>   clear one; DELETE /__seamtest/faults clears all
//   GET    /__seamtest/services           which services under test are running, which exited
//   POST   /__seamtest/services/restore   start again any service a fault left dead or deaf
// The client functions below are what a test calls.
import { createServer, type ServerResponse } from 'node:http';
import type { Fault, FaultProxy, FaultStats } from './fault-proxy.js';
import { listenOnLoopback, type RunningDouble, readBody } from './http-doubles.js';

const ROUTE = '/__seamtest/faults';
const SERVICES = '/__seamtest/services';
const RESTORE = `${SERVICES}/restore`;

export interface ControlHooks {
  /** Brings back services that stopped answering; returns their ids. */
  restoreServices?: () => Promise<string[]>;
  /** Each service under test: running, or how it exited. */
  serviceStates?: () => Record<string, ServiceState>;
}

export type ServiceState = { running: true } | { running: false; exit: string };

export type FaultReport = Record<string, { fault: Fault | null; stats: FaultStats }>;

export async function startFaultControl(
  proxies: Map<string, FaultProxy>,
  hooks: ControlHooks = {},
): Promise<RunningDouble> {
  const server = createServer(async (req, res) => {
    const raw = await readBody(req);
    if (raw === undefined) return;
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === ROUTE) return controlAll(proxies, req.method, res);
    if (path === SERVICES && req.method === 'GET')
      return answer(res, 200, hooks.serviceStates?.() ?? {});
    if (path === RESTORE && req.method === 'POST') {
      const restarted = await (hooks.restoreServices?.() ?? Promise.resolve([])).catch(
        (error: Error) => error,
      );
      return restarted instanceof Error
        ? answer(res, 500, { error: restarted.message })
        : answer(res, 200, restarted);
    }
    const id = path.startsWith(`${ROUTE}/`) ? decoded(path.slice(ROUTE.length + 1)) : undefined;
    if (id === undefined) return answer(res, 404, { error: `no route ${path}` });
    const proxy = proxies.get(id);
    if (proxy === undefined)
      return answer(res, 404, { error: `no fault proxy for boundary ${id}` });
    if (req.method === 'DELETE') {
      proxy.setFault(undefined);
      return answer(res, 204);
    }
    if (req.method === 'PUT') {
      const fault = faultFrom(parseJson(raw.toString('utf8')));
      if (fault === undefined) return answer(res, 400, { error: FAULT_SHAPES });
      proxy.setFault(fault);
      return answer(res, 204);
    }
    answer(res, 405, { error: `${req.method} is not allowed on ${path}` });
  });
  return listenOnLoopback(server);
}

function controlAll(
  proxies: Map<string, FaultProxy>,
  method: string | undefined,
  res: ServerResponse,
) {
  if (method === 'GET') {
    const report: FaultReport = {};
    for (const [id, proxy] of proxies) {
      report[id] = { fault: proxy.fault ?? null, stats: proxy.stats() };
    }
    return answer(res, 200, report);
  }
  if (method === 'DELETE') {
    for (const proxy of proxies.values()) proxy.setFault(undefined);
    return answer(res, 204);
  }
  answer(res, 405, { error: `${method} is not allowed on ${ROUTE}` });
}

function decoded(component: string): string | undefined {
  try {
    return decodeURIComponent(component);
  } catch {
    return undefined;
  }
}

function answer(res: ServerResponse, status: number, body?: unknown) {
  if (body === undefined) {
    res.writeHead(status);
    res.end();
  } else {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const FAULT_SHAPES =
  'not a fault; expected one of {"kind":"latency","ms":<number ≥ 0>}, {"kind":"stall"}, {"kind":"down"}, {"kind":"cut-on","match":"<case-insensitive regular expression>"}';

/** The fault `value` describes, checked field by field; undefined when it is not exactly one. */
export function faultFrom(value: unknown): Fault | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const fields = value as Record<string, unknown>;
  const keys = Object.keys(fields).sort().join(',');
  switch (fields.kind) {
    case 'latency': {
      const ms = fields.ms;
      return keys === 'kind,ms' && typeof ms === 'number' && Number.isFinite(ms) && ms >= 0
        ? { kind: 'latency', ms }
        : undefined;
    }
    case 'stall':
    case 'down':
      return keys === 'kind' ? { kind: fields.kind } : undefined;
    case 'cut-on': {
      const match = fields.match;
      return keys === 'kind,match' && typeof match === 'string' && match !== '' && compiles(match)
        ? { kind: 'cut-on', match }
        : undefined;
    }
    default:
      return undefined;
  }
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, 'i');
    return true;
  } catch {
    return false;
  }
}

// The test side.

/** Starts again every service that stopped answering; returns their ids. */
export async function restoreServices(controlUrl: string): Promise<string[]> {
  const response = await fetch(new URL(RESTORE, controlUrl), { method: 'POST' });
  const body = (await response.json()) as string[] | { error: string };
  if (!response.ok)
    throw new Error(`restoring the services failed: ${(body as { error: string }).error}`);
  return body as string[];
}

/** Each service under test: running, or how it exited (a fault may have killed it). */
export async function serviceStates(controlUrl: string): Promise<Record<string, ServiceState>> {
  const response = await fetch(new URL(SERVICES, controlUrl));
  if (!response.ok) throw new Error(`reading the services' states failed: ${response.status}`);
  return (await response.json()) as Record<string, ServiceState>;
}

export async function setFault(controlUrl: string, id: string, fault: Fault): Promise<void> {
  await control(controlUrl, 'PUT', id, fault);
}

export async function clearFault(controlUrl: string, id: string): Promise<void> {
  await control(controlUrl, 'DELETE', id);
}

export async function clearFaults(controlUrl: string): Promise<void> {
  await control(controlUrl, 'DELETE');
}

export async function faultStats(controlUrl: string): Promise<FaultReport> {
  return (await control(controlUrl, 'GET')) as FaultReport;
}

async function control(
  controlUrl: string,
  method: string,
  id?: string,
  fault?: Fault,
): Promise<unknown> {
  const path = id === undefined ? ROUTE : `${ROUTE}/${encodeURIComponent(id)}`;
  const response = await fetch(new URL(path, controlUrl), {
    method,
    ...(fault
      ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault) }
      : {}),
  });
  const text = await response.text();
  const body = text === '' ? undefined : parseJson(text);
  if (!response.ok) {
    const reason = (body as { error?: unknown } | undefined)?.error;
    throw new Error(
      typeof reason === 'string'
        ? reason
        : `fault control answered ${response.status} to ${method} ${path}`,
    );
  }
  return body;
}
