/**
 * The language server's platform on Node (VS Code desktop over IPC, any
 * editor over `--stdio`): files through the confined reader (real paths
 * inside the workspace folders, regular files, size-capped before reading),
 * the workspace walk, chart downloads, rule pages bundled next to `dist/`,
 * and the git-revision requests. See `platform.ts`.
 *
 * A workspace folder that is not on disk (VS Code desktop on a `vscode-vfs:`
 * folder of GitHub Repositories, or another virtual file system) is read
 * through the client instead, as the browser server reads (`clientFiles.ts`):
 * once any folder is virtual, every workspace file is, and comparing with a
 * git revision answers why it cannot.
 */

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { ConfinedFiles } from '../../host/src/fileAccess';
import { walkYamlFiles, type WalkResult } from '../../host/src/yamlFiles';
import { defaultChartCacheDir } from '../../host/src/charts/cacheDir';
import { ChartDownloader } from '../../host/src/charts/chartDownloader';
import { registerReviewHandlers } from './handlers/reviewHandlers';
import type { Lifecycle } from './lifecycle';
import { ClientFiles } from './clientFiles';
import type { ServerPlatform } from './platform';
import { installUriMapping } from './uris';

/** Said once in the log, and by the compare request, when a workspace folder is virtual. */
export const VIRTUAL_LIMITATION =
  'a workspace folder is not on disk here: meshlens reads its files through the editor, and effective policies cannot be compared with a git revision (that needs a clone on disk).';

/**
 * Rule pages ship with the extension (`docs/rules/` next to `dist/`): findings link to them as files, so the
 * links work offline. Without them (a server installed without docs) the core's web address stays.
 */
const BUNDLED_DOCS = join(__dirname, '..', 'docs', 'rules');

export function nodePlatform(): ServerPlatform {
  let roots: string[] = [];
  const files = new ConfinedFiles({ roots: () => roots });
  const clientFiles = new ClientFiles();
  /** Whether some workspace folder is not a `file:` folder (its files are then read through the client). */
  let virtual = false;
  // On `file:` folders these keys are the plain Node mapping of `uris.ts`; on virtual folders, their paths.
  installUriMapping(clientFiles.keys);
  return {
    createConnection(options, lifecycle) {
      if (!process.argv.includes('--stdio')) return createConnection(ProposedFeatures.all, options);
      const { reader, writer } = stdioTransport(lifecycle);
      return createConnection(ProposedFeatures.all, reader, writer, options);
    },
    attach: (connection) => clientFiles.attach(connection),
    uriToKey: (uri) => clientFiles.keys.uriToKey(uri),
    keyToUri: (key) => clientFiles.keys.keyToUri(key),
    setWorkspaceFolders(uris) {
      clientFiles.keys.setFolders(uris);
      virtual = uris.some((uri) => !uri.startsWith('file:'));
      roots = virtual ? [] : uris.map((uri) => clientFiles.keys.uriToKey(uri));
    },
    async listYamlFiles(rootKeys, exclude) {
      if (virtual) return clientFiles.listYamlFiles(rootKeys, exclude);
      const walked: WalkResult = { files: [], skipped: [] };
      for (const root of rootKeys) await walkYamlFiles(root, root, exclude, walked);
      return walked;
    },
    async readWorkspaceFile(file, maxBytes) {
      if (virtual) return clientFiles.readWorkspaceFile(file, maxBytes);
      const read = await files.read(file, { oversized: 'prefix', maxBytes });
      return read.ok ? read.text : undefined;
    },
    readReferencedFile(path, maxBytes) {
      if (virtual) return clientFiles.readReferencedFile(path, maxBytes);
      const read = files.readSync(path, { maxBytes });
      return read.ok ? read.text : undefined;
    },
    onDidReadReferencedFile: (listener) => clientFiles.onDidReadReferencedFile(listener),
    charts: new ChartDownloader({ userAgent: 'meshlens/0.1.0' }),
    defaultCacheDir: () => defaultChartCacheDir(),
    docsBaseUrl: () => (existsSync(BUNDLED_DOCS) ? pathToFileURL(BUNDLED_DOCS).href : undefined),
    registerHandlers(context) {
      registerReviewHandlers(context, () => (virtual ? VIRTUAL_LIMITATION : undefined));
    },
    onUncaughtError(listener) {
      process.on('uncaughtException', listener);
    },
    get limitation() {
      return virtual ? VIRTUAL_LIMITATION : undefined;
    },
  };
}

/** Reader and writer for `--stdio`, with framing errors logged and fatal (see `lifecycle.ts`). */
export function stdioTransport(lifecycle: Lifecycle): { reader: StreamMessageReader; writer: StreamMessageWriter } {
  // stdout carries the protocol: console output goes to stderr (vscode-languageserver does this only for streams it opens).
  const toStderr = (...args: unknown[]) => void process.stderr.write(`${args.map(String).join(' ')}\n`);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  const reader = new StreamMessageReader(process.stdin);
  const writer = new StreamMessageWriter(process.stdout);
  reader.onError((error) => {
    process.stderr.write(`meshlens-language-server: unreadable message from the client, stopping: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`);
    process.exit(1);
  });
  reader.onPartialMessage((info) => {
    process.stderr.write(`meshlens-language-server: still waiting for the rest of a message after ${info.waitingTime} ms (a wrong Content-Length?)\n`);
  });
  reader.onClose(() => process.exit(lifecycle.shutdownRequested ? 0 : 1));
  return { reader, writer };
}
