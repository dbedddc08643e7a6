/**
 * A folder on disk as the editor's workspace API shows a virtual folder
 * (`vscode-vfs://github/…`): every file's text under its URI. For the tests
 * that play a client answering the server's list and read requests.
 */

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export function filesAsFolder(root: string, folderUri: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (directory: string) => {
    for (const name of readdirSync(directory)) {
      const full = join(directory, name);
      if (statSync(full).isDirectory()) walk(full);
      else files.set(`${folderUri}/${relative(root, full).split('\\').join('/')}`, readFileSync(full, 'utf8'));
    }
  };
  walk(root);
  return files;
}
