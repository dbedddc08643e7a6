/**
 * The language server's platform on Node (VS Code desktop over IPC, any
 * editor over `--stdio`): files through the confined reader (real paths
 * inside the workspace folders, regular files, size-capped before reading),
 * the workspace walk, chart downloads, rule pages bundled next to `dist/`,
 * and the git-revision requests. See `platform.ts`.
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
import type { ServerPlatform } from './platform';
import { keyToUri, uriToKey } from './uris';

/**
 * Rule pages ship with the extension (`docs/rules/` next to `dist/`): findings link to them as files, so the
 * links work offline. Without them (a server installed without docs) the core's web address stays.
 */
const BUNDLED_DOCS = join(__dirname, '..', 'docs', 'rules');

export function nodePlatform(): ServerPlatform {
  let roots: string[] = [];
  const files = new ConfinedFiles({ roots: () => roots });
  return {
    createConnection(options, lifecycle) {
      if (!process.argv.includes('--stdio')) return createConnection(ProposedFeatures.all, options);
      const { reader, writer } = stdioTransport(lifecycle);
      return createConnection(ProposedFeatures.all, reader, writer, options);
    },
    attach() {},
    uriToKey,
    keyToUri,
    setWorkspaceFolders(uris) {
      roots = uris.map(uriToKey);
    },
    async listYamlFiles(rootKeys, exclude) {
      const walked: WalkResult = { files: [], skipped: [] };
      for (const root of rootKeys) await walkYamlFiles(root, root, exclude, walked);
      return walked;
    },
    async readWorkspaceFile(file, maxBytes) {
      const read = await files.read(file, { oversized: 'prefix', maxBytes });
      return read.ok ? read.text : undefined;
    },
    readReferencedFile(path, maxBytes) {
      const read = files.readSync(path, { maxBytes });
      return read.ok ? read.text : undefined;
    },
    charts: new ChartDownloader({ userAgent: 'meshlens/0.1.0' }),
    defaultCacheDir: () => defaultChartCacheDir(),
    docsBaseUrl: () => (existsSync(BUNDLED_DOCS) ? pathToFileURL(BUNDLED_DOCS).href : undefined),
    registerHandlers(context) {
      registerReviewHandlers(context);
    },
    onUncaughtError(listener) {
      process.on('uncaughtException', listener);
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
