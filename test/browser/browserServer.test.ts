/**
 * The browser build of the language server (`dist/browser/server.js`), run as
 * a web worker would run it: the bundle is evaluated in a fresh V8 context
 * whose globals are only what a dedicated worker has (postMessage, onmessage,
 * MessageChannel, timers, TextEncoder/TextDecoder, …) — no `require`,
 * `process`, `Buffer` or file system. The test plays the VS Code client: it
 * answers the server's requests to list and read workspace files
 * (`protocol/src/messages.ts`) from the example repository mapped to
 * `vscode-vfs://github/…` URIs, as github.dev would, and drives LSP requests
 * through the worker's message port. Needs `npm run build` first.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import { AbstractMessageReader, AbstractMessageWriter, createMessageConnection, RequestType, type DataCallback, type Disposable, type Message, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, Hover, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadFileParams, ReadFileResult } from '../../protocol/src/messages';
import { repoRoot } from '../support/repo';
import { filesAsFolder } from '../support/virtualFolder';

const bundle = join(repoRoot, 'dist', 'browser', 'server.js');
const exampleRoot = join(repoRoot, 'examples', 'platform-repo');
const folderUri = 'vscode-vfs://github/meshlens/platform-repo';

/** A dedicated worker's global scope around the bundle, with the page's end of its message port. */
function startWorker(): { connection: MessageConnection; errors: string[]; logs: string[] } {
  const errors: string[] = [];
  const logs: string[] = [];
  const toPage: DataCallback[] = [];
  const scope: Record<string, unknown> = {
    console: {
      log: (...args: unknown[]) => logs.push(args.map(String).join(' ')),
      info: (...args: unknown[]) => logs.push(args.map(String).join(' ')),
      warn: (...args: unknown[]) => logs.push(args.map(String).join(' ')),
      error: (...args: unknown[]) => errors.push(args.map(String).join(' ')),
      debug: () => undefined,
    },
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    queueMicrotask,
    TextEncoder,
    TextDecoder,
    MessageChannel,
    performance,
    URL,
    structuredClone,
    atob,
    btoa,
    // The worker's end of the port: what it posts reaches the page as a structured clone.
    postMessage: (message: unknown) => {
      const copy = structuredClone(message) as Message;
      setTimeout(() => toPage.forEach((callback) => callback(copy)), 0);
    },
    addEventListener: (type: string, listener: (event: { error?: unknown }) => void) => {
      if (type === 'error') scope.__errorListener = listener;
    },
  };
  scope.self = scope;
  const context = createContext(scope);
  runInContext(readFileSync(bundle, 'utf8'), context, { filename: bundle });

  class PageReader extends AbstractMessageReader {
    listen(callback: DataCallback): Disposable {
      toPage.push(callback);
      return { dispose: () => toPage.splice(toPage.indexOf(callback), 1) };
    }
  }
  class PageWriter extends AbstractMessageWriter {
    async write(message: Message): Promise<void> {
      const onmessage = scope.onmessage as ((event: { data: unknown }) => void) | undefined;
      if (!onmessage) throw new Error('the worker listens to no messages');
      const copy = structuredClone(message);
      setTimeout(() => onmessage({ data: copy }), 0);
    }
    end(): void {}
  }
  return { connection: createMessageConnection(new PageReader(), new PageWriter()), errors, logs };
}

interface Session {
  worker: ReturnType<typeof startWorker>;
  published: Map<string, Diagnostic[]>;
  requested: { list: number; read: string[] };
}

/** Starts the worker and plays the client over `files` (URI → text) in the workspace folder `folder`. */
async function startSession(files: Map<string, string>, folder: string): Promise<Session> {
  const worker = startWorker();
  const published = new Map<string, Diagnostic[]>();
  const requested = { list: 0, read: [] as string[] };
  const { connection } = worker;
  connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
    published.set(params.uri, params.diagnostics);
  });
  connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => ({})));
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onRequest('workspace/codeLens/refresh', () => null);
  connection.onRequest('meshlens/workspaceFiles', (params: { excludeGlob: string }) => {
    requested.list++;
    expect(params.excludeGlob).toContain('node_modules');
    // What `workspace.findFiles('**/*.{yaml,yml}')` returns.
    return { uris: [...files.keys()].filter((uri) => /\.ya?ml$/.test(uri)) };
  });
  connection.onRequest(new RequestType<ReadFileParams, ReadFileResult, void>('meshlens/readFile'), (params) => {
    requested.read.push(params.uri);
    const text = files.get(params.uri);
    return text === undefined ? { refused: 'not found' } : { text };
  });
  connection.listen();
  const init = await connection.sendRequest<{ serverInfo?: { name: string } }>('initialize', {
    processId: null,
    rootUri: folder,
    workspaceFolders: [{ uri: folder, name: 'workspace' }],
    capabilities: { workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } } },
    initializationOptions: { docsBaseUri: 'vscode-vfs://extension/docs/rules' },
  });
  expect(init.serverInfo?.name).toBe('meshlens-language-server');
  await connection.sendNotification('initialized', {});
  return { worker, published, requested };
}

function messageText(diagnostic: Diagnostic): string {
  return typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
}

/** Waits (up to 20 s) until `found` returns something, and returns it. */
async function eventually<T>(found: () => T | undefined, what: () => string): Promise<T> {
  for (let waited = 0; waited < 20_000; waited += 50) {
    const value = found();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what()}`);
}

describe('the browser language server in a worker-like scope', () => {
  const files = filesAsFolder(exampleRoot, folderUri);
  let session: Session;
  let worker: Session['worker'];
  let published: Session['published'];
  let requested: Session['requested'];

  beforeAll(async () => {
    session = await startSession(files, folderUri);
    ({ worker, published, requested } = session);
  }, 30_000);

  afterAll(() => session?.worker.connection.dispose());

  const policyUri = `${folderUri}/clusters/prod/apps/shop/checkout-policy.yaml`;

  function diagnosticsOf(uri: string): Promise<Diagnostic[]> {
    return eventually(
      () => (published.get(uri)?.length ? published.get(uri) : undefined),
      () => `diagnostics for ${uri}; published for: ${[...published.keys()].join(', ')}; errors: ${worker.errors.join('\n')}`,
    );
  }

  it('lists the workspace through the client, reads only YAML files, and publishes diagnostics for files never opened', async () => {
    const diagnostics = await diagnosticsOf(policyUri);
    expect(requested.list).toBe(1);
    expect(requested.read.length).toBeGreaterThan(0);
    expect(requested.read.every((uri) => /\.ya?ml$/.test(uri) && uri.startsWith(`${folderUri}/`))).toBe(true);
    expect(requested.read).not.toContain(`${folderUri}/README.md`);
    const codes = diagnostics.map((diagnostic) => diagnostic.code);
    expect(codes).toContain('cnp/l7-requires-tcp');
    expect(codes).toContain('cnp/invalid-http-regex');
    // The rule page link points into the extension, as the client named it (readable offline).
    const l7 = diagnostics.find((diagnostic) => diagnostic.code === 'cnp/l7-requires-tcp')!;
    expect(l7.codeDescription?.href).toBe('vscode-vfs://extension/docs/rules/cnp/l7-requires-tcp.md');
    // Findings across files work too: the Cilium HelmRelease is judged against the NodeProfiles' kernels.
    const release = await diagnosticsOf(`${folderUri}/clusters/prod/infrastructure/cilium/helmrelease.yaml`);
    expect(release.map((diagnostic) => diagnostic.code)).toContain('kernel/feature-fails');
    expect(worker.errors).toEqual([]);
  }, 30_000);

  it('answers hover on a CiliumNetworkPolicy opened in the editor', async () => {
    const text = files.get(policyUri)!;
    await worker.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: policyUri, languageId: 'yaml', version: 1, text } });
    const lines = text.split('\n');
    const line = lines.findIndex((entry) => /^\s*endpointSelector:/.test(entry));
    expect(line).toBeGreaterThanOrEqual(0);
    const hover = await worker.connection.sendRequest<Hover | null>('textDocument/hover', {
      textDocument: { uri: policyUri },
      position: { line, character: lines[line].indexOf('endpointSelector') + 2 },
    });
    const value = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : JSON.stringify(hover?.contents);
    // The selector's hover resolves workloads across files; paths are shown relative to the workspace folder.
    expect(value).toContain('Selects 1 workload');
    expect(value).toContain('clusters/prod/apps/shop/workloads.yaml:4');
  });

  it('answers the effective-policy request for the workload at a position', async () => {
    const text = files.get(policyUri)!;
    const lines = text.split('\n');
    const line = lines.findIndex((entry) => /^\s*endpointSelector:/.test(entry));
    const answer = await worker.connection.sendRequest<{ workload?: string; markdown?: string; error?: string }>('meshlens/effectivePolicy', {
      uri: policyUri,
      position: { line: line + 2, character: 8 },
    });
    expect(answer.error).toBeUndefined();
    expect(answer.workload).toBeTruthy();
    expect(answer.markdown).toContain('checkout-api');
  });

  it('quick-fix edits and related locations name files by their workspace URIs', async () => {
    const releaseUri = `${folderUri}/clusters/prod/infrastructure/cilium/helmrelease.yaml`;
    const diagnostics = await diagnosticsOf(releaseUri);
    const obsolete = diagnostics.find((diagnostic) => diagnostic.code === 'helm/obsolete-value');
    expect(obsolete).toBeDefined();
    const actions = await worker.connection.sendRequest<{ title: string; edit?: { changes?: Record<string, unknown[]> } }[]>('textDocument/codeAction', {
      textDocument: { uri: releaseUri },
      range: obsolete!.range,
      context: { diagnostics: [obsolete] },
    });
    const edited = actions.flatMap((action) => Object.keys(action.edit?.changes ?? {}));
    expect(edited.length).toBeGreaterThan(0);
    expect(edited.every((uri) => uri.startsWith(`${folderUri}/`))).toBe(true);
    const related = [...published.values()].flat().flatMap((diagnostic) => diagnostic.relatedInformation ?? []).map((entry) => entry.location.uri);
    expect(related.every((uri) => uri.startsWith(`${folderUri}/`))).toBe(true);
    // The status bar's question about a file not open in an editor.
    const status = await worker.connection.sendRequest<{ text: string }>('meshlens/status', { uri: releaseUri });
    expect(status.text).toMatch(/^Cilium 1\.16\b/);
    expect(status.text).not.toContain('assumed');
  });

  it('answers the upgrade review (no git needed): the Cilium pin moved and the workspace judged again', async () => {
    const answer = await worker.connection.sendRequest<{ markdown?: string; error?: string }>('meshlens/upgradeReport', { cilium: '1.17' });
    expect(answer.error).toBeUndefined();
    expect(answer.markdown).toMatch(/^# Upgrade to Cilium 1\.17/);
    // Paths in the review are relative to the workspace folder, so the client's links open them.
    expect(answer.markdown).toContain('clusters/prod/infrastructure/cilium/helmrelease.yaml');
    expect(answer.markdown).not.toContain(folderUri);
    const bad = await worker.connection.sendRequest<{ error?: string }>('meshlens/upgradeReport', { cilium: 'banana' });
    expect(bad.error).toMatch(/not a cilium version/);
  });

  it('answers the kernel report of the release its kernel CodeLens names, with workspace-relative links', async () => {
    const releaseUri = `${folderUri}/clusters/prod/infrastructure/cilium/helmrelease.yaml`;
    await worker.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: releaseUri, languageId: 'yaml', version: 1, text: files.get(releaseUri)! } });
    const lenses = await worker.connection.sendRequest<{ command: { title: string; command: string; arguments?: unknown[] } }[]>('textDocument/codeLens', { textDocument: { uri: releaseUri } });
    const lens = lenses.find((entry) => entry.command.command === 'meshlens.showKernelReport');
    expect(lens?.command.title).toMatch(/^Cilium 1\.16\.5 needs kernel/);
    const answer = await worker.connection.sendRequest<{ markdown?: string; title?: string; error?: string }>('meshlens/kernelReport', lens!.command.arguments![0]);
    expect(answer.error).toBeUndefined();
    expect(answer.title).toBe('kernel kube-system/cilium');
    expect(answer.markdown).toContain('| legacy | 5.4.0-1103-aws (Ubuntu) | NodeProfile `clusters/prod/nodeprofiles.yaml:10` | ok |');
    expect(answer.markdown).not.toContain(folderUri);
  });

  it('says why comparing with a git revision is not available', async () => {
    const answer = await worker.connection.sendRequest<{ error?: string }>('meshlens/compareWithRevision', { ref: 'origin/main' });
    expect(answer.error).toMatch(/not available in the browser/);
  });
});

describe('files a manifest references, in the browser', () => {
  // A NodeProfile's bpftool probe is JSON: the client never lists it, the server asks for it when the core reads it.
  const folder = 'vscode-vfs://github/meshlens/kernels';
  const fixture = join(repoRoot, 'test', 'fixtures', 'kernel', 'node-profile', 'valid');
  const files = new Map([
    [`${folder}/nodeprofiles.yaml`, readFileSync(join(fixture, 'nodeprofiles.yaml'), 'utf8')],
    [`${folder}/probe.json`, readFileSync(join(fixture, 'probe.json'), 'utf8')],
  ]);
  let session: Session;

  beforeAll(async () => {
    session = await startSession(files, folder);
  }, 30_000);

  afterAll(() => session?.worker.connection.dispose());

  it('reads a referenced non-YAML file through the client in the background, then re-checks with it', async () => {
    expect(files.get(`${folder}/nodeprofiles.yaml`)).toContain('bpftoolProbe: probe.json');
    const notUsed = (diagnostics: Diagnostic[]) => diagnostics.some((diagnostic) => /bpftool probe not used/.test(messageText(diagnostic)));
    const final = await eventually(
      () => {
        const diagnostics = session.published.get(`${folder}/nodeprofiles.yaml`);
        return diagnostics && session.requested.read.includes(`${folder}/probe.json`) && !notUsed(diagnostics) ? diagnostics : undefined;
      },
      () => `the probe to be read and used; reads: ${session.requested.read.join(', ')}; published: ${JSON.stringify([...session.published])}`,
    );
    expect(notUsed(final)).toBe(false);
    // Asked once, not on every check.
    expect(session.requested.read.filter((uri) => uri.endsWith('/probe.json'))).toHaveLength(1);
    expect(session.worker.errors).toEqual([]);
  });

  it('refuses a referenced file the client cannot read, asking once', async () => {
    const missing = files.get(`${folder}/nodeprofiles.yaml`)!.replace('bpftoolProbe: probe.json', 'bpftoolProbe: probes/missing.json');
    const uri = `${folder}/nodeprofiles.yaml`;
    await session.worker.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: missing } });
    const diagnostics = await eventually(
      () => session.published.get(uri)?.find((diagnostic) => /bpftool probe not used: "probes\/missing\.json"/.test(messageText(diagnostic))),
      () => `the missing probe's finding; published: ${JSON.stringify(session.published.get(uri))}`,
    );
    expect(diagnostics.code).toBe('kernel/node-profile');
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(session.requested.read.filter((entry) => entry.endsWith('/probes/missing.json'))).toHaveLength(1);
  });
});
