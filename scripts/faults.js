// `npm run faults`: judges a generated integration suite by the defects it catches. It copies
// examples/shop to .seamtest/faults/shop, generates the suite once from that unpatched copy, runs
// it there (the baseline must pass), then applies each seeded fault of examples/shop/faults in
// turn, runs the suite again and reverts the fault. A fault is detected when the suite fails.
//
//   npm run faults [-- --only ID] [--keep] [--timeout SECONDS] [--suite DIR]
//
// Exit code 0 only if every fault was detected. Each run's output is kept in
// .seamtest/faults/logs/, the results in .seamtest/faults/report.json.
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repo = fileURLToPath(new URL('..', import.meta.url));
const source = path.join(repo, 'examples', 'shop');
const faultsDir = path.join(source, 'faults');
const work = path.join(repo, '.seamtest', 'faults');
const copy = path.join(work, 'shop');
const suite = path.join(copy, 'integration-tests');
const logs = path.join(work, 'logs');
const rel = (file) => path.relative(repo, file) || '.';
/** Patches name files as examples/shop/<file>; the copy holds them at <copy>/<file>. */
const PATCH_PREFIX = 'examples/shop/';
const STRIP = PATCH_PREFIX.split('/').length; // a/ + examples/ + shop/
/** Every process started for this copy carries this, so leftovers can be found and stopped. */
const MARKER = `SEAMTEST_FAULTS_COPY=${copy}`;
/** The shop's real dependencies: the local services unless the environment names others. */
const DEPENDENCIES = {
  SEAMTEST_ORDERS_DB_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
  SEAMTEST_INVENTORY_DB_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
  SEAMTEST_REDIS_URL: 'redis://127.0.0.1:6379',
  SEAMTEST_RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5672',
};

const USAGE = `Usage: npm run faults [-- options]

Copies examples/shop to ${rel(copy)}, generates an integration suite from the
unpatched copy, runs it there, then applies each seeded fault of ${rel(faultsDir)} in
turn and runs the suite against it. A fault is detected when the suite fails (or times out).
Exit code 0 only if every fault is detected.

Options:
  --only ID          run one fault (its id, or the number it starts with)
  --keep             leave the copy (and the generated suite) in ${rel(copy)}
  --timeout SECONDS  limit for one run of the suite (default 300)
  --suite DIR        use the suite in DIR instead of generating one (to try the harness)
  -h, --help         show this help`;

/** A failure that one line explains. */
class Stop extends Error {}

let options;
try {
  options = parseArgs({
    options: {
      only: { type: 'string' },
      keep: { type: 'boolean', default: false },
      timeout: { type: 'string', default: '300' },
      suite: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }).values;
} catch (error) {
  console.error(`faults: ${error.message}\n\n${USAGE}`);
  process.exit(2);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}
const runTimeoutMs = Number(options.timeout) * 1000;
if (!Number.isFinite(runTimeoutMs) || runTimeoutMs <= 0) {
  console.error('faults: --timeout must be a positive number of seconds');
  process.exit(2);
}
const GENERATE_TIMEOUT_MS = Math.max(runTimeoutMs, 15 * 60_000);

// ---------------------------------------------------------------------------------------------
// Processes: every child runs in a process group of its own, so it can be stopped with all it
// started; whatever escaped its group is found by the marker in its environment or by its
// working directory inside the copy.

/** The child process being waited for, stopped on Ctrl-C. */
let running;
/** The fault whose patch is applied to the copy right now, reverted whatever happens. */
let applied;
let interrupted = false;

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone already
  }
}

/** Processes (other than this one) started for this copy; empty where /proc does not exist. */
function strays() {
  let entries;
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const found = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid || pid === process.ppid) continue;
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      if (cwd === copy || cwd.startsWith(`${copy}${path.sep}`)) {
        found.push(pid);
        continue;
      }
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      if (environ.includes(MARKER)) found.push(pid);
    } catch {
      // exited meanwhile, or not ours to read
    }
  }
  return found;
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function killStrays(when) {
  const pids = strays();
  if (pids.length === 0) return;
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // gone
    }
  }
  const deadline = Date.now() + 3_000;
  while (Date.now() < deadline && pids.some(alive)) await sleep(100);
  for (const pid of pids.filter(alive)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  console.log(`  stopped ${pids.length} leftover process(es) ${when}`);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs a command in its own process group with its output in `logFile`; stops the group at the
 * time limit (SIGTERM, then SIGKILL) and afterwards, so nothing it started outlives it.
 */
function runBounded(command, args, { cwd, logFile, timeoutMs }) {
  const log = openSync(logFile, 'w');
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd,
      detached: true,
      stdio: ['ignore', log, log],
      env: { ...DEPENDENCIES, ...process.env, SEAMTEST_FAULTS_COPY: copy, FORCE_COLOR: '0' },
    });
    running = child;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, 'SIGTERM');
      setTimeout(() => killGroup(child.pid, 'SIGKILL'), 5_000).unref();
    }, timeoutMs);
    const finish = (code, error) => {
      clearTimeout(timer);
      running = undefined;
      if (child.pid) killGroup(child.pid, 'SIGKILL');
      closeSync(log);
      resolve({ code, timedOut, error, ms: Date.now() - started });
    };
    child.once('error', (error) => finish(null, error));
    child.once('exit', (code, signal) => finish(code ?? (signal ? 128 : 1), undefined));
  });
}

// ---------------------------------------------------------------------------------------------
// Faults and patches.

function loadFaults() {
  const file = path.join(faultsDir, 'faults.json');
  const faults = JSON.parse(readFileSync(file, 'utf8'));
  for (const fault of faults) {
    const patch = path.join(faultsDir, fault.patch);
    if (!existsSync(patch)) throw new Stop(`${rel(file)} names ${fault.patch}, which is missing`);
    fault.patchFile = patch;
    fault.files = patchedFiles(readFileSync(patch, 'utf8'), fault.patch);
  }
  return faults;
}

/** The files a patch touches, relative to examples/shop. */
function patchedFiles(text, name) {
  const files = new Set();
  for (const line of text.split('\n')) {
    const match = /^(?:---|\+\+\+) [ab]\/(.+)$/.exec(line);
    if (!match) continue;
    if (!match[1].startsWith(PATCH_PREFIX)) {
      throw new Stop(`${name} touches ${match[1]}, outside ${PATCH_PREFIX}`);
    }
    files.add(match[1].slice(PATCH_PREFIX.length));
  }
  if (files.size === 0) throw new Stop(`${name} is not a unified diff`);
  return [...files];
}

function gitApply(fault, reverse) {
  const args = ['apply', `-p${STRIP}`, `--directory=${rel(copy)}`];
  if (reverse) args.push('-R');
  const result = spawnSync('git', [...args, fault.patchFile], { cwd: repo, encoding: 'utf8' });
  if (result.error) throw new Stop(`git is needed to apply patches: ${result.error.message}`);
  return { ok: result.status === 0, message: (result.stderr || result.stdout).trim() };
}

/** The unpatched content of every file some fault touches (null: the file does not exist). */
const originals = new Map();

function rememberOriginals(faults) {
  for (const file of faults.flatMap((fault) => fault.files)) {
    const full = path.join(copy, file);
    originals.set(file, existsSync(full) ? readFileSync(full) : null);
  }
}

function isPristine(files) {
  return files.every((file) => {
    const full = path.join(copy, file);
    const original = originals.get(file);
    if (original === null) return !existsSync(full);
    return existsSync(full) && readFileSync(full).equals(original);
  });
}

/** Reverts the applied fault and proves it; restores the files by hand if git cannot. */
function revert() {
  const fault = applied;
  if (!fault) return;
  const result = gitApply(fault, true);
  if (!isPristine(fault.files)) {
    for (const file of fault.files) {
      const full = path.join(copy, file);
      const original = originals.get(file);
      if (original === null) rmSync(full, { force: true });
      else writeFileSync(full, original);
    }
  }
  if (!isPristine(fault.files)) {
    throw new Stop(`reverting ${fault.id} failed (${result.message}); ${rel(copy)} is not clean`);
  }
  applied = undefined;
}

// ---------------------------------------------------------------------------------------------
// The suite and its report.

const vitestBin = path.join(repo, 'node_modules', 'vitest', 'vitest.mjs');

/** One run of the suite with vitest's JSON reporter (the default reporter replaced, so quiet). */
async function runSuite(label) {
  const reports = path.join(work, 'reports');
  mkdirSync(reports, { recursive: true });
  const report = path.join(reports, `${label}.json`);
  rmSync(report, { force: true });
  const logFile = path.join(logs, `${label}.log`);
  const run = await runBounded(
    process.execPath,
    [vitestBin, 'run', '--reporter=json', `--outputFile=${report}`],
    { cwd: suite, logFile, timeoutMs: runTimeoutMs },
  );
  await killStrays(`after ${label}`);
  const parsed = readReport(report);
  const passed =
    run.code === 0 && !run.timedOut && parsed !== undefined && parsed.success !== false;
  const notes = [];
  if (run.timedOut) notes.push(`timed out after ${formatMs(runTimeoutMs)}`);
  if (run.error) notes.push(`could not start vitest: ${run.error.message}`);
  if (parsed === undefined && !run.timedOut) notes.push('no JSON report');
  return {
    passed,
    failed: parsed?.failed ?? [],
    tests: parsed?.tests ?? 0,
    notes,
    ms: run.ms,
    log: rel(logFile),
  };
}

/** Failed test names (with their describe blocks), and files that failed outside any test. */
function readReport(file) {
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  const failed = [];
  let tests = 0;
  for (const result of report.testResults ?? []) {
    const assertions = result.assertionResults ?? [];
    tests += assertions.length;
    const failing = assertions.filter((assertion) => assertion.status === 'failed');
    for (const assertion of failing) {
      const name = [...(assertion.ancestorTitles ?? []), assertion.title].filter(Boolean);
      failed.push(name.length > 0 ? name.join(' > ') : String(assertion.fullName));
    }
    if (failing.length === 0 && result.status === 'failed') {
      const reason = String(result.message ?? '')
        .split('\n')
        .find((line) => line.trim());
      failed.push(`${path.basename(result.name ?? 'a test file')}: ${reason ?? 'failed'}`);
    }
  }
  return { success: report.success, failed, tests };
}

function formatMs(ms) {
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${String(Math.round(seconds - minutes * 60)).padStart(2, '0')}s`;
}

// ---------------------------------------------------------------------------------------------
// The run.

function prepareCopy() {
  rmSync(copy, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  rmSync(logs, { recursive: true, force: true });
  mkdirSync(logs, { recursive: true });
  cpSync(source, copy, {
    recursive: true,
    filter: (from) => {
      const name = path.relative(source, from);
      return !(
        name.split(path.sep).includes('node_modules') ||
        name === 'faults' ||
        name === 'integration-tests'
      );
    },
  });
}

async function generate() {
  if (options.suite) {
    const from = path.resolve(options.suite);
    if (!existsSync(from)) throw new Stop(`--suite ${options.suite}: no such folder`);
    cpSync(from, suite, {
      recursive: true,
      filter: (file) => !path.relative(from, file).split(path.sep).includes('node_modules'),
    });
    console.log(`suite: copied from ${rel(from)} to ${rel(suite)}`);
    return;
  }
  const args = ['bin/seamtest.js', 'generate', rel(copy), '--framework', 'vitest'];
  args.push('--out', rel(suite));
  console.log(`suite: seamtest ${args.slice(1).join(' ')}`);
  const logFile = path.join(logs, 'generate.log');
  const run = await runBounded(process.execPath, args, {
    cwd: repo,
    logFile,
    timeoutMs: GENERATE_TIMEOUT_MS,
  });
  await killStrays('after generating');
  if (run.code !== 0 || run.timedOut) {
    const output = readFileSync(logFile, 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('npm warn'));
    const reason = run.timedOut
      ? `timed out after ${formatMs(GENERATE_TIMEOUT_MS)}`
      : (output.at(-1) ?? `exit code ${run.code}`);
    throw new Stop(`generating the suite failed: ${reason} (full output: ${rel(logFile)})`);
  }
  if (!existsSync(suite)) throw new Stop(`seamtest generate wrote nothing to ${rel(suite)}`);
  console.log(`suite: generated in ${formatMs(run.ms)}`);
}

function selectFaults(all) {
  if (options.only === undefined) return all;
  const wanted = options.only;
  const match =
    all.find((fault) => fault.id === wanted) ??
    all.filter((fault) => fault.id.split('-')[0] === wanted.padStart(2, '0')).at(0);
  if (!match) {
    throw new Stop(`--only ${wanted}: no such fault; ids are ${all.map((f) => f.id).join(', ')}`);
  }
  return [match];
}

function printTable(results) {
  const rows = results.map((result) => ({
    id: result.fault.id,
    category: result.fault.category,
    result: result.outcome,
    time: result.ms === undefined ? '-' : formatMs(result.ms),
    failed:
      result.failed.length > 0
        ? result.failed
        : [...result.notes, ...(result.error ? [result.error] : [])],
  }));
  const widths = {
    id: Math.max(2, ...rows.map((row) => row.id.length)),
    category: Math.max(8, ...rows.map((row) => row.category.length)),
    result: Math.max(6, ...rows.map((row) => row.result.length)),
    time: Math.max(4, ...rows.map((row) => row.time.length)),
  };
  const line = (id, category, result, time, failed) =>
    [
      id.padEnd(widths.id),
      category.padEnd(widths.category),
      result.padEnd(widths.result),
      time.padStart(widths.time),
      failed,
    ]
      .join('  ')
      .trimEnd();
  const MAX_NAMES = 5;
  console.log('');
  console.log(line('id', 'category', 'result', 'time', 'failed tests'));
  console.log(line(...Object.values(widths).map((width) => '-'.repeat(width)), '------------'));
  for (const row of rows) {
    const names = row.failed.slice(0, MAX_NAMES);
    if (row.failed.length > MAX_NAMES) names.push(`… and ${row.failed.length - MAX_NAMES} more`);
    console.log(line(row.id, row.category, row.result, row.time, names[0] ?? ''));
    for (const name of names.slice(1)) console.log(line('', '', '', '', name));
  }
  console.log('');
}

async function main() {
  const all = loadFaults();
  const faults = selectFaults(all);
  await killStrays('from an earlier run');
  prepareCopy();
  rememberOriginals(faults);
  console.log(`copy: ${rel(source)} -> ${rel(copy)}`);

  await generate();
  if (interrupted) throw new Stop('interrupted');

  console.log('baseline: running the suite on the unpatched copy ...');
  const baseline = await runSuite('baseline');
  if (interrupted) throw new Stop('interrupted');
  if (!baseline.passed || baseline.tests === 0) {
    const why = [...baseline.notes];
    if (baseline.failed.length > 0) {
      const more = baseline.failed.length > 3 ? `, and ${baseline.failed.length - 3} more` : '';
      why.push(`failing: ${baseline.failed.slice(0, 3).join('; ')}${more}`);
    }
    if (baseline.tests === 0) why.push('it ran no tests');
    throw new Stop(
      `the suite does not pass on the unpatched example, so no fault can be judged (${why.join(', ') || 'it failed'}; output: ${baseline.log})`,
    );
  }
  console.log(`baseline: ${baseline.tests} tests passed in ${formatMs(baseline.ms)}`);

  const results = [];
  for (const [index, fault] of faults.entries()) {
    if (interrupted) break;
    const prefix = `[${index + 1}/${faults.length}] ${fault.id} (${fault.category})`;
    const check = gitApply(fault, false);
    if (!check.ok) {
      console.log(`${prefix}: the patch does not apply: ${check.message.split('\n')[0]}`);
      results.push({
        fault,
        outcome: 'error',
        failed: [],
        notes: [],
        error: 'patch does not apply',
      });
      continue;
    }
    applied = fault;
    console.log(`${prefix}: applied, running the suite ...`);
    let run;
    try {
      run = await runSuite(fault.id);
    } finally {
      revert();
    }
    if (interrupted) break;
    const outcome = run.passed ? 'missed' : 'detected';
    results.push({ fault, outcome, ...run });
    const detail = run.passed
      ? 'the suite passed'
      : [...(run.failed.length > 0 ? [`${run.failed.length} failed`] : []), ...run.notes].join(
          ', ',
        ) || 'the suite failed';
    console.log(`${prefix}: ${outcome.toUpperCase()} in ${formatMs(run.ms)} (${detail})`);
  }

  const detected = results.filter((result) => result.outcome === 'detected').length;
  // A fault marked `needs` waits for a capability seamtest lacks: reported, never hidden, but
  // it does not fail the run until that capability exists.
  const waiting = results.filter((result) => result.outcome === 'missed' && result.fault.needs);
  if (results.length > 0) {
    printTable(results);
    console.log(`${detected} of ${faults.length} faults detected`);
    for (const { fault } of waiting)
      console.log(`not yet detectable: ${fault.id}, needs ${fault.needs}`);
  }
  writeFileSync(
    path.join(work, 'report.json'),
    `${JSON.stringify(
      {
        baseline: { tests: baseline.tests, ms: baseline.ms },
        faults: results.map(({ fault, outcome, failed, notes, ms, log, error }) => ({
          id: fault.id,
          category: fault.category,
          outcome,
          failed,
          notes,
          ms,
          log,
          error,
        })),
        detected,
        notYetDetectable: waiting.map(({ fault }) => fault.id),
        total: faults.length,
      },
      null,
      2,
    )}\n`,
  );
  if (interrupted) throw new Stop('interrupted');
  return detected + waiting.length === faults.length && results.length === faults.length ? 0 : 1;
}

// Ctrl-C stops the run in progress, reverts the fault and cleans up; a second one exits at once.
function onSignal(signal) {
  if (interrupted) {
    if (running?.pid) killGroup(running.pid, 'SIGKILL');
    process.exit(130);
  }
  interrupted = true;
  console.log(`\nfaults: ${signal}, stopping after reverting the current fault ...`);
  if (running?.pid) killGroup(running.pid, 'SIGTERM');
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
// Whatever ends this process, the copy is not left patched.
process.on('exit', () => {
  try {
    revert();
  } catch {
    // reported by the run that failed
  }
});

let exitCode;
try {
  exitCode = await main();
} catch (error) {
  if (!(error instanceof Stop)) throw error;
  console.error(`faults: ${error.message}`);
  exitCode = interrupted ? 130 : 1;
} finally {
  try {
    revert();
  } catch (error) {
    console.error(`faults: ${error.message}`);
    exitCode = 1;
  }
  await killStrays('at the end');
  if (!options.keep) rmSync(copy, { recursive: true, force: true });
  else console.log(`kept ${rel(copy)}`);
}
process.exit(exitCode ?? 1);
