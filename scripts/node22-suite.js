// `npm run suite:node22`: the generated suite of examples/shop on Node 22 with Vitest 5.
//
// 1. Node 22 from the npm registry (`npm install --prefix <cache> node@22`), reused when the
//    cache has it: $SEAMTEST_NODE22_CACHE, else $XDG_CACHE_HOME/seamtest/node22, else
//    ~/.cache/seamtest/node22.
// 2. The suite generated as usual, with the Node this script runs on (20), into
//    .seamtest/node22-shop.
// 3. Vitest 5 installed in a folder of its own, .seamtest/vitest5 (reused when there), and linked
//    in as the suite's node_modules/vitest: everything else the suite and the services import
//    (pg, amqplib, tsx, …) still resolves from the repository's node_modules.
// 4. The suite type-checked against Vitest 5's types, then run by Node 22 with Vitest 5. Node 22's
//    folder comes first on PATH, so the services run on it too: `node` services through
//    process.execPath, `tsx` ones through tsx's `#!/usr/bin/env node`; which Node each service
//    process really runs is read from /proc while the suite runs.
//
// Exit status: 0 when the suite passes; 1 when generating, type-checking or running it fails;
// 2 when Node 22 or Vitest 5 cannot be installed (registry unreachable or too slow).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { generateShopSuite, lastLines, serviceEnv } from '../bench/shop-suite.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const INSTALL_TIMEOUT_MS = Number(process.env.SEAMTEST_NODE22_INSTALL_TIMEOUT_MS ?? 240_000);
const SUITE_TIMEOUT_MS = 300_000;
const cacheDir =
  process.env.SEAMTEST_NODE22_CACHE ??
  path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'seamtest/node22');
const vitestDir = path.join(repo, '.seamtest/vitest5');
const suiteDir = path.join(repo, '.seamtest/node22-shop');

const say = (line) => console.log(`suite:node22: ${line}`);

class Unavailable extends Error {}

/** `npm install --prefix dir spec`, bounded in time; throws Unavailable when it cannot finish. */
function npmInstall(dir, spec, env = process.env) {
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const result = spawnSync(
    'npm',
    ['install', '--prefix', dir, '--no-audit', '--no-fund', '--loglevel=error', spec],
    { env, encoding: 'utf8', timeout: INSTALL_TIMEOUT_MS, killSignal: 'SIGKILL' },
  );
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (result.error?.code === 'ETIMEDOUT' || result.signal) {
    throw new Unavailable(
      `npm install ${spec} did not finish within ${INSTALL_TIMEOUT_MS / 1000} s (is the npm registry slow or unreachable?)`,
    );
  }
  if (result.status !== 0) {
    throw new Unavailable(
      `npm install ${spec} failed after ${seconds} s: ${npmError(result.stderr || result.stdout)}`,
    );
  }
  say(`installed ${spec} into ${dir} in ${seconds} s`);
}

/** npm's first error lines (the code and what it says), not its advice on proxies and logs. */
function npmError(output) {
  const errors = (output ?? '').split('\n').filter((line) => line.startsWith('npm error'));
  return (errors.length > 0 ? errors.slice(0, 2) : [lastLines(output, 3)]).join('; ');
}

function nodeVersion(binary) {
  try {
    return execFileSync(binary, ['--version'], { encoding: 'utf8', timeout: 30_000 }).trim();
  } catch {
    return undefined;
  }
}

function node22() {
  const binary = path.join(cacheDir, 'node_modules/node/bin/node');
  let version = existsSync(binary) ? nodeVersion(binary) : undefined;
  if (version?.startsWith('v22.')) {
    say(`Node ${version} from ${binary} (cached)`);
    return { binary, version };
  }
  npmInstall(cacheDir, 'node@22');
  version = nodeVersion(binary);
  if (!version?.startsWith('v22.')) {
    throw new Unavailable(`npm install node@22 left no Node 22 at ${binary} (got ${version})`);
  }
  say(`Node ${version} at ${binary}`);
  return { binary, version };
}

function vitest5(env) {
  const manifest = path.join(vitestDir, 'node_modules/vitest/package.json');
  const installed = () =>
    existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')).version : undefined;
  if (installed()?.startsWith('5.')) {
    say(`Vitest ${installed()} from ${vitestDir} (already installed)`);
  } else {
    // With Node 22 first on PATH, so install scripts and engine checks see the Node that runs it.
    npmInstall(vitestDir, 'vitest@5', env);
    if (!installed()?.startsWith('5.')) {
      throw new Unavailable(`npm install vitest@5 left no Vitest 5 in ${vitestDir}`);
    }
  }
  return { dir: path.join(vitestDir, 'node_modules/vitest'), version: installed() };
}

/** The suite's own node_modules/vitest points at Vitest 5; the rest resolves from the repo. */
function linkVitest(vitest) {
  const modules = path.join(suiteDir, 'node_modules');
  mkdirSync(modules, { recursive: true });
  const link = path.join(modules, 'vitest');
  rmSync(link, { recursive: true, force: true });
  symlinkSync(path.relative(modules, vitest.dir), link, 'dir');
}

/** Every Node process started from examples/shop/<service>, and the binary it runs. */
function sampleServiceProcesses(seen) {
  const shop = path.join(repo, 'examples/shop');
  let pids;
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return;
  }
  for (const pid of pids) {
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      if (!cwd.startsWith(`${shop}${path.sep}`)) continue;
      const service = path.relative(shop, cwd).split(path.sep)[0];
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      const exe = readlinkSync(`/proc/${pid}/exe`);
      // A `#!/usr/bin/env node` script is /usr/bin/env itself until env starts the Node it
      // finds; a later sight of the same process tells which. The latest sight wins.
      if (path.basename(exe) === 'env') continue;
      // Native helpers the services start (tsx's esbuild) are not JavaScript: no Node to check.
      if (!/^node(\d+)?$/.test(path.basename(exe))) continue;
      seen.set(`${service}\0${pid}`, { service, pid, exe, command });
    } catch {
      // Gone already, or not ours to read.
    }
  }
}

function runSuite({ node, vitest, env }) {
  const report = path.join(suiteDir, '.seamtest-run-node22.json');
  rmSync(report, { force: true });
  const seen = new Map();
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(
      node.binary,
      [
        path.join(vitest.dir, 'vitest.mjs'),
        'run',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${report}`,
      ],
      { cwd: suiteDir, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    const collect = (chunk) => {
      output += chunk.toString();
      process.stdout.write(chunk);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const sampler = setInterval(() => sampleServiceProcesses(seen), 250);
    const timer = setTimeout(() => child.kill('SIGKILL'), SUITE_TIMEOUT_MS);
    child.once('exit', (code, signal) => {
      clearInterval(sampler);
      clearTimeout(timer);
      const seconds = (performance.now() - started) / 1000;
      const json = existsSync(report) ? JSON.parse(readFileSync(report, 'utf8')) : undefined;
      rmSync(report, { force: true });
      resolve({ code, signal, seconds, output, json, processes: [...seen.values()] });
    });
  });
}

function typecheck(node) {
  const tsc = path.join(repo, 'node_modules/typescript/bin/tsc');
  const result = spawnSync(node.binary, [tsc, '-p', 'tsconfig.json', '--noEmit'], {
    cwd: suiteDir,
    encoding: 'utf8',
    timeout: 180_000,
  });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}`.trim() };
}

function failures(json) {
  const out = [];
  for (const file of json.testResults) {
    const relative = path.relative(suiteDir, file.name);
    for (const test of file.assertionResults ?? []) {
      if (test.status !== 'failed') continue;
      out.push(`${relative} > ${test.fullName}: ${(test.failureMessages ?? []).join('\n')}`);
    }
    if (file.status === 'failed' && (file.assertionResults ?? []).length === 0) {
      out.push(`${relative}: ${file.message}`);
    }
  }
  return out;
}

async function main() {
  const { env: baseEnv, defaulted } = serviceEnv();
  if (defaulted.length > 0) say(`local services assumed for ${defaulted.join(', ')}`);

  let node;
  let vitest;
  let env;
  try {
    node = node22();
    env = {
      ...baseEnv,
      PATH: `${path.dirname(node.binary)}${path.delimiter}${baseEnv.PATH ?? ''}`,
    };
    vitest = vitest5(env);
  } catch (error) {
    if (error instanceof Unavailable) {
      say(`SKIPPED: ${error.message}`);
      return 2;
    }
    throw error;
  }

  say(`generating the suite with Node ${process.version} (${process.execPath})`);
  const generated = generateShopSuite(repo, suiteDir, baseEnv);
  if (generated.error) {
    say(`FAILED: generating the suite with Node ${process.version}: ${generated.error}`);
    return 1;
  }
  const { tests, verification, timings } = generated.summary;
  say(
    `generated ${tests} tests into ${path.relative(repo, suiteDir)} in ${generated.seconds.toFixed(1)} s (verified with Node ${process.version} and the repository's Vitest: ${verification.passed} passed, ${verification.failed} failed; total ${(timings.totalMs / 1000).toFixed(1)} s)`,
  );
  linkVitest(vitest);

  const types = typecheck(node);
  say(
    types.ok
      ? `type-check of the suite against Vitest ${vitest.version}'s types (tsc, Node ${node.version}): passed`
      : `type-check of the suite against Vitest ${vitest.version}'s types: FAILED\n${types.output}`,
  );

  say(`running the suite with Node ${node.version} and Vitest ${vitest.version} (2 workers)`);
  const run = await runSuite({ node, vitest, env: { ...env, SEAMTEST_WORKERS: '2' } });
  // Compared by real path: the cache folder may sit behind a symbolic link.
  const node22Real = realpathSync(node.binary);
  const services = new Map();
  for (const seen of run.processes) {
    const entry = services.get(seen.service) ?? new Map();
    entry.set(seen.exe, (entry.get(seen.exe) ?? 0) + 1);
    services.set(seen.service, entry);
  }
  const elsewhere = run.processes.filter((seen) => seen.exe !== node22Real);
  for (const [service, binaries] of [...services].sort()) {
    const described = [...binaries]
      .map(([exe, count]) => `${count} on ${exe === node22Real ? `Node ${node.version}` : exe}`)
      .join(', ');
    say(
      `node processes seen in examples/shop/${service} (services and migrations; tsx and its child): ${described}`,
    );
  }
  if (services.size === 0) say('saw no service process to check which Node it ran on');
  for (const seen of elsewhere) say(`not on Node 22: pid ${seen.pid} ${seen.exe}: ${seen.command}`);

  if (!run.json) {
    say(
      `FAILED: Vitest ${vitest.version} on Node ${node.version} wrote no report (exit ${run.code ?? run.signal} after ${run.seconds.toFixed(1)} s):\n${lastLines(run.output, 30)}`,
    );
    return 1;
  }
  const { numPassedTests, numFailedTests, numPendingTests, numTotalTests } = run.json;
  const failed = failures(run.json);
  say(
    `Node ${node.version} + Vitest ${vitest.version}: ${numPassedTests} of ${numTotalTests} tests passed, ${numFailedTests} failed${numPendingTests ? `, ${numPendingTests} skipped` : ''} in ${run.seconds.toFixed(1)} s`,
  );
  for (const failure of failed) say(`failed: ${failure}`);
  const ok = run.code === 0 && failed.length === 0 && types.ok && elsewhere.length === 0;
  say(ok ? 'PASSED' : 'FAILED');
  return ok ? 0 : 1;
}

process.exitCode = await main();
