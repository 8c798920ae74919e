import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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

  it('prints the map as JSON and writes JSON and Markdown with links that resolve', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'seamtest-cli-'));
    try {
      const { code, stdout } = await run('map', 'examples/shop', '--json', '--out', out);
      expect(code).toBe(0);
      const printed = JSON.parse(stdout);
      expect(printed.$schema).toMatch(/integration-map\.schema\.json$/);
      expect(JSON.parse(readFileSync(path.join(out, 'integration-map.json'), 'utf8'))).toEqual(
        printed,
      );
      const markdown = readFileSync(path.join(out, 'integration-map.md'), 'utf8');
      expect(markdown).toContain('```mermaid\nflowchart LR');
      const links = [...markdown.matchAll(/\]\(([^)#]+)#L(\d+)\)/g)];
      expect(links.length).toBeGreaterThan(40);
      for (const [, target] of links)
        expect(existsSync(path.resolve(out, target as string))).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('summarises the map in lines that fit an 80-column terminal', async () => {
    const { code, stdout } = await run('map', 'examples/shop');
    expect(code).toBe(0);
    expect(stdout).toContain('Boundaries (9)');
    for (const line of stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
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
