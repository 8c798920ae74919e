// How the code handles each kind of answer to an outbound HTTP call: which statuses it checks and
// what it does with them (returns, translates into its own HTTP error, rethrows, retries), what
// happens on a timeout or a connection error, and the retry policy around the call.
import type * as TS from 'typescript';
import type { Configured, Location } from '../../map/model.js';
import { ts } from '../../typescript.js';
import { configured } from '../configured.js';
import type { DetectContext } from '../types.js';
import { unwrap } from './values.js';

export interface OutcomeFact {
  when: string;
  handling: 'success' | 'translated' | 'retried' | 'rethrown';
  status?: number;
  code?: string;
  at: Location;
}

export interface RetryFact {
  maxRetries: Configured;
  backoff: 'none' | 'fixed' | 'exponential';
  baseDelayMs?: Configured;
  retryOn: string[];
  at: Location;
}

/** A retry loop: the errors it retries and what it throws once it gives up. */
interface RetryLoop {
  loop: TS.IterationStatement;
  retried: Set<string>;
  onTimeout?: TS.ThrowStatement;
  otherwise?: TS.ThrowStatement;
  maxRetries?: Configured;
  delay?: TS.Expression;
}

export function callOutcomes(
  ctx: DetectContext,
  fetchCall: TS.CallExpression,
  site: TS.CallExpression | undefined,
): { outcomes: OutcomeFact[]; retry?: RetryFact } {
  const call = site ?? fetchCall;
  const wrapper = retryWrapper(call);
  const loop = wrapper ? retryLoop(ctx, wrapper) : undefined;
  const outcomes: OutcomeFact[] = [];
  // Answers checked where fetch is called, then where its result lands (helper or wrapper).
  const covered = new Set<string>();
  outcomes.push(...responseChecks(ctx, fetchCall, covered, loop, false));
  if (call !== fetchCall || wrapper)
    outcomes.push(...responseChecks(ctx, wrapper ?? call, covered, loop, true));
  outcomes.push(...exceptionOutcomes(ctx, fetchCall, loop));
  const retried = outcomes.filter((outcome) => outcome.handling === 'retried');
  const retry =
    loop && retried.length > 0 && loop.maxRetries
      ? {
          maxRetries: loop.maxRetries,
          ...backoffOf(ctx, loop.delay),
          retryOn: [...new Set(retried.map((outcome) => outcome.when))].sort(),
          at: ctx.locate(loop.loop),
        }
      : undefined;
  return { outcomes: outcomes.sort(byWhen), ...(retry ? { retry } : {}) };
}

const WHEN_ORDER = ['2xx', '4xx', '5xx', 'other', 'timeout', 'connection-error'];

/** Statuses in ascending order, then the classes, then failures without an answer. */
export function byWhen(a: { when: string }, b: { when: string }): number {
  const rank = (when: string) =>
    /^\d+$/.test(when) ? Number(when) : 1000 + WHEN_ORDER.indexOf(when);
  return rank(a.when) - rank(b.when) || a.when.localeCompare(b.when);
}

/** The variable a call's response is kept in, and the function that checks it. */
function responseHolder(
  call: TS.Expression,
): { name: string; statement: TS.Statement; body: TS.Block } | undefined {
  let node: TS.Node = call;
  while (
    ts.isAwaitExpression(node.parent) ||
    ts.isParenthesizedExpression(node.parent) ||
    ts.isAsExpression(node.parent)
  ) {
    node = node.parent;
  }
  const holder = node.parent;
  let name: string | undefined;
  if (holder && ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name))
    name = holder.name.text;
  if (holder && ts.isBinaryExpression(holder) && ts.isIdentifier(holder.left))
    name = holder.left.text;
  if (!name) return undefined;
  let statement: TS.Node = holder;
  while (statement.parent && !ts.isBlock(statement.parent)) statement = statement.parent;
  // A call inside a `try` keeps its checks after the try statement.
  if (ts.isBlock(statement.parent) && ts.isTryStatement(statement.parent.parent)) {
    statement = statement.parent.parent;
  }
  const block = statement.parent;
  return block && ts.isBlock(block) && ts.isStatement(statement)
    ? { name, statement, body: block }
    : undefined;
}

function responseChecks(
  ctx: DetectContext,
  call: TS.Expression,
  covered: Set<string>,
  loop: RetryLoop | undefined,
  final: boolean,
): OutcomeFact[] {
  const holder = responseHolder(call);
  if (!holder) return [];
  const outcomes: OutcomeFact[] = [];
  const after = holder.body.statements.slice(holder.body.statements.indexOf(holder.statement) + 1);
  for (const statement of after) {
    if (ts.isIfStatement(statement)) {
      const checked = conditionOf(statement.expression, holder.name, covered);
      if (!checked) continue;
      const branch = firstStatement(statement.thenStatement);
      const result = branch && handlingOf(ctx, branch, loop);
      for (const when of checked.whens) {
        if (result) {
          const final = result.outcome.handling === 'retried' ? exhaustion(ctx, loop, when) : {};
          const at = ctx.locate(
            result.outcome.handling === 'success' ? statement : (branch ?? statement),
          );
          outcomes.push({ when, ...result.outcome, ...final, at });
        }
        covered.add(when);
      }
      for (const when of checked.otherwiseSuccess) {
        outcomes.push({ when, handling: 'success', at: ctx.locate(statement) });
        covered.add(when);
      }
    } else if (ts.isThrowStatement(statement) && final && !covered.has('other')) {
      const result = handlingOf(ctx, statement, loop);
      if (result) outcomes.push({ when: 'other', ...result.outcome, at: ctx.locate(statement) });
      covered.add('other');
    }
  }
  return outcomes;
}

interface Checked {
  whens: string[];
  /** Answers that fall through a negative check, e.g. 204 in `status !== 204 && …`. */
  otherwiseSuccess: string[];
}

function conditionOf(
  condition: TS.Expression,
  name: string,
  covered: Set<string>,
): Checked | undefined {
  const node = unwrap(condition);
  const status = (expression: TS.Expression) => {
    const inner = unwrap(expression);
    return (
      ts.isPropertyAccessExpression(inner) &&
      inner.name.text === 'status' &&
      inner.expression.getText() === name
    );
  };
  const okRead = (expression: TS.Expression) => {
    const inner = unwrap(expression);
    return (
      ts.isPropertyAccessExpression(inner) &&
      inner.name.text === 'ok' &&
      inner.expression.getText() === name
    );
  };
  if (
    ts.isPrefixUnaryExpression(node) &&
    node.operator === ts.SyntaxKind.ExclamationToken &&
    okRead(node.operand)
  ) {
    return { whens: [covered.has('5xx') ? '4xx' : 'other'], otherwiseSuccess: ['2xx'] };
  }
  if (okRead(node)) return { whens: ['2xx'], otherwiseSuccess: [] };
  if (!ts.isBinaryExpression(node)) return undefined;
  const operator = node.operatorToken.kind;
  if (operator === ts.SyntaxKind.BarBarToken) {
    const left = conditionOf(node.left, name, covered);
    const right = conditionOf(node.right, name, covered);
    return left && right
      ? { whens: [...left.whens, ...right.whens], otherwiseSuccess: [] }
      : undefined;
  }
  if (operator === ts.SyntaxKind.AmpersandAmpersandToken) {
    // `status !== 204 && status !== 404`: anything else is the branch; those two are fine.
    const left = notEqual(node.left, status);
    const right = notEqual(node.right, status);
    return left && right ? { whens: ['other'], otherwiseSuccess: [left, right] } : undefined;
  }
  if (!status(node.left) || !ts.isNumericLiteral(node.right)) return undefined;
  const value = Number(node.right.text);
  switch (operator) {
    case ts.SyntaxKind.EqualsEqualsEqualsToken:
    case ts.SyntaxKind.EqualsEqualsToken:
      return { whens: [String(value)], otherwiseSuccess: [] };
    case ts.SyntaxKind.GreaterThanEqualsToken:
    case ts.SyntaxKind.GreaterThanToken: {
      const from = operator === ts.SyntaxKind.GreaterThanToken ? value + 1 : value;
      return from >= 500
        ? { whens: ['5xx'], otherwiseSuccess: [] }
        : from >= 400
          ? { whens: ['4xx', '5xx'], otherwiseSuccess: [] }
          : undefined;
    }
    default:
      return undefined;
  }
}

function notEqual(
  expression: TS.Expression,
  isStatus: (expression: TS.Expression) => boolean,
): string | undefined {
  const node = unwrap(expression);
  if (!ts.isBinaryExpression(node) || !isStatus(node.left) || !ts.isNumericLiteral(node.right))
    return undefined;
  const kind = node.operatorToken.kind;
  return kind === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
    kind === ts.SyntaxKind.ExclamationEqualsToken
    ? node.right.text
    : undefined;
}

function firstStatement(statement: TS.Statement): TS.Statement | undefined {
  return ts.isBlock(statement) ? statement.statements[0] : statement;
}

/** What a branch does: return the answer, throw an HTTP error of its own, rethrow, or retry. */
function handlingOf(
  ctx: DetectContext,
  statement: TS.Statement,
  loop: RetryLoop | undefined,
): { outcome: Omit<OutcomeFact, 'when' | 'at'> } | undefined {
  if (ts.isReturnStatement(statement)) return { outcome: { handling: 'success' } };
  if (!ts.isThrowStatement(statement)) return undefined;
  const thrown = unwrap(statement.expression);
  if (!ts.isNewExpression(thrown)) return { outcome: { handling: 'rethrown' } };
  const errorClass = thrown.expression.getText();
  if (loop?.retried.has(errorClass)) {
    return { outcome: { handling: 'retried' } };
  }
  const translated = httpError(ctx, thrown);
  return {
    outcome: translated ? { handling: 'translated', ...translated } : { handling: 'rethrown' },
  };
}

function httpError(
  ctx: DetectContext,
  thrown: TS.NewExpression,
): { status: number; code?: string } | undefined {
  const [first, second] = thrown.arguments ?? [];
  const status = first ? Number(ctx.strings.literal(first)) : Number.NaN;
  if (!Number.isInteger(status) || status < 100 || status > 599) return undefined;
  const code = second ? ctx.strings.literal(second) : undefined;
  return code ? { status, code } : { status };
}

/** Failures without an answer: the catch around the fetch, split into timeouts and the rest. */
function exceptionOutcomes(
  ctx: DetectContext,
  fetchCall: TS.CallExpression,
  loop: RetryLoop | undefined,
): OutcomeFact[] {
  const tryStatement = enclosingTry(fetchCall);
  const block = tryStatement?.catchClause?.block;
  if (!block) return [];
  const outcomes: OutcomeFact[] = [];
  const throws = collectThrows(block);
  for (const { statement, underTimeoutCheck } of throws) {
    const result = handlingOf(ctx, statement, loop);
    if (!result) continue;
    const thrown = unwrap(statement.expression);
    // `new TransientError(timedOut ? 'timeout' : 'unavailable')` covers both at once.
    const both =
      ts.isNewExpression(thrown) &&
      (thrown.arguments ?? []).some(
        (argument) => ts.isConditionalExpression(argument) && mentionsTimeout(argument.condition),
      );
    const whens = both
      ? ['timeout', 'connection-error']
      : [underTimeoutCheck ? 'timeout' : 'connection-error'];
    for (const when of whens) {
      const final = result.outcome.handling === 'retried' ? exhaustion(ctx, loop, when) : {};
      outcomes.push({ when, ...result.outcome, ...final, at: ctx.locate(statement) });
    }
  }
  return outcomes;
}

function collectThrows(
  block: TS.Block,
): { statement: TS.ThrowStatement; underTimeoutCheck: boolean }[] {
  const found: { statement: TS.ThrowStatement; underTimeoutCheck: boolean }[] = [];
  const visit = (node: TS.Node, underTimeoutCheck: boolean): void => {
    if (ts.isThrowStatement(node)) found.push({ statement: node, underTimeoutCheck });
    if (ts.isIfStatement(node)) {
      visit(node.thenStatement, underTimeoutCheck || mentionsTimeout(node.expression));
      if (node.elseStatement) visit(node.elseStatement, underTimeoutCheck);
      return;
    }
    if (ts.isFunctionLike(node)) return;
    ts.forEachChild(node, (child) => visit(child, underTimeoutCheck));
  };
  visit(block, false);
  return found;
}

function mentionsTimeout(expression: TS.Node): boolean {
  let found = false;
  const visit = (node: TS.Node): void => {
    if (
      (ts.isIdentifier(node) || ts.isStringLiteralLike(node)) &&
      /time(d)?out|abort/i.test(node.text)
    )
      found = true;
    if (!found) ts.forEachChild(node, visit);
  };
  visit(expression);
  return found;
}

function enclosingTry(node: TS.Node): TS.TryStatement | undefined {
  for (
    let current = node.parent;
    current && !ts.isFunctionLike(current);
    current = current.parent
  ) {
    if (ts.isTryStatement(current.parent) && current.parent.tryBlock === current)
      return current.parent;
  }
  return undefined;
}

/** `withRetries(() => attempt(…))`: the call that runs the attempt on the caller's behalf. */
function retryWrapper(call: TS.CallExpression): TS.CallExpression | undefined {
  let node: TS.Node = call;
  while (ts.isAwaitExpression(node.parent) || ts.isParenthesizedExpression(node.parent))
    node = node.parent;
  const arrow = node.parent;
  if (!arrow || !ts.isArrowFunction(arrow) || arrow.body !== node) return undefined;
  return ts.isCallExpression(arrow.parent) ? arrow.parent : undefined;
}

/** The loop in the wrapper that calls the attempt inside a try, and what it does on failure. */
function retryLoop(ctx: DetectContext, wrapper: TS.CallExpression): RetryLoop | undefined {
  const fn = ctx.values.calleeFunction(wrapper);
  if (!fn?.body) return undefined;
  let loop: RetryLoop | undefined;
  const visit = (node: TS.Node): void => {
    if (loop) return;
    if (ts.isIterationStatement(node, false)) {
      const tryStatement = findChild(node.statement, ts.isTryStatement);
      const catchBlock = tryStatement?.catchClause?.block;
      if (catchBlock) loop = readRetryCatch(ctx, node, catchBlock);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(fn.body);
  return loop;
}

function readRetryCatch(
  ctx: DetectContext,
  loop: TS.IterationStatement,
  block: TS.Block,
): RetryLoop {
  const retried = new Set<string>();
  const result: RetryLoop = { loop, retried };
  const visit = (node: TS.Node): void => {
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword
    ) {
      retried.add(node.right.getText());
    }
    if (ts.isIfStatement(node) && isAttemptsCheck(node.expression)) {
      const bound = ts.isBinaryExpression(node.expression) ? node.expression.right : undefined;
      const maxRetries = bound ? configured(ctx, bound) : undefined;
      if (maxRetries) result.maxRetries = maxRetries;
      for (const { statement, underTimeoutCheck } of collectThrows(asBlock(node.thenStatement))) {
        if (underTimeoutCheck) result.onTimeout ??= statement;
        else result.otherwise ??= statement;
      }
    }
    if (
      ts.isCallExpression(node) &&
      node.arguments.length === 1 &&
      /sleep|delay|wait|setTimeout/i.test(node.expression.getText())
    ) {
      result.delay = node.arguments[0];
    }
    ts.forEachChild(node, visit);
  };
  visit(block);
  return result;
}

/** `retry >= settings.maxRetries`, `attempt > max`. */
function isAttemptsCheck(condition: TS.Expression): boolean {
  const node = unwrap(condition);
  if (!ts.isBinaryExpression(node)) return false;
  const kind = node.operatorToken.kind;
  return kind === ts.SyntaxKind.GreaterThanEqualsToken || kind === ts.SyntaxKind.GreaterThanToken;
}

function asBlock(statement: TS.Statement): TS.Block {
  return ts.isBlock(statement) ? statement : ts.factory.createBlock([statement]);
}

function findChild<T extends TS.Node>(
  root: TS.Node,
  test: (node: TS.Node) => node is T,
): T | undefined {
  let found: T | undefined;
  const visit = (node: TS.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (test(node)) found = node;
    else ts.forEachChild(node, visit);
  };
  visit(root);
  return found;
}

/** What the caller answers once the retries are used up. */
function exhaustion(
  ctx: DetectContext,
  loop: RetryLoop | undefined,
  when: string,
): { status?: number; code?: string } {
  const statement = when === 'timeout' ? (loop?.onTimeout ?? loop?.otherwise) : loop?.otherwise;
  const thrown = statement && unwrap(statement.expression);
  return thrown && ts.isNewExpression(thrown) ? (httpError(ctx, thrown) ?? {}) : {};
}

function backoffOf(
  ctx: DetectContext,
  delay: TS.Expression | undefined,
): Pick<RetryFact, 'backoff' | 'baseDelayMs'> {
  if (!delay) return { backoff: 'none' };
  const node = unwrap(delay);
  const exponential = (expression: TS.Node): boolean =>
    (ts.isBinaryExpression(expression) &&
      (expression.operatorToken.kind === ts.SyntaxKind.AsteriskAsteriskToken ||
        expression.operatorToken.kind === ts.SyntaxKind.LessThanLessThanToken)) ||
    (ts.isCallExpression(expression) && expression.expression.getText() === 'Math.pow');
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.AsteriskToken) {
    const [base, factor] = exponential(unwrap(node.right))
      ? [node.left, node.right]
      : [node.right, node.left];
    if (exponential(unwrap(factor))) {
      const baseDelayMs = configured(ctx, base);
      return { backoff: 'exponential', ...(baseDelayMs ? { baseDelayMs } : {}) };
    }
  }
  const fixed = configured(ctx, node);
  return { backoff: 'fixed', ...(fixed ? { baseDelayMs: fixed } : {}) };
}
