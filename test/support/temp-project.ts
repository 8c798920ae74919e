// A throwaway project folder for tests that need files no fixture should hold (a symlink loop,
// a 5 MB file) or variations of one small app.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TempProject {
  root: string;
  write(file: string, content: string | Buffer): Promise<void>;
  remove(): Promise<void>;
}

export async function tempProject(files: Record<string, string> = {}): Promise<TempProject> {
  const root = await mkdtemp(path.join(tmpdir(), 'seamtest-test-'));
  const write = async (file: string, content: string | Buffer) => {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), content);
  };
  for (const [file, content] of Object.entries(files)) await write(file, content);
  return { root, write, remove: () => rm(root, { recursive: true, force: true }) };
}
