/**
 * The URI of a file the server names by its key. On the desktop a key is a
 * file system path. In the browser (github.dev, vscode.dev, code-server's web
 * worker host) the workspace folders are `vscode-vfs:`/`vscode-remote:` URIs
 * and the server's keys are their paths (`server/src/browserPlatform.ts`,
 * `WorkspaceUriKeys`): a key under such a folder gets that folder's scheme
 * and authority back.
 */

import * as vscode from 'vscode';

export function fileUri(key: string): vscode.Uri {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme === 'file') continue;
    const root = folder.uri.path.replace(/\/+$/, '');
    if (key === root || key.startsWith(`${root}/`)) return folder.uri.with({ path: key, query: '', fragment: '' });
  }
  return vscode.Uri.file(key);
}

/** The folders to resolve workspace-relative paths against, as keys (file system paths on the desktop). */
export function folderKeys(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).map((folder) => (folder.uri.scheme === 'file' ? folder.uri.fsPath : folder.uri.path));
}
