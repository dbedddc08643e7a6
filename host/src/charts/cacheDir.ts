/**
 * Where downloaded chart files are cached when the client gives no folder
 * (a stdio client, the CLI): `$XDG_CACHE_HOME/meshlens`, else
 * `~/.cache/meshlens`. VS Code passes its global storage folder instead.
 */

import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

export function defaultChartCacheDir(env: NodeJS.ProcessEnv = process.env, home: () => string = homedir): string | undefined {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'meshlens');
  try {
    const directory = home();
    return directory ? join(directory, '.cache', 'meshlens') : undefined;
  } catch {
    return undefined;
  }
}
