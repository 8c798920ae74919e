// Process-level glue for the executable: real stdout/stderr, exit codes, and a last-resort
// handler that reports bugs with their stack.
import { runCli } from './main.js';

export function main(): void {
  runCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `seamtest: internal error, please report it: ${error instanceof Error ? error.stack : String(error)}\n`,
      );
      process.exitCode = 70;
    },
  );
}
