// Runs a suite with its runner as a child process and reads the per-test results from the
// runner's JSON report.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { resolveCommand } from '../runtime/processes.js';

export interface TestResult {
  file: string;
  title: string;
  passed: boolean;
  failure?: string;
}

export interface SuiteRun {
  code: number | null;
  results: TestResult[];
  output: string;
  durationMs: number;
}

export async function runVitest(
  suiteDir: string,
  options: { config?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<SuiteRun> {
  const report = join(suiteDir, '.seamtest-report.json');
  rmSync(report, { force: true });
  const args = [
    'run',
    '--reporter=json',
    `--outputFile=${report}`,
    ...(options.config ? ['--config', options.config] : []),
  ];
  const started = performance.now();
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(resolveCommand('vitest', suiteDir), args, {
      cwd: suiteDir,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    const collect = (chunk: Buffer) => {
      text = `${text}${chunk.toString()}`.slice(-50_000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 600_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ code: -1, output: error.message });
    });
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve({ code: exitCode, output: text });
    });
  });
  const results: TestResult[] = [];
  if (existsSync(report)) {
    const parsed = JSON.parse(readFileSync(report, 'utf8')) as {
      testResults?: {
        name: string;
        assertionResults?: { title: string; status: string; failureMessages?: string[] }[];
      }[];
    };
    for (const file of parsed.testResults ?? []) {
      for (const test of file.assertionResults ?? []) {
        results.push({
          file: file.name,
          title: test.title,
          passed: test.status === 'passed',
          ...(test.status === 'passed'
            ? {}
            : { failure: (test.failureMessages ?? []).join('\n').slice(0, 2_000) }),
        });
      }
    }
    rmSync(report, { force: true });
  }
  return { code, results, output, durationMs: performance.now() - started };
}
