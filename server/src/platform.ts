/**
 * What the language server needs from the runtime it runs in. The server
 * (`main.ts`) is the same everywhere; an entry point installs one platform
 * before it loads the server:
 * - `node.ts` (Node: VS Code desktop, any editor over stdio): the file system
 *   through the confined reader, chart downloads, git revisions
 *   (`nodePlatform.ts`);
 * - `browser.ts` (a web worker: vscode.dev, github.dev, code-server's web
 *   extension host): files read by the client through the VS Code workspace
 *   API, no chart downloads, no git (`browserPlatform.ts`).
 *
 * Invariants: `main.ts` imports nothing Node-specific (it reaches the runtime
 * only through this interface), so the browser bundle holds no Node built-in;
 * a platform that lacks a capability says so with a `limitation` instead of
 * failing, and the server tells the user once.
 */

import type { Connection, ConnectionOptions } from 'vscode-languageserver';
import type { ChartFetcher } from '../../core/src/index';
import type { PathMatcher } from '../../host/src/pathMatchers';
import type { WalkResult } from '../../host/src/yamlFiles';
import type { HandlerContext } from './handlers/index';
import type { Lifecycle } from './lifecycle';

/** The chart downloader as the server drives it (settings, trust, cache folder). */
export interface PlatformCharts extends ChartFetcher {
  onDidChange(listener: () => void): void;
  setPolicy(policy: { enabled: boolean; trusted: boolean }): void;
  setCacheDir(cacheDir: string | undefined): void;
  setCacheSizeBytes(bytes: number | undefined): void;
  setAllowPrivateNetworks(allow: boolean): void;
}

/** What the client sent in `initializationOptions` that a platform may use. */
export interface PlatformInit {
  cacheDir?: unknown;
  /** Where the rule pages are, as the client sees them (the extension's `docs/rules` folder). */
  docsBaseUri?: unknown;
}

export interface ServerPlatform {
  /** The connection to the client, with the lifecycle's message strategy. */
  createConnection(options: ConnectionOptions, lifecycle: Lifecycle): Connection;
  /** Called once the connection exists (reads over the connection become possible). */
  attach(connection: Connection): void;
  /** File keys (see `uris.ts`) from and to document URIs. */
  uriToKey(uri: string): string;
  keyToUri(key: string): string;
  /** Learns the workspace folders (as URIs) before any key is made from them. */
  setWorkspaceFolders(uris: readonly string[]): void;
  /** The YAML files under the workspace roots (keys), and the entries skipped with why. */
  listYamlFiles(roots: readonly string[], exclude: readonly PathMatcher[]): Promise<WalkResult>;
  /** A workspace file's text; a larger one only up to `maxBytes` (so the core reports it as too large); undefined when refused. */
  readWorkspaceFile(file: string, maxBytes: number): Promise<string | undefined>;
  /** The core's synchronous read of a file a manifest references (confined to the roots); undefined when refused or unknown. */
  readReferencedFile(path: string, maxBytes: number): string | undefined;
  /**
   * For a platform that reads asynchronously: a referenced file it could not give synchronously has arrived
   * (the server then re-checks what read it).
   */
  onDidReadReferencedFile?(listener: () => void): void;
  /** Chart downloads, when the platform can make them. */
  readonly charts?: PlatformCharts;
  /** Where downloaded charts are cached when the client names no folder. */
  defaultCacheDir?(): string | undefined;
  /** Base URL of the rule pages (`${base}/${id}.md`), when they are bundled where the client can open them. */
  docsBaseUrl(init: PlatformInit): string | undefined;
  /** Requests only this platform can answer (git revisions on Node). */
  registerHandlers(context: HandlerContext): void;
  /** Errors nothing caught: logged, never fatal. */
  onUncaughtError(listener: (error: Error) => void): void;
  /** What this platform cannot do, said once to the user (undefined: nothing missing). */
  readonly limitation?: string;
}

let installed: ServerPlatform | undefined;

export function installServerPlatform(platform: ServerPlatform): void {
  installed = platform;
}

export function serverPlatform(): ServerPlatform {
  if (!installed) throw new Error('no server platform installed: load the server through server/src/node.ts or server/src/browser.ts');
  return installed;
}
