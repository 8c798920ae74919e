// Child processes of a test run: services and their migrations. Commands are resolved the way
// npm resolves a script's commands (node_modules/.bin folders up the tree), and every started
// process is stopped by whoever started it.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CommandSpec } from './system.js';

/** `node` is this Node; anything else is looked up in node_modules/.bin from `cwd` upwards. */
export function resolveCommand(command: string, cwd: string): string {
  if (command === 'node') return process.execPath;
  for (let dir = cwd; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', '.bin', command);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return command;
  }
}

export interface RunResult {
  code: number | null;
  output: string;
}

/** Runs a command to completion (a migration), with a bound on how long it may take. */
export async function runToEnd(
  spec: CommandSpec,
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutMs = 60_000,
): Promise<RunResult> {
  const started = startProcess(spec, cwd, env);
  const timer = setTimeout(() => started.child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => {
    started.child.once('error', () => resolve(-1));
    started.child.once('exit', resolve);
  });
  clearTimeout(timer);
  return { code, output: started.output() };
}

export interface StartedProcess {
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts a long-running process; `stop()` sends SIGTERM, then SIGKILL after a grace period. */
export function startProcess(
  spec: CommandSpec,
  cwd: string,
  env: NodeJS.ProcessEnv,
): StartedProcess {
  const child = spawn(resolveCommand(spec.command, cwd), spec.args, {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    // Keep the tail only: a chatty service must not grow the test runner's memory without bound.
    output = `${output}${chunk.toString()}`.slice(-20_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  child.once('error', (error) => collect(Buffer.from(error.message)));
  return {
    child,
    output: () => output,
    stop: () => stopChild(child),
  };
}

/** SIGTERM, then SIGKILL after a five-second grace period; resolves once the process is gone. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
