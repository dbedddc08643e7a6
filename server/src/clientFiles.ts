/**
 * Workspace files read by the client, through the VS Code workspace API, on
 * the server's request (`protocol/src/messages.ts`): what a server without a
 * file system of the workspace uses. The browser server always does
 * (`browserPlatform.ts`: a web worker has no file system); the Node server
 * does when a workspace folder is not on disk (`nodePlatform.ts`: VS Code
 * desktop on a `vscode-vfs:` folder of GitHub Repositories, or another
 * virtual file system).
 *
 * Invariants:
 * - Only files under the workspace folders are listed and read; the walk's
 *   rules (`host/src/yamlFileRules.ts`) decide which, as on disk. The client
 *   refuses any URI outside its folders.
 * - The core's synchronous reads of referenced files (generator inputs,
 *   values files, bpftool probes) are answered from the texts read so far. A
 *   file not read yet is refused for now and asked of the client in the
 *   background; when it arrives the server re-checks what read it
 *   (`onDidReadReferencedFile`). Each such file is asked once per workspace
 *   scan (a refusal too), so a missing file costs one request, not one per
 *   check. The core only asks for paths inside the workspace folders.
 * - File keys are the paths of the workspace folders' URIs (`WorkspaceUriKeys`),
 *   so the core's path logic (parent folders, relative references, "inside the
 *   workspace") works on `vscode-vfs://`, `vscode-remote://` or `file://`
 *   folders alike; on `file:` folders the keys are those of `uris.ts`.
 */

import { RequestType, type Connection } from 'vscode-languageserver';
import { exceedsUtf8Bytes } from '../../core/src/index';
import type { PathMatcher } from '../../host/src/pathMatchers';
import { keptByWalk, SKIPPED_DIRECTORIES } from '../../host/src/yamlFileRules';
import type { WalkResult } from '../../host/src/yamlFiles';
import { READ_FILE_REQUEST, WORKSPACE_FILES_REQUEST, type ReadFileParams, type ReadFileResult, type WorkspaceFilesParams, type WorkspaceFilesResult } from '../../protocol/src/messages';
import { fileKeyToUri, fileUriToKey } from './uris';

export class ClientFiles {
  readonly keys = new WorkspaceUriKeys();
  /** Texts read so far, by key: what `readReferencedFile` can answer. */
  private readonly texts = new Map<string, string>();
  /** Referenced files asked of the client since the last scan (answered or not). */
  private readonly asked = new Set<string>();
  private readonly arrived: (() => void)[] = [];
  private connection: Connection | undefined;

  attach(connection: Connection): void {
    this.connection = connection;
  }

  /** The YAML files of the workspace folders as the client lists them, kept by the walk's rules. */
  async listYamlFiles(roots: readonly string[], exclude: readonly PathMatcher[]): Promise<WalkResult> {
    // A new scan reads referenced files afresh: they may have appeared or changed since.
    this.asked.clear();
    const params: WorkspaceFilesParams = { excludeGlob: `**/{${[...SKIPPED_DIRECTORIES].join(',')}}/**` };
    let result: WorkspaceFilesResult;
    try {
      result = await this.connection!.sendRequest(new RequestType<WorkspaceFilesParams, WorkspaceFilesResult, void>(WORKSPACE_FILES_REQUEST), params);
    } catch (error) {
      this.connection?.console.error(`the client did not list the workspace files: ${String(error)}`);
      return { files: [], skipped: [] };
    }
    const found = new Set<string>();
    for (const uri of result.uris) {
      const key = this.keys.uriToKey(uri);
      if (roots.some((root) => keptByWalk(root, key, exclude))) found.add(key);
    }
    return { files: [...found].sort().map((key) => ({ key, display: key })), skipped: [] };
  }

  /** A workspace file's text from the client (a larger one only up to `maxBytes` plus one byte); undefined when refused. */
  async readWorkspaceFile(file: string, maxBytes: number): Promise<string | undefined> {
    let result: ReadFileResult;
    try {
      result = await this.connection!.sendRequest(new RequestType<ReadFileParams, ReadFileResult, void>(READ_FILE_REQUEST), { uri: this.keys.keyToUri(file), maxBytes });
    } catch {
      result = { refused: 'the client did not answer' };
    }
    if ('refused' in result) {
      this.texts.delete(file);
      return undefined;
    }
    this.texts.set(file, result.text);
    return result.text;
  }

  /** The core's synchronous read: a text read before, else undefined now and a read in the background. */
  readReferencedFile(path: string, maxBytes: number): string | undefined {
    const text = this.texts.get(path);
    // The text was read with the limit of its day: a larger one is refused now, as the disk reader would.
    if (text !== undefined) return exceedsUtf8Bytes(text, maxBytes) ? undefined : text;
    if (this.connection && !this.asked.has(path)) {
      this.asked.add(path);
      void this.readWorkspaceFile(path, maxBytes).then((found) => {
        if (found !== undefined) this.arrived.forEach((listener) => listener());
      });
    }
    return undefined;
  }

  onDidReadReferencedFile(listener: () => void): void {
    this.arrived.push(listener);
  }
}

/**
 * File keys for the URIs of a workspace read through the client. The folders' scheme and authority (the first folder's, when they
 * differ) are dropped: a key is the decoded path, so the core's path logic applies. `file:` URIs keep the Node
 * mapping (`uris.ts`); URIs of another scheme or authority, or with a query or fragment, are their own key.
 */
export class WorkspaceUriKeys {
  private base: string | undefined;

  setFolders(uris: readonly string[]): void {
    this.base = undefined;
    for (const uri of uris) {
      const parts = splitUri(uri);
      if (parts && parts.scheme !== 'file') {
        this.base = parts.base;
        return;
      }
    }
  }

  uriToKey(uri: string): string {
    if (uri.startsWith('file://')) return fileUriToKey(uri);
    const parts = splitUri(uri);
    if (!parts || parts.base !== this.base) return uri;
    try {
      return decodeURIComponent(parts.path);
    } catch {
      return uri;
    }
  }

  keyToUri(key: string): string {
    if (this.base === undefined || !key.startsWith('/')) return fileKeyToUri(key);
    return this.base + key.split('/').map((segment) => encodeURIComponent(segment)).join('/');
  }
}

function splitUri(uri: string): { scheme: string; base: string; path: string } | undefined {
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)(\/[^?#]*)?$/.exec(uri);
  if (!match) return undefined;
  return { scheme: match[1].toLowerCase(), base: `${match[1].toLowerCase()}://${match[2]}`, path: match[3] ?? '/' };
}
