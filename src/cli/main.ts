// The seamtest command line: parses arguments, calls the library, prints, and maps errors to
// exit codes. No analysis or generation happens here.
import { parseArgs } from 'node:util';
import { isSeamtestError } from '../errors.js';
import { VERSION } from '../version.js';
import { type CommandName, commands, mainHelp } from './commands.js';

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** Runs one invocation and resolves to its exit code; never calls process.exit itself. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.stdout(mainHelp());
    return EXIT.ok;
  }
  if (first === '--version' || first === '-v') {
    io.stdout(`${VERSION}\n`);
    return EXIT.ok;
  }
  if (first.startsWith('-')) {
    return usageError(io, `unknown option '${first}'; run 'seamtest --help' for the options`);
  }
  if (!isCommandName(first)) {
    return usageError(io, `unknown command '${first}'; run 'seamtest --help' for the commands`);
  }
  const command = commands[first];
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...rest],
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    return usageError(io, `${first}: ${describeParseError(error)}; run 'seamtest ${first} --help'`);
  }
  if (parsed.values.help) {
    io.stdout(command.help);
    return EXIT.ok;
  }
  if (parsed.positionals.length > command.maxPositionals) {
    const extra = parsed.positionals[command.maxPositionals];
    return usageError(
      io,
      `${first}: unexpected argument '${extra}'; run 'seamtest ${first} --help'`,
    );
  }
  try {
    return await command.run(parsed.values, parsed.positionals, io);
  } catch (error) {
    if (isSeamtestError(error)) {
      io.stderr(`seamtest ${first}: ${error.message}\n`);
      return error.code === 'usage' ? EXIT.usage : EXIT.failure;
    }
    throw error;
  }
}

function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(commands, name);
}

function usageError(io: CliIO, message: string): number {
  io.stderr(`seamtest: ${message}\n`);
  return EXIT.usage;
}

// node:util's messages are long and mention internals; keep the part a user can act on.
function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /^Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown option '${unknown[1]}'`;
  const missingValue = /^Option '([^']+?)(?: <value>)?' argument missing/.exec(message);
  if (missingValue) return `option '${missingValue[1]}' needs a value`;
  const notBoolean = /^Option '([^']+)' does not take an argument/.exec(message);
  if (notBoolean) return `option '${notBoolean[1]}' takes no value`;
  return message.split('\n')[0] ?? message;
}
