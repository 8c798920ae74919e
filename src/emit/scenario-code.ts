// One scenario as the body of a test: its steps as statements. In the observation run each
// check records what the system did; in the suite each check asserts it, from the observation.
import type { Check, PlannedFault, PlanValue, Scenario, Step } from '../plan/model.js';
import { literal, pathCode, valueCode } from './code.js';
import { type Context, flattenContext, patternCode } from './oracle.js';

/** What the observation run recorded for one scenario. */
export interface ScenarioObservation {
  /** Check index → the value it saw. */
  checks: Record<number, unknown>;
  /** Check index → the variables in scope then, by name. */
  scopes: Record<number, Record<string, unknown>>;
  /** Producer answer field that holds the created id, by `$idOf` name. */
  idFields: Record<string, string>;
  tag: string;
  error?: string;
}

/** A check the system failed where a rule of the spec says it must pass. */
export interface Finding {
  scenario: string;
  rule: string;
  expected: string;
  observed: unknown;
}

export type Mode =
  | { kind: 'probe' }
  | { kind: 'final'; observation: ScenarioObservation; findings: Finding[] };

/** A stack frame, on a line of its own or escaped inside a JSON string. */
const STACK_TRACE = '/(\\n|\\\\n)\\s*at .+:\\d+:\\d+/';

/** A test's statements, split where what it arranges ends and what it checks begins. */
export interface ScenarioCode {
  arrange: string[];
  act: string[];
}

export function scenarioBody(scenario: Scenario, mode: Mode): ScenarioCode {
  const lines: string[] = [];
  let arrangeEnd = 0;
  const idOf = (ref: { $idOf: string; param: string; resource: string }) =>
    mode.kind === 'probe'
      ? `idOf(${ref.$idOf}.body, ${literal(ref.param)}, ${literal(ref.resource)}, ${literal(scenario.id)}, ${literal(ref.$idOf)})`
      : `${ref.$idOf}.body.${mode.observation.idFields[ref.$idOf] ?? 'id'}`;
  const value = (planned: PlanValue) => valueCode(planned, idOf);
  const variables: string[] = [];
  let checkIndex = 0;
  /** A unique value a later check compares with (who the token is for, the request id) gets a name. */
  const named = (planned: PlanValue): string => {
    if (
      planned === null ||
      typeof planned !== 'object' ||
      !('$unique' in planned) ||
      typeof planned.$unique !== 'string'
    )
      return value(planned);
    const name = camel(planned.$unique === 'request' ? 'request-id' : planned.$unique);
    if (!variables.includes(name)) {
      lines.push(`const ${name} = system.unique(${literal(planned.$unique)});`);
      variables.push(name);
    }
    return name;
  };
  const record = (index: number, expression: string) => {
    lines.push(
      `await observe(${literal(scenario.id)}, ${index}, ${expression}, { ${variables.join(', ')} }, system.tag);`,
    );
  };
  for (const step of scenario.steps) {
    switch (step.kind) {
      case 'seed':
        lines.push(
          `const ${step.as} = await system.seed(${literal(step.dependency)}, ${literal(step.table)}, ${step.factory}Row(system${step.overrides ? `, ${value(step.overrides)}` : ''}));`,
        );
        variables.push(step.as);
        break;
      case 'answer': {
        const fields = [
          `method: ${literal(step.method)}`,
          `path: ${literal(step.path)}`,
          `status: ${step.status}`,
          ...(step.body === undefined ? [] : [`body: ${value(step.body)}`]),
          ...(step.rawBody === undefined ? [] : [`rawBody: ${literal(step.rawBody)}`]),
          ...(step.times === undefined ? [] : [`times: ${step.times}`]),
          ...(step.delayMs === undefined ? [] : [`delayMs: ${step.delayMs}`]),
          ...(step.reset ? ['reset: true'] : []),
        ];
        lines.push(
          `await system.thirdParty(${literal(step.thirdParty)}).answer({ ${fields.join(', ')} });`,
        );
        break;
      }
      case 'fault':
        lines.push(`await system.fault(${literal(step.boundary)}, ${faultCode(step.fault)});`);
        break;
      case 'clear-faults':
        lines.push('await system.clearFaults();');
        break;
      case 'republish':
        lines.push(
          `await system.republish(${literal(step.dependency)}, ${literal(step.exchange)}, ${literal(step.routingKey)});`,
        );
        break;
      case 'token': {
        const subject = named(step.subject);
        const options = [
          `subject: ${subject}`,
          `scopes: ${JSON.stringify(step.scopes).replaceAll('"', "'").replaceAll(',', ', ')}`,
        ];
        if (step.variant === 'expired') options.push('expiresIn: -60');
        if (step.variant === 'wrong-secret') options.push(`secret: 'not-the-services-secret'`);
        lines.push(
          `const ${step.as} = system.token(${literal(step.secret)}, { ${options.join(', ')} });`,
        );
        variables.push(step.as);
        break;
      }
      case 'call': {
        const bodyName = step.as === 'response' ? 'body' : `${step.as}Body`;
        // Racing calls each send their own body, so values made per call (ids) differ between them.
        if (step.body !== undefined && !step.concurrent && !step.reuseBodyOf) {
          lines.push(`const ${bodyName} = ${value(step.body)};`);
          variables.push(bodyName);
        }
        const headers: string[] = Object.entries(step.headers ?? {}).map(
          ([name, header]) => `${literal(name)}: ${named(header)}`,
        );
        if (step.authorization !== undefined)
          headers.push(`authorization: ${literal(step.authorization)}`);
        const options = [
          ...(step.token ? [step.token === 'token' ? 'token' : `token: ${step.token}`] : []),
          ...(step.body !== undefined && step.concurrent ? [`body: ${value(step.body)}`] : []),
          ...(step.reuseBodyOf ? [`body: ${step.reuseBodyOf}Body`] : []),
          ...(step.body !== undefined && !step.concurrent && !step.reuseBodyOf
            ? [bodyName === 'body' ? 'body' : `body: ${bodyName}`]
            : []),
          ...(step.rawBody !== undefined ? [`rawBody: ${literal(step.rawBody)}`] : []),
          ...(headers.length > 0 ? [`headers: { ${headers.join(', ')} }`] : []),
          ...(step.timeoutMs ? [`timeoutMs: ${step.timeoutMs}`] : []),
        ];
        const call = `system.call(${literal(step.service)}, ${literal(step.method)}, ${pathCode(step.path, idOf)}${options.length > 0 ? `, { ${options.join(', ')} }` : ''})`;
        if (step.concurrent) {
          lines.push(
            `const ${step.as} = await Promise.all(Array.from({ length: ${step.concurrent} }, () => ${call}));`,
          );
        } else if (step.until) {
          lines.push(`const ${step.as} = await system.callUntil(() => ${call}, ${step.until});`);
        } else lines.push(`const ${step.as} = await ${call};`);
        variables.push(step.as);
        break;
      }
      case 'checkpoint':
        lines.push('await system.checkpoint();');
        arrangeEnd = lines.length;
        break;
      case 'publish':
        lines.push(
          `await system.publish(${literal(step.dependency)}, ${literal(step.exchange)}, ${literal(step.routingKey)}, ${value(step.body)});`,
        );
        break;
      case 'check': {
        const index = checkIndex++;
        if (mode.kind === 'probe') record(index, observedExpression(step.check, idOf));
        else lines.push(...assertion(scenario, step.check, index, mode));
        break;
      }
    }
  }
  return { arrange: lines.slice(0, arrangeEnd), act: lines.slice(arrangeEnd) };
}

/**
 * What a finding shows: a status of 0 means no answer, so the evidence says so, and which service
 * had exited. The socket error itself (reset or refused) varies from run to run, and findings.md
 * must not change when the system did not.
 */
function evidence(check: Check, observed: unknown, scope: Record<string, unknown>): unknown {
  if ((check.kind !== 'status' && check.kind !== 'outage-status') || observed !== 0)
    return observed;
  const text = (scope[check.call] as { text?: unknown } | undefined)?.text;
  const exited = typeof text === 'string' ? text.split('; ').slice(1) : [];
  return ['no answer', ...exited].join('; ');
}

/** What the observation run records for a check. */
function observedExpression(check: Check, idOfFor: Parameters<typeof pathCode>[1]): string {
  switch (check.kind) {
    case 'status':
      return `${check.call}.status`;
    case 'statuses':
      return `${check.call}.map((answer) => answer.status).sort()`;
    case 'body':
      return `${check.call}.body`;
    case 'headers':
      return `${check.call}.headers`;
    case 'no-stack-trace':
      return `${check.call}.text`;
    case 'rows':
      return `await system.changes(${literal(check.dependency)})`;
    case 'messages':
      return `await settledMessages(system, ${literal(check.exchange)})`;
    case 'forwarded':
      return `await system.received(${literal(check.service)})`;
    case 'third-party-requests':
      return `await system.thirdParty(${literal(check.thirdParty)}).requests()`;
    case 'cache':
      return `await cacheEntry(system, ${literal(check.dependency)}, ${pathCode(check.key, idOfFor)})`;
    case 'eventually-rows':
      return `await settledChanges(system, ${literal(check.dependency)})`;
    case 'queue-drained':
      return `await settledQueue(system, ${literal(check.queue)})`;
    case 'elapsed':
      return `${check.call}.durationMs`;
    case 'attempts':
      return `await system.thirdParty(${literal(check.thirdParty)}).attempts(${literal(check.method)}, ${literal(check.path)})`;
    case 'received-once':
      return `await system.repeatedRequests(${literal(check.service)})`;
    case 'outage-status':
      return `${check.call}.status`;
    case 'fault-fired':
      return `await system.faultFired(${literal(check.boundary)})`;
    case 'settled-no-rows':
      return `await system.changesOnceQuiet(${literal(check.dependency)})`;
  }
}

function faultCode(fault: PlannedFault): string {
  switch (fault.kind) {
    case 'cut-on':
      return `{ kind: 'cut-on', match: ${literal(fault.match)} }`;
    case 'latency':
      return `{ kind: 'latency', ms: ${fault.ms} }`;
    default:
      return `{ kind: ${literal(fault.kind)} }`;
  }
}

/** Why a scenario cannot be kept although it ran: the fault it injects never happened. */
export function unplayable(
  scenario: Scenario,
  observation: ScenarioObservation,
): string | undefined {
  let index = 0;
  for (const step of scenario.steps) {
    if (step.kind !== 'check') continue;
    const observed = observation.checks[index++];
    if (step.check.kind === 'fault-fired' && observed !== true)
      return `the fault on ${step.check.boundary} never acted: the statement it waits for did not cross`;
    if (step.check.kind === 'attempts' && Array.isArray(observed) && observed.length === 0)
      return `${step.check.thirdParty} was never called ${step.check.method} ${step.check.path} on this route`;
  }
  return undefined;
}

function assertion(
  scenario: Scenario,
  check: Check,
  index: number,
  mode: Extract<Mode, { kind: 'final' }>,
): string[] {
  const observed = mode.observation.checks[index];
  const scope = mode.observation.scopes[index] ?? {};
  const tag = mode.observation.tag;
  // Answers of racing calls come in any order: `responses[3]` may not be the winner next time.
  const racing = scenario.steps.flatMap((step) =>
    step.kind === 'call' && step.concurrent ? [step.as] : [],
  );
  const contextFor = (exclude: string): Context =>
    flattenContext(
      Object.fromEntries(
        Object.entries(scope).filter(([name]) => name !== exclude && !racing.includes(name)),
      ),
    );
  const idOf = (ref: { $idOf: string }) =>
    `${ref.$idOf}.body.${mode.observation.idFields[ref.$idOf] ?? 'id'}`;
  const finding = (rule: string, expected: string) =>
    mode.findings.push({
      scenario: scenario.id,
      rule,
      expected,
      observed: evidence(check, observed, scope),
    });
  switch (check.kind) {
    case 'status': {
      const serverError = typeof observed === 'number' && observed >= 500 && check.status < 500;
      // A request planned to succeed that did not is never written down as the expected answer:
      // either the system is broken or seamtest could not build valid input; both need a person.
      const failedSuccess =
        isSuccess(check.status) && !(typeof observed === 'number' && isSuccess(observed));
      const rule =
        check.rule ??
        (failedSuccess
          ? 'succeeds-with-valid-input'
          : serverError
            ? 'no-server-error-on-client-error'
            : undefined);
      if (observed !== check.status && rule) finding(rule, `status ${check.status}`);
      const expected = rule ? check.status : observed;
      return [`expect(${check.call}.status).toBe(${expected});`];
    }
    case 'statuses': {
      const statuses = (observed ?? []) as number[];
      if (statuses.some((status) => status >= 500))
        finding('no-server-error-on-client-error', 'no 5xx when requests race');
      if (check.rule && statuses.filter(isSuccess).length !== 1)
        finding(check.rule, 'exactly one request succeeds');
      return [
        `expect(${check.call}.map((answer) => answer.status).sort()).toEqual(${JSON.stringify(statuses.map((status) => (status >= 500 ? 409 : status)))});`,
      ];
    }
    case 'headers': {
      // Only headers that carry something the test sent: the rest (date, length) say nothing.
      const context = contextFor(check.call);
      const derived = Object.entries((observed ?? {}) as Record<string, unknown>).flatMap(
        ([name, value]) => {
          const source = context.find(
            (entry) => entry.value === value && typeof value === 'string' && value.includes(tag),
          );
          return source
            ? [`expect(${check.call}.headers[${literal(name)}]).toBe(${source.expression});`]
            : [];
        },
      );
      return derived;
    }
    case 'body':
      if (observed === undefined) return [];
      return [
        `expect(${check.call}.body).toMatchObject(${patternCode(observed, contextFor(check.call), tag)});`,
      ];
    case 'no-stack-trace':
      if (typeof observed === 'string' && new RegExp(STACK_TRACE.slice(1, -1)).test(observed))
        finding(check.rule, 'no stack trace in the body');
      return [`expect(${check.call}.text).not.toMatch(${STACK_TRACE});`];
    case 'rows': {
      const name = `${camel(check.dependency)}Changes`;
      const changes = (observed ?? {}) as Record<string, unknown>;
      if (check.rule && Object.keys(changes).length > 0)
        finding(check.rule, `no changes in ${check.dependency}`);
      if (check.rule)
        return [`expect(await system.changes(${literal(check.dependency)})).toEqual({});`];
      return [
        `const ${name} = await system.changes(${literal(check.dependency)});`,
        `expect(${name}).toMatchObject(${patternCode(changes, contextFor(''), tag)});`,
        `expect(Object.keys(${name}).sort()).toEqual(${JSON.stringify(Object.keys(changes).sort()).replaceAll('"', "'").replaceAll(',', ', ')});`,
      ];
    }
    case 'messages': {
      const messages = (observed ?? []) as {
        routingKey: string;
        body: unknown;
        headers: Record<string, unknown>;
        persistent: boolean;
      }[];
      if (check.rule && messages.length > 0) finding(check.rule, `no message on ${check.exchange}`);
      if (check.rule) return [`expect(system.messages(${literal(check.exchange)})).toEqual([]);`];
      const pattern = messages.map((message) => ({
        routingKey: message.routingKey,
        body: message.body,
        headers: message.headers,
        persistent: message.persistent,
      }));
      return [
        `await eventually(() => expect(system.messages(${literal(check.exchange)})).toMatchObject(${patternCode(pattern, contextFor(''), tag)}));`,
      ];
    }
    case 'forwarded': {
      const requests = (observed ?? []) as { headers: Record<string, unknown> }[];
      const expected = check.headers.map(
        (header) =>
          `${literal(header.name)}: ${header.name === 'x-request-id' ? 'requestId' : valueCode(header.equals, idOf)}`,
      );
      const violated =
        requests.length === 0 ||
        requests.some((request) =>
          check.headers.some((header) => {
            const wanted =
              header.name === 'authorization'
                ? `Bearer ${scope.token}`
                : header.name === 'x-request-id'
                  ? scope.requestId
                  : undefined;
            return wanted !== undefined && request.headers[header.name] !== wanted;
          }),
        );
      if (violated)
        finding(
          check.rule,
          `every request to ${check.service} carries ${check.headers.map((header) => header.name).join(' and ')}`,
        );
      const crossed = (observed ?? []) as { method: string; path: string; body: unknown }[];
      const pattern = crossed.map((request) => ({
        method: request.method,
        path: request.path,
        ...(request.body === undefined ? {} : { body: request.body }),
      }));
      return [
        `const ${camel(check.service)}Received = await system.received(${literal(check.service)});`,
        `expect(${camel(check.service)}Received).toMatchObject(${patternCode(pattern, contextFor(''), tag)});`,
        `for (const request of ${camel(check.service)}Received) expect(request.headers).toMatchObject({ ${expected.join(', ')} });`,
      ];
    }
    case 'third-party-requests': {
      const requests = (observed ?? []) as {
        method: string;
        path: string;
        headers: Record<string, unknown>;
        body: unknown;
      }[];
      const pattern = requests.map((request) => ({
        method: request.method,
        path: request.path,
        headers: pick(request.headers, ['idempotency-key', 'x-request-id', 'content-type']),
        body: request.body,
      }));
      return [
        `expect(await system.thirdParty(${literal(check.thirdParty)}).requests()).toMatchObject(${patternCode(pattern, contextFor(''), tag)});`,
      ];
    }
    case 'cache': {
      const entry = observed as { value: unknown; ttl: number } | undefined;
      const key = pathCode(check.key, idOf);
      if (!entry || entry.value === null)
        return [
          `expect(await system.cache(${literal(check.dependency)}).exists(${key})).toBe(false);`,
        ];
      const lines = [
        `const cached = await system.cache(${literal(check.dependency)}).get(${key});`,
        `expect(JSON.parse(cached ?? 'null')).toMatchObject(${patternCode(entry.value, contextFor(''), tag)});`,
      ];
      if (entry.ttl > 0)
        lines.push(
          `expect(await system.cache(${literal(check.dependency)}).ttl(${key})).toBeGreaterThan(0);`,
        );
      return lines;
    }
    case 'queue-drained': {
      if (observed !== 0) finding('drops-unreadable-messages', `${check.queue} empties`);
      return [
        `await eventually(async () => expect(await system.queueDepth(${literal(check.queue)})).toBe(0));`,
      ];
    }
    case 'elapsed': {
      const took = Number(observed);
      if (!(took >= check.atLeastMs && took <= check.atMostMs))
        finding(check.rule, `an answer after ${check.atLeastMs}–${check.atMostMs} ms`);
      return [
        `expect(${check.call}.durationMs).toBeGreaterThanOrEqual(${check.atLeastMs});`,
        `expect(${check.call}.durationMs).toBeLessThanOrEqual(${check.atMostMs});`,
      ];
    }
    case 'attempts': {
      const attempts = (observed ?? []) as { at: number; headers: Record<string, unknown> }[];
      const gapsOk = check.backoffMs.every(
        (gap, index) =>
          (attempts[index + 1]?.at ?? Number.POSITIVE_INFINITY) - (attempts[index]?.at ?? 0) >= gap,
      );
      const sameOk = check.sameHeaders.every(
        (name) =>
          new Set(attempts.map((attempt) => attempt.headers[name])).size === 1 &&
          attempts[0]?.headers[name] !== undefined,
      );
      if (attempts.length !== check.count || !gapsOk || !sameOk)
        finding(
          check.rule,
          `${check.count} attempts, ${check.backoffMs.join(', ') || 'no'} ms apart at least${check.sameHeaders.length > 0 ? `, one ${check.sameHeaders.join(' and one ')}` : ''}`,
        );
      const name = `${camel(check.thirdParty)}Attempts`;
      const lines = [
        `const ${name} = await system.thirdParty(${literal(check.thirdParty)}).attempts(${literal(check.method)}, ${literal(check.path)});`,
        `expect(${name}).toHaveLength(${check.count});`,
      ];
      if (check.backoffMs.length > 0)
        lines.push(
          `// Each retry waits at least the configured backoff.`,
          `for (const [retry, wait] of ${JSON.stringify(check.backoffMs).replaceAll(',', ', ')}.entries())`,
          `  expect(${name}[retry + 1]?.at ?? 0).toBeGreaterThanOrEqual((${name}[retry]?.at ?? 0) + wait);`,
        );
      for (const header of check.sameHeaders)
        lines.push(
          `expect(new Set(${name}.map((attempt) => attempt.headers[${literal(header)}])).size).toBe(1);`,
          `expect(${name}[0]?.headers[${literal(header)}]).toBeTruthy();`,
        );
      return lines;
    }
    case 'received-once': {
      if (Array.isArray(observed) && observed.length > 0)
        finding(check.rule, `no request sent to ${check.service} twice`);
      return [`expect(await system.repeatedRequests(${literal(check.service)})).toEqual([]);`];
    }
    case 'outage-status': {
      const status = Number(observed);
      const expected = check.status ?? check.fallback;
      if (expected !== undefined) {
        if (status !== expected) finding(check.rule, `status ${expected}`);
        return [`expect(${check.call}.status).toBe(${expected});`];
      }
      if (status >= 500 && status < 600) return [`expect(${check.call}.status).toBe(${status});`];
      finding(check.rule, 'a 5xx answer');
      return [
        `expect(${check.call}.status).toBeGreaterThanOrEqual(500);`,
        `expect(${check.call}.status).toBeLessThan(600);`,
      ];
    }
    case 'fault-fired':
      return [`expect(await system.faultFired(${literal(check.boundary)})).toBe(true);`];
    case 'settled-no-rows': {
      const changes = (observed ?? {}) as Record<string, unknown>;
      if (Object.keys(changes).length > 0) finding(check.rule, `no changes in ${check.dependency}`);
      return [`expect(await system.changesOnceQuiet(${literal(check.dependency)})).toEqual({});`];
    }
    case 'eventually-rows': {
      const changes = (observed ?? {}) as Record<string, unknown>;
      return [
        `await eventually(async () => expect(await system.changes(${literal(check.dependency)})).toMatchObject(${patternCode(changes, contextFor(''), tag)}));`,
      ];
    }
  }
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

function pick(headers: Record<string, unknown>, names: string[]): Record<string, unknown> {
  return Object.fromEntries(
    names.filter((name) => name in headers).map((name) => [name, headers[name]]),
  );
}

export function camel(text: string): string {
  return text
    .replace(/[^A-Za-z0-9]+([A-Za-z0-9])/g, (_, letter: string) => letter.toUpperCase())
    .replace(/^[^A-Za-z]+/, '');
}

export function stepsUse(scenario: Scenario, test: (step: Step) => boolean): boolean {
  return scenario.steps.some(test);
}
