// Outbound HTTP with axios and got: `axios.get(url, config)`, `axios.post(url, data, config)`,
// `axios({ method, url })`, `got(url, options)`, `got.post(url, { json })`, and instances made by
// `axios.create({ baseURL, timeout, headers })` or `got.extend({ prefixUrl, timeout })` whose
// calls resolve against the instance's base URL, timeout and headers.
import type * as TS from 'typescript';
import { ts } from '../typescript.js';
import { propertyOf } from './analysis/calls.js';
import { callExpressionsOf } from './analysis/file-nodes.js';
import type { StaticString } from './analysis/strings.js';
import { unwrap } from './analysis/values.js';
import { configured } from './configured.js';
import { sentHeaders } from './sent-headers.js';
import type { Configured, DetectContext, Detector } from './types.js';

const BODYLESS = new Set(['get', 'delete', 'head', 'options']);
const WITH_BODY = new Set(['post', 'put', 'patch']);

/** How each library spells the same things. */
interface Flavour {
  module: string;
  create: string;
  base: string;
  /** `got(url, options)` takes the URL first; `axios(config)` a config with `url`. */
  directUrl: boolean;
  /** Where the options are for a method call: got always second, axios after a body. */
  optionsIndex: (method: string) => number;
}

const FLAVOURS: Flavour[] = [
  {
    module: 'axios',
    create: 'create',
    base: 'baseURL',
    directUrl: false,
    optionsIndex: (method) => (WITH_BODY.has(method) ? 2 : 1),
  },
  { module: 'got', create: 'extend', base: 'prefixUrl', directUrl: true, optionsIndex: () => 1 },
];

export const axiosDetector: Detector = {
  name: 'axios',
  enabledBy: FLAVOURS.map((flavour) => flavour.module),
  detect(ctx) {
    const visit = (node: TS.Node): void => {
      if (ts.isCallExpression(node)) readCall(ctx, node);
    };
    for (const node of callExpressionsOf(ctx.file.ast)) visit(node);
  },
};

interface Client {
  flavour: Flavour;
  /** The `axios.create({ … })` / `got.extend({ … })` config, for instances. */
  defaults: TS.ObjectLiteralExpression | undefined;
}

function clientOf(ctx: DetectContext, expression: TS.Expression): Client | undefined {
  const value = ctx.values.valueOf(expression);
  const flavour =
    value?.kind === 'library'
      ? FLAVOURS.find((candidate) => candidate.module === value.module)
      : undefined;
  if (!flavour || value?.kind !== 'library') return undefined;
  const path = value.path.join(',');
  if (path === '' || path === 'default') return { flavour, defaults: undefined };
  if (path === `${flavour.create},()` && value.site && ts.isCallExpression(value.site)) {
    const config = value.site.arguments[0] && unwrap(value.site.arguments[0]);
    return {
      flavour,
      defaults: config && ts.isObjectLiteralExpression(config) ? config : undefined,
    };
  }
  return undefined;
}

function readCall(ctx: DetectContext, call: TS.CallExpression): void {
  const callee = call.expression;
  // axios(config) or instance(config)
  const direct = clientOf(ctx, callee);
  if (direct) {
    const config = objectOf(call.arguments[direct.flavour.directUrl ? 1 : 0]);
    const method = (config && literal(ctx, propertyOf(config, 'method')))?.toUpperCase() ?? 'GET';
    const url = direct.flavour.directUrl ? call.arguments[0] : config && propertyOf(config, 'url');
    report(ctx, call, direct, method, url, config);
    return;
  }
  if (!ts.isPropertyAccessExpression(callee)) return;
  const client = clientOf(ctx, callee.expression);
  if (!client) return;
  const name = callee.name.text;
  if (name === 'request') {
    const config = objectOf(call.arguments[0]);
    const method = (config && literal(ctx, propertyOf(config, 'method')))?.toUpperCase() ?? 'GET';
    report(ctx, call, client, method, config && propertyOf(config, 'url'), config);
  } else if (BODYLESS.has(name) || WITH_BODY.has(name)) {
    const config = objectOf(call.arguments[client.flavour.optionsIndex(name)]);
    report(ctx, call, client, name.toUpperCase(), call.arguments[0], config);
  }
}

function report(
  ctx: DetectContext,
  call: TS.CallExpression,
  client: Client,
  method: string,
  urlArgument: TS.Expression | undefined,
  config: TS.ObjectLiteralExpression | undefined,
): void {
  const path = urlArgument && ctx.strings.evaluate(urlArgument);
  const base = client.defaults && propertyOf(client.defaults, client.flavour.base);
  const baseValue = base && ctx.strings.evaluate(base);
  const url: StaticString | undefined =
    path && (baseValue ? { parts: [...baseValue.parts, ...path.parts] } : path);
  if (!url && urlArgument) {
    ctx.unrecognised(
      'unknown-url',
      `URL \`${urlArgument.getText().slice(0, 80)}\` is not known statically`,
      urlArgument,
    );
  }
  // got: `timeout: { request: ms }`; axios: `timeout: ms`.
  const timeoutOption = propertyOf(config, 'timeout') ?? propertyOf(client.defaults, 'timeout');
  const timeout = propertyOf(timeoutOption && unwrap(timeoutOption), 'request') ?? timeoutOption;
  const timeoutMs: Configured | undefined = timeout && configured(ctx, timeout);
  ctx.report({
    kind: 'http-call',
    library: client.flavour.module,
    method,
    url,
    headers: [
      ...sentHeaders(ctx, propertyOf(client.defaults, 'headers')),
      ...sentHeaders(ctx, propertyOf(config, 'headers')),
    ],
    ...(timeoutMs ? { timeoutMs } : {}),
    outcomes: [],
    node: call.expression,
  });
}

function objectOf(expression: TS.Expression | undefined): TS.ObjectLiteralExpression | undefined {
  const node = expression && unwrap(expression);
  return node && ts.isObjectLiteralExpression(node) ? node : undefined;
}

function literal(ctx: DetectContext, expression: TS.Expression | undefined): string | undefined {
  return expression ? ctx.strings.literal(expression) : undefined;
}
