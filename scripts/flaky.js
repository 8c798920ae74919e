// `npm run flaky`: runs the generated suite of the example many times and prints, for every
// fault-injection test (timeouts, retries, partial failures, outages, races, eventual
// consistency), how many runs it passed. A test is flaky when it passed some runs, not all.
//
//   npm run flaky [-- --runs N] [--suite DIR] [--all]
//
// Without --suite it generates the example's suite first (as `npm run demo` does). It also checks
// that no test file waits with a fixed sleep. Exit code 0 only if every test passed every run.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runVitest } from '../dist/observe/run-suite.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const FAULT_CATEGORIES = new Set([
  'timeouts',
  'retries',
  'partial-failure',
  'outage',
  'race-condition',
  'eventual-consistency',
]);
const LOCAL = {
  SEAMTEST_ORDERS_DB_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
  SEAMTEST_INVENTORY_DB_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
  SEAMTEST_REDIS_URL: 'redis://127.0.0.1:6379',
  SEAMTEST_RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5672',
};
const USAGE = `Usage: npm run flaky [-- --runs N] [--suite DIR] [--all]

Runs the example's generated suite N times (default 20) with two workers and prints how many
runs each fault-injection test passed (--all: every test).`;

let options;
try {
  options = parseArgs({
    options: {
      runs: { type: 'string', default: '20' },
      suite: { type: 'string' },
      all: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }).values;
} catch (error) {
  console.error(`flaky: ${error.message}\n\n${USAGE}`);
  process.exit(2);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}
const runs = Number(options.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`flaky: --runs must be a whole number of at least 1, not '${options.runs}'`);
  process.exit(2);
}

const env = { ...LOCAL, ...process.env, SEAMTEST_WORKERS: '2', FORCE_COLOR: '0' };
let suite = options.suite ? path.resolve(options.suite) : undefined;
if (!suite) {
  suite = path.join(repo, '.seamtest', 'flaky', 'integration-tests');
  console.log(`generating the example's suite in ${path.relative(repo, suite)} …`);
  execFileSync(
    process.execPath,
    ['bin/seamtest.js', 'generate', 'examples/shop', '--framework', 'vitest', '--out', suite],
    { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'], env },
  );
}
const manifestFile = path.join(suite, 'seamtest-manifest.json');
if (!existsSync(manifestFile)) {
  console.error(`flaky: ${suite} holds no seamtest-manifest.json; generate a suite there first`);
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
const faultTitles = new Set(
  manifest.scenarios
    .filter((scenario) => scenario.file && scenario.categories.some((c) => FAULT_CATEGORIES.has(c)))
    .map((scenario) => scenario.title),
);

const sleeps = testFiles(suite).filter((file) =>
  /\bsetTimeout\(|\bsleep\(|timers\/promises/.test(readFileSync(file, 'utf8')),
);
if (sleeps.length > 0) {
  console.error(
    `flaky: fixed sleeps in ${sleeps.map((file) => path.relative(suite, file)).join(', ')}`,
  );
  process.exit(1);
}

const passes = new Map();
const durations = [];
for (let run = 1; run <= runs; run++) {
  const result = await runVitest(suite, { env, timeoutMs: 600_000 });
  durations.push(result.durationMs);
  if (result.results.length === 0) {
    console.error(`run ${run}: the suite did not run:\n${result.output.slice(-2_000)}`);
    process.exit(1);
  }
  for (const test of result.results) {
    const key = `${path.relative(suite, test.file)} › ${test.title}`;
    const entry = passes.get(key) ?? { title: test.title, passed: 0, runs: 0, failure: undefined };
    entry.runs += 1;
    if (test.passed) entry.passed += 1;
    else entry.failure ??= test.failure?.split('\n')[0];
    passes.set(key, entry);
  }
  const failed = result.results.filter((test) => !test.passed).length;
  console.log(
    `run ${run}/${runs}: ${result.results.length - failed} passed, ${failed} failed (${(result.durationMs / 1000).toFixed(1)} s)`,
  );
}

const shown = [...passes].filter(([, entry]) => options.all || faultTitles.has(entry.title));
console.log(
  `\n${options.all ? 'Every test' : 'Fault-injection tests'}: runs passed out of ${runs}`,
);
for (const [key, entry] of shown.sort(([a], [b]) => a.localeCompare(b))) {
  console.log(`${String(entry.passed).padStart(3)}/${runs}  ${key}`);
  if (entry.failure) console.log(`        first failure: ${entry.failure}`);
}
const flaky = [...passes.values()].filter((entry) => entry.passed < runs);
const median = [...durations].sort((a, b) => a - b)[Math.floor(durations.length / 2)];
console.log(
  `\n${shown.length} fault-injection tests, ${passes.size} tests in all; ${flaky.length} failed at least once; median run ${(median / 1000).toFixed(1)} s`,
);
process.exit(flaky.length === 0 ? 0 : 1);

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.ts'))
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name))
    .filter((file) => !file.includes('node_modules') && !file.includes('.seamtest-'));
}
