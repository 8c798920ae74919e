import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  return { code, stdout, stderr };
}

describe('seamtest CLI', () => {
  it('lists the commands in --help', async () => {
    const { code, stdout } = await run('--help');
    expect(code).toBe(0);
    for (const command of ['map', 'generate', 'verify']) expect(stdout).toContain(`  ${command} `);
  });

  it('prints the package version', async () => {
    const { stdout } = await run('--version');
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each([
    [['bogus'], "unknown command 'bogus'"],
    [['--bogus'], "unknown option '--bogus'"],
    [['map', '--bogus'], "unknown option '--bogus'"],
    [['map', '--out'], "option '--out' needs a value"],
    [['map', 'a', 'b'], "unexpected argument 'b'"],
    [['generate', 'x', '--framework', 'mocha'], "unknown framework 'mocha'"],
  ])('rejects %j with a one-line error and a non-zero exit', async (argv, message) => {
    const { code, stderr, stdout } = await run(...argv);
    expect(code).not.toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('names the fix when the folder is not a project', async () => {
    const { code, stderr } = await run('map', 'test');
    expect(code).toBe(1);
    expect(stderr).toMatch(/has no package\.json; pass the root folder of a Node\.js project/);
  });

  it('runs as an executable with real exit codes', async () => {
    const bin = new URL('../../bin/seamtest.js', import.meta.url).pathname;
    const help = await promisify(execFile)(process.execPath, [bin, '--help']);
    expect(help.stdout).toContain('Usage: seamtest <command>');
    const failure = await promisify(execFile)(process.execPath, [bin, 'nope']).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toContain("unknown command 'nope'");
  });
});
