/**
 * The client's side of a server that reads the workspace through the editor
 * (`server/src/clientFiles.ts`): it lists the YAML files of the workspace
 * folders and reads one on request, through the VS Code workspace API. The
 * browser server always asks; the Node server asks when a workspace folder is
 * not on disk (a `vscode-vfs:` folder of GitHub Repositories in VS Code
 * desktop).
 *
 * Invariants: only files inside a workspace folder are read, and only regular
 * files; a file larger than the server's limit is sent only up to that limit
 * plus one byte (the server then reports it as too large, as from disk).
 */

import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import {
  READ_FILE_REQUEST,
  WORKSPACE_FILES_REQUEST,
  type ReadFileParams,
  type ReadFileResult,
  type WorkspaceFilesParams,
  type WorkspaceFilesResult,
} from '../../protocol/src/messages';

/** The most files one workspace search returns: a bound on what a browser tab holds. */
const MAX_WORKSPACE_FILES = 20_000;

/** Answers the server's requests to list and read workspace files. */
export function serveWorkspaceFiles(client: BaseLanguageClient, log: vscode.LogOutputChannel): void {
  client.onRequest(WORKSPACE_FILES_REQUEST, (params: WorkspaceFilesParams) => listWorkspaceFiles(params));
  client.onRequest(READ_FILE_REQUEST, (params: ReadFileParams) => readWorkspaceFile(params, log));
}

/** The URI schemes of the workspace folders (`file` without a folder), and `untitled`: what the server is sent. */
export function workspaceSchemes(): string[] {
  const schemes = new Set((vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.scheme));
  if (schemes.size === 0) schemes.add('file');
  return [...schemes, 'untitled'];
}

async function listWorkspaceFiles(params: WorkspaceFilesParams): Promise<WorkspaceFilesResult> {
  const exclude = typeof params?.excludeGlob === 'string' ? params.excludeGlob : undefined;
  const found = await vscode.workspace.findFiles('**/*.{yaml,yml}', exclude, MAX_WORKSPACE_FILES);
  return { uris: found.map((uri) => uri.toString()) };
}

async function readWorkspaceFile(params: ReadFileParams, log: vscode.LogOutputChannel): Promise<ReadFileResult> {
  let uri: vscode.Uri;
  try {
    uri = vscode.Uri.parse(String(params?.uri), true);
  } catch {
    return { refused: 'not a URI' };
  }
  if (!vscode.workspace.getWorkspaceFolder(uri)) return { refused: 'outside the workspace folders' };
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if ((stat.type & vscode.FileType.File) === 0) return { refused: 'not a regular file' };
    const bytes = await vscode.workspace.fs.readFile(uri);
    const limit = Number.isFinite(params.maxBytes) && params.maxBytes >= 0 ? Math.floor(params.maxBytes) + 1 : bytes.length;
    return { text: new TextDecoder('utf-8').decode(bytes.length > limit ? bytes.subarray(0, limit) : bytes) };
  } catch (error) {
    log.debug(`reading ${uri.toString(true)} failed: ${String(error)}`);
    return { refused: 'cannot be read' };
  }
}
