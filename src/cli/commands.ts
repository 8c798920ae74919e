// The subcommands: their options, help text and the library call each one makes.
import type { ParseArgsConfig } from 'node:util';
import { generateSuite } from '../generate.js';
import { mapProject } from '../map/map-project.js';
import { summariseMap } from '../map/render-summary.js';
import { serialiseMap } from '../map/serialise.js';
import { writeMapFiles } from '../map/write-map-files.js';
import { verifySuite } from '../verify.js';
import type { CliIO } from './main.js';

type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

interface Command {
  summary: string;
  help: string;
  options: NonNullable<ParseArgsConfig['options']>;
  maxPositionals: number;
  run(values: OptionValues, positionals: string[], io: CliIO): Promise<number>;
}

const map: Command = {
  summary: 'find the integration points of a backend by reading its source',
  help: `Usage: seamtest map [dir] [--json] [--out DIR]

Reads the backend in dir (default: the current folder) without running it and
prints its integration map: components, the boundaries between them, and what
crosses each one.

Options:
  --json       print the map as JSON (the schema is schema/integration-map.schema.json)
  --out DIR    also write DIR/integration-map.json and DIR/integration-map.md
  -h, --help   show this help
`,
  options: { json: { type: 'boolean' }, out: { type: 'string' } },
  maxPositionals: 1,
  async run(values, positionals, io) {
    const dir = positionals[0] ?? '.';
    const { map } = await mapProject(dir);
    if (typeof values.out === 'string') await writeMapFiles(map, values.out, dir);
    io.stdout(values.json ? serialiseMap(map) : summariseMap(map));
    return 0;
  },
};

const generate: Command = {
  summary: 'write a runnable integration-test suite for a backend',
  help: `Usage: seamtest generate [dir] --framework vitest|jest|node:test --out DIR

Maps the backend in dir, plans scenarios for every boundary, observes the
running system and writes a test suite to DIR.

Options:
  --framework NAME   vitest, jest or node:test
  --out DIR          where to write the suite
  --force            overwrite files you edited since the last run
  --json             print a machine-readable summary
  -h, --help         show this help
`,
  options: {
    framework: { type: 'string' },
    out: { type: 'string' },
    force: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  maxPositionals: 1,
  async run(values, positionals, io) {
    const dir = positionals[0] ?? '.';
    const result = await generateSuite(dir, {
      framework: typeof values.framework === 'string' ? values.framework : undefined,
      out: typeof values.out === 'string' ? values.out : undefined,
      force: values.force === true,
      progress: values.json ? undefined : (line) => io.stderr(`seamtest: ${line}\n`),
    });
    if (values.json) {
      io.stdout(`${JSON.stringify(result, null, 2)}\n`);
      return 0;
    }
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    const lines = [
      `Wrote ${result.tests} tests to ${result.outDir} (${result.files.written.length} files written, ${result.files.unchanged.length} unchanged, ${result.files.kept.length} kept because you edited them)`,
      `Verified: ${result.verification.passed} passed, ${result.verification.failed} failed and left out, in ${seconds(result.verification.durationMs)}`,
      `Findings: ${result.findings.length}${result.findings.length > 0 ? ' (see findings.md; the findings/ suite fails until they are fixed)' : ''}`,
      ...(result.skipped.length > 0
        ? [`Left out: ${result.skipped.length} scenarios (listed in INTEGRATION.md)`]
        : []),
      `Took ${seconds(result.timings.totalMs)}; run it again with the same SEAMTEST_*_URL variables: cd ${result.outDir} && npx vitest run`,
    ];
    io.stdout(`${lines.join('\n')}\n`);
    return 0;
  },
};

const verify: Command = {
  summary: 'run a generated suite repeatedly and report passes, flakes and findings',
  help: `Usage: seamtest verify [suite-dir] [--runs N]

Runs a generated suite against the real system and reports what passed, what
is flaky and which defects it found.

Options:
  --runs N     how many times to run it (default 3)
  --json       print a machine-readable report
  -h, --help   show this help
`,
  options: { runs: { type: 'string' }, json: { type: 'boolean' } },
  maxPositionals: 1,
  async run(_values, positionals) {
    await verifySuite(positionals[0] ?? '.');
    return 0;
  },
};

export const commands = { map, generate, verify } satisfies Record<string, Command>;
export type CommandName = keyof typeof commands;

export function mainHelp(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const lines = Object.entries(commands).map(
    ([name, command]) => `  ${name.padEnd(width)}   ${command.summary}`,
  );
  return `Usage: seamtest <command> [options]

Maps the integration points of a Node.js/TypeScript backend and generates a
runnable integration-test suite for them.

Commands:
${lines.join('\n')}

Options:
  -h, --help      show help (also: seamtest <command> --help)
  -v, --version   show the version
`;
}
