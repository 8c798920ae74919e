// Starts a service as a child process and waits until it says it is listening; stops it with
// SIGTERM and waits for it to exit. Whoever starts one stops it.
import { spawn } from 'node:child_process';
import { stopChild } from '../../src/runtime/processes.js';

export interface RunningService {
  url: string;
  stop(): Promise<void>;
  /** Everything it printed so far, for error messages. */
  output(): string;
}

export interface ServiceOptions {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

const LISTENING = /listening on (http:\/\/\S+)/;

export function startService(options: ServiceOptions): Promise<RunningService> {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const service = (url: string): RunningService => ({
    url,
    stop: () => stopChild(child),
    output: () => output,
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `${options.name} did not start within ${options.timeoutMs ?? 20_000} ms:\n${output}`,
        ),
      );
    }, options.timeoutMs ?? 20_000);
    const onData = () => {
      const match = LISTENING.exec(output);
      if (!match?.[1]) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      resolve(service(match[1]));
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${options.name} exited with ${code} before listening:\n${output}`));
    });
  });
}
