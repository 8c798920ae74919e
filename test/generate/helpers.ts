// Shared by the `seamtest generate` end-to-end tests: running the real executable and other
// programs as child processes, and the local services the shop example needs.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const seamtestBin = fileURLToPath(new URL('../../bin/seamtest.js', import.meta.url));

/** The local services, unless the environment names others. */
export const serviceEnv: Record<string, string> = {
  SEAMTEST_ORDERS_DB_URL:
    process.env.SEAMTEST_ORDERS_DB_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  SEAMTEST_INVENTORY_DB_URL:
    process.env.SEAMTEST_INVENTORY_DB_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  SEAMTEST_REDIS_URL: process.env.SEAMTEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  SEAMTEST_RABBITMQ_URL: process.env.SEAMTEST_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
};

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * This process's environment without what Vitest sets for its own workers: a child that runs
 * Vitest itself (the generated suite, the observation run) must not think it is one of ours.
 */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith('VITEST') || name.startsWith('TINYPOOL') || name === 'NODE_ENV') continue;
    env[name] = value;
  }
  return { ...env, ...serviceEnv, ...extra };
}

export function runProgram(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? repoRoot,
      env: options.env ?? childEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** `node bin/seamtest.js …` from the repository root. */
export function runSeamtest(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<Ran> {
  return runProgram(process.execPath, [seamtestBin, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: childEnv(options.env),
  });
}
