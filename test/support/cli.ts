/** Runs the bundled CLI (`dist/cli.js`, built by `npm test` / `npm run build`) in a child process. */

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './repo';

const cli = join(repoRoot, 'dist', 'cli.js');

export function meshlens(args: string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
