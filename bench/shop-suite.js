// The generated suite of examples/shop, measured end to end: how long `seamtest generate` takes
// (wall time and the phases its `--json` reports), how long the suite it writes runs with two
// workers, and how much of the example's own source (examples/shop/*/src/**) that run covers,
// the services the suite starts as child processes included. Prints figures beside their
// targets and never fails on them; a part that cannot run says why and the bench goes on.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

/** The services the example needs, as they run on this machine and in CI. */
export const LOCAL_SERVICES = {
  SEAMTEST_ORDERS_DB_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
  SEAMTEST_INVENTORY_DB_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
  SEAMTEST_REDIS_URL: 'redis://127.0.0.1:6379',
  SEAMTEST_RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5672',
};

const TARGETS = { generateSeconds: 60, suiteSeconds: 30, linesPct: 90 };
const WORKERS = 2;
const SUITE_RUNS = 3;

/** process.env with the local services filled in where a variable is not set. */
export function serviceEnv(base = process.env) {
  const env = { ...base };
  const defaulted = [];
  for (const [name, value] of Object.entries(LOCAL_SERVICES)) {
    if (!env[name]) {
      env[name] = value;
      defaulted.push(name);
    }
  }
  return { env, defaulted };
}

/** Runs `seamtest generate examples/shop --framework vitest --json` into `outDir` (emptied first). */
export function generateShopSuite(repo, outDir, env, node = process.execPath) {
  rmSync(outDir, { recursive: true, force: true });
  const started = performance.now();
  const result = spawnSync(
    node,
    [
      path.join(repo, 'bin/seamtest.js'),
      'generate',
      'examples/shop',
      '--framework',
      'vitest',
      '--out',
      path.relative(repo, outDir),
      '--json',
    ],
    { cwd: repo, env, encoding: 'utf8', maxBuffer: 1 << 26, timeout: 240_000 },
  );
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) {
    const why = result.error?.message ?? lastLines(result.stderr || result.stdout, 3);
    return { seconds, error: `seamtest generate exited ${result.status ?? result.signal}: ${why}` };
  }
  try {
    return { seconds, summary: JSON.parse(result.stdout) };
  } catch {
    return {
      seconds,
      error: `seamtest generate --json printed no JSON: ${lastLines(result.stdout)}`,
    };
  }
}

/**
 * One `vitest run` of a generated suite, in its folder, with the JSON reporter written to a file
 * of its own so the counts are read, not scraped. `vitest` is the path of a vitest.mjs.
 */
export function runSuite(suiteDir, { node = process.execPath, vitest, env, timeoutMs = 180_000 }) {
  const scratch = mkdtempSync(path.join(tmpdir(), 'seamtest-suite-run-'));
  const report = path.join(scratch, 'report.json');
  try {
    const started = performance.now();
    const result = spawnSync(node, [vitest, 'run', '--reporter=json', `--outputFile=${report}`], {
      cwd: suiteDir,
      env,
      encoding: 'utf8',
      maxBuffer: 1 << 26,
      timeout: timeoutMs,
    });
    const seconds = (performance.now() - started) / 1000;
    const counts = existsSync(report) ? readCounts(report) : undefined;
    return {
      seconds,
      status: result.status,
      signal: result.signal,
      counts,
      output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? result.error.message : ''}`,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function readCounts(file) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const failures = report.testResults
    .flatMap((file) =>
      (file.assertionResults ?? [])
        .filter((test) => test.status === 'failed')
        .map((test) => ({
          file: file.name,
          title: test.fullName ?? test.title,
          message: (test.failureMessages ?? []).join('\n'),
        })),
    )
    .concat(
      report.testResults
        .filter((file) => file.status === 'failed' && (file.assertionResults ?? []).length === 0)
        .map((file) => ({ file: file.name, title: '(file)', message: file.message ?? '' })),
    );
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests,
    skipped: report.numPendingTests + (report.numTodoTests ?? 0),
    total: report.numTotalTests,
    failedFiles: report.numFailedTestSuites,
    failures,
  };
}

export function describeCounts(run) {
  if (!run.counts) return `no report (exit ${run.status ?? run.signal})`;
  const { passed, failed, skipped } = run.counts;
  return `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
}

export function lastLines(text, count = 5) {
  return (text ?? '').trim().split('\n').slice(-count).join('\n');
}

/** Line and branch coverage of examples/shop/*\/src/** from the V8 coverage in `coverageDir`. */
function coverageReport(repo, coverageDir) {
  const shop = path.join(repo, 'examples/shop');
  const services = readdirSync(shop).filter((name) => existsSync(path.join(shop, name, 'src')));
  const reportsDir = mkdtempSync(path.join(tmpdir(), 'seamtest-bench-c8-'));
  try {
    const result = spawnSync(
      process.execPath,
      [
        path.join(repo, 'node_modules/c8/bin/c8.js'),
        'report',
        '--temp-directory',
        coverageDir,
        '--reports-dir',
        reportsDir,
        '--reporter',
        'json-summary',
        // Files no test loaded count as uncovered rather than missing.
        '--all',
        ...services.flatMap((name) => ['--src', `examples/shop/${name}/src`]),
        '--include',
        'examples/shop/*/src/**',
      ],
      { cwd: repo, encoding: 'utf8', timeout: 120_000 },
    );
    const summaryFile = path.join(reportsDir, 'coverage-summary.json');
    if (!existsSync(summaryFile)) {
      return { error: `c8 report wrote no summary: ${lastLines(result.stderr || result.stdout)}` };
    }
    const summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
    const perService = Object.fromEntries(services.map((name) => [name, emptyTotals()]));
    for (const [file, figures] of Object.entries(summary)) {
      if (file === 'total') continue;
      const service = path.relative(shop, file).split(path.sep)[0];
      const totals = perService[service];
      if (!totals) continue;
      for (const kind of ['lines', 'branches']) {
        totals[kind].covered += figures[kind].covered;
        totals[kind].total += figures[kind].total;
      }
      totals.files += 1;
    }
    return { total: summary.total, perService };
  } finally {
    rmSync(reportsDir, { recursive: true, force: true });
  }
}

function emptyTotals() {
  return { files: 0, lines: { covered: 0, total: 0 }, branches: { covered: 0, total: 0 } };
}

function percent({ covered, total }) {
  return total === 0 ? 'n/a' : `${((100 * covered) / total).toFixed(1)}%`;
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

export function benchShopSuite(repo) {
  console.log(
    `\ngenerated suite of examples/shop (--framework vitest; real PostgreSQL, Redis, RabbitMQ)`,
  );
  // Wall times on a shared two-core machine measure the neighbours too: say how busy it was.
  console.log(
    `  load average (1 min) at start: ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`,
  );
  const { env, defaulted } = serviceEnv();
  if (defaulted.length > 0) console.log(`  local services assumed for ${defaulted.join(', ')}`);
  const outDir = path.join(repo, '.seamtest/bench-shop');

  const generated = generateShopSuite(repo, outDir, env);
  if (generated.error) {
    console.log(`  generation: not measured, ${generated.error}`);
    return;
  }
  const { timings, verification, tests } = generated.summary;
  const rest = timings.totalMs - timings.mapMs - timings.observeMs - timings.verifyMs;
  console.log(
    `  generation: ${generated.seconds.toFixed(1)} s wall (target < ${TARGETS.generateSeconds} s); ${tests} tests written, verified ${verification.passed} passed, ${verification.failed} failed`,
  );
  console.log(
    `    phases (--json timings): map ${seconds(timings.mapMs)}, observe ${seconds(timings.observeMs)}, verify ${seconds(timings.verifyMs)}, plan/preflight/emit ${seconds(rest)}; total ${seconds(timings.totalMs)}`,
  );

  const vitest = path.join(repo, 'node_modules/vitest/vitest.mjs');
  const suiteEnv = { ...env, SEAMTEST_WORKERS: String(WORKERS) };
  const runs = [];
  for (let run = 0; run < SUITE_RUNS; run++) runs.push(runSuite(outDir, { vitest, env: suiteEnv }));
  const times = runs.map((run) => run.seconds).sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const counts = [...new Set(runs.map(describeCounts))].join(' / ');
  console.log(
    `  suite run, ${WORKERS} workers: median ${median.toFixed(1)} s of ${SUITE_RUNS} runs (${times.map((time) => time.toFixed(1)).join(', ')} s) (target < ${TARGETS.suiteSeconds} s); ${counts}`,
  );
  const failing = runs.find((run) => run.counts?.failures.length || run.status !== 0);
  if (failing) console.log(`    a failing run ended with: ${firstFailure(failing)}`);

  // NODE_V8_COVERAGE is inherited by every process the run starts: the vitest workers, the
  // migrations and the services (tsx's child included, which records its source maps).
  const coverageDir = mkdtempSync(path.join(tmpdir(), 'seamtest-bench-v8-'));
  try {
    const covered = runSuite(outDir, {
      vitest,
      env: { ...suiteEnv, NODE_V8_COVERAGE: coverageDir },
    });
    const report = coverageReport(repo, coverageDir);
    if (report.error) {
      console.log(`  coverage: not measured, ${report.error}`);
      return;
    }
    const { lines, branches } = report.total;
    console.log(
      `  coverage of examples/shop/*/src/** (services included; run with coverage ${covered.seconds.toFixed(1)} s, ${describeCounts(covered)}):`,
    );
    console.log(
      `    lines ${lines.pct.toFixed(1)}% (${lines.covered}/${lines.total}) (target >= ${TARGETS.linesPct}%), branches ${branches.pct.toFixed(1)}% (${branches.covered}/${branches.total})`,
    );
    for (const [service, totals] of Object.entries(report.perService)) {
      console.log(
        `    ${service.padEnd(10)} lines ${percent(totals.lines).padStart(6)}, branches ${percent(totals.branches).padStart(6)} (${totals.files} files)`,
      );
    }
  } finally {
    rmSync(coverageDir, { recursive: true, force: true });
  }
  console.log(`  load average (1 min) at the end: ${loadavg()[0].toFixed(1)}`);
}

function firstFailure(run) {
  const failure = run.counts?.failures[0];
  if (!failure) return lastLines(run.output, 3);
  return `${path.basename(failure.file)} > ${failure.title}: ${failure.message.split('\n')[0]}`;
}
