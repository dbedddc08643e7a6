/**
 * The real server over stdio stays interactive while it works (issues 12 and
 * 17): a hover is answered during the workspace scan, before the scan ends,
 * and the scan shows a `window/workDoneProgress` bar; a hover is answered
 * while the code lenses of a big policy are computed; `$/cancelRequest` stops
 * a code-lens computation with RequestCancelled (`test/unit/server/work.test.ts`
 * checks ContentModified when the input changes between steps). Only the
 * order of messages is asserted, never a duration.
 */

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { afterEach, describe, expect, it } from 'vitest';
import { keyToUri } from '../../server/src/uris';
import { startLanguageServer, type LspSession } from '../support/lspClient';

const REQUEST_CANCELLED = -32800;
const sessions: LspSession[] = [];

afterEach(async () => {
  for (const session of sessions.splice(0)) await session.stop();
});

const deployment = (name: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n  template:\n    metadata:\n      labels:\n        app: ${name}\n    spec:\n      containers:\n        - name: app\n          image: app\n`;

const smallPolicy = (name: string) =>
  `apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n  endpointSelector:\n    matchLabels:\n      app: ${name}\n  ingress:\n    - fromEndpoints:\n        - matchLabels:\n            app: web\n      toPorts:\n        - ports: [{port: "8080", protocol: TCP}]\n          rules:\n            http: [{method: GET, path: /api}]\n`;

/** One policy selecting `api` with `count` ingress items (L7 and L3/L4-only, over a few peers and ports). */
function bigPolicy(count: number): string {
  const items: string[] = [];
  for (let index = 0; index < count; index++) {
    const ports = `ports: [{port: "${8000 + (index % 40)}", protocol: TCP}]`;
    items.push(`    - fromEndpoints: [{matchLabels: {app: peer-${index % 8}}}]\n      toPorts: [{${ports}${index % 2 === 0 ? `, rules: {http: [{method: GET, path: "/r${index}"}]}` : ''}}]`);
  }
  return `apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: big\n  namespace: shop\nspec:\n  endpointSelector:\n    matchLabels:\n      app: api\n  ingress:\n${items.join('\n')}\n`;
}

function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'meshlens-interactive-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

interface Recorder {
  events: string[];
  /** Resolves when `event` has been recorded. */
  when(event: string): Promise<void>;
  record(event: string): void;
}

function recorder(): Recorder {
  const events: string[] = [];
  const waiting: { event: string; resolve: () => void }[] = [];
  return {
    events,
    record(event) {
      events.push(event);
      for (const waiter of waiting.filter((candidate) => candidate.event === event)) waiter.resolve();
    },
    when: (event) => (events.includes(event) ? Promise.resolve() : new Promise((resolve) => waiting.push({ event, resolve }))),
  };
}

async function start(root: string, setup: Parameters<typeof startLanguageServer>[0]['onConnection']): Promise<LspSession> {
  const session = await startLanguageServer({ root, capabilities: { workspace: { configuration: true }, window: { workDoneProgress: true } }, onConnection: setup });
  sessions.push(session);
  return session;
}

async function open(session: LspSession, file: string, text: string): Promise<string> {
  const uri = keyToUri(file);
  await session.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  return uri;
}

describe('an interactive server while it works', () => {
  it('answers a hover during the workspace scan, before the scan ends, and shows the scan as progress', async () => {
    const files: Record<string, string> = { 'open/policy.yaml': smallPolicy('api') };
    for (let index = 0; index < 400; index++) files[`apps/app-${index}.yaml`] = `${deployment(`app-${index}`)}---\n${smallPolicy(`app-${index}`)}`;
    const root = workspace(files);
    const seen = recorder();
    const progress: { kind: string; title?: string; percentage?: number }[] = [];
    let hover: unknown;
    // The hover is sent from the progress callback, which may run before `start` has returned the session.
    let sessionStarted: (session: LspSession) => void = () => undefined;
    const sessionReady = new Promise<LspSession>((resolve) => (sessionStarted = resolve));
    const hoverMidScan = async () => {
      const session = await sessionReady;
      const uri = await open(session, join(root, 'open/policy.yaml'), files['open/policy.yaml']);
      hover = await session.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 9, character: 4 } });
      seen.record('hover answered');
    };
    const session = await start(root, (connection) => {
      connection.onRequest('window/workDoneProgress/create', () => null);
      connection.onUnhandledProgress((params: { value: { kind: string; title?: string; percentage?: number } }) => {
        progress.push(params.value);
        seen.record(`progress ${params.value.kind}`);
        // The first report: the scan is under way. Ask now.
        if (params.value.kind === 'report' && progress.filter((value) => value.kind === 'report').length === 1) void hoverMidScan();
      });
      connection.onNotification('meshlens/modelChanged', () => seen.record('model changed'));
    });
    sessionStarted(session);
    await seen.when('progress end');
    await seen.when('hover answered');
    expect(seen.events.indexOf('hover answered')).toBeGreaterThan(-1);
    expect(seen.events.indexOf('hover answered')).toBeLessThan(seen.events.indexOf('progress end'));
    await seen.when('model changed');
    expect(seen.events.indexOf('hover answered')).toBeLessThan(seen.events.indexOf('model changed'));
    expect((hover as { contents: { value: string } }).contents.value).toContain('ingress');
    expect(progress[0]).toMatchObject({ kind: 'begin', title: 'meshlens: checking the workspace' });
    const percentages = progress.filter((value) => value.kind === 'report').map((value) => value.percentage ?? -1);
    expect(percentages.every((value, index) => value >= 0 && value <= 100 && (index === 0 || value >= percentages[index - 1]))).toBe(true);
    expect(progress[progress.length - 1].kind).toBe('end');
  });

  // One big file, checked in steps (documents, and the rules of each document): the hover is answered in between.
  const bigFiles: [string, string][] = [
    ['600 documents', Array.from({ length: 600 }, (_, index) => smallPolicy(`app-${index}`)).join('---\n')],
    ['one policy of 4000 rule items', bigPolicy(4000)],
  ];
  for (const [shape, bigText] of bigFiles) {
    it(`answers a hover while the scan checks one big file (${shape})`, async () => {
      // The last `toPorts` has a typo: its finding shows the whole file was checked, at the right line.
      const at = bigText.lastIndexOf('toPorts:');
      const text = `${bigText.slice(0, at)}toPort:${bigText.slice(at + 'toPorts:'.length)}`;
      const files = { 'all.yaml': text, 'open/policy.yaml': smallPolicy('api') };
      const typoLine = text.slice(0, at).split('\n').length - 1;
      const root = workspace(files);
      const seen = recorder();
      let sessionStarted: (session: LspSession) => void = () => undefined;
      const sessionReady = new Promise<LspSession>((resolve) => (sessionStarted = resolve));
      let asked = false;
      const session = await start(root, (connection) => {
        connection.onRequest('window/workDoneProgress/create', () => null);
        connection.onUnhandledProgress((params: { value: { kind: string; message?: string } }) => {
          seen.record(`progress ${params.value.kind}`);
          // A report from inside the big file (it takes several slices): ask now.
          if (!asked && params.value.kind === 'report' && /files \(all\.yaml\)/.test(params.value.message ?? '')) {
            asked = true;
            void (async () => {
              const current = await sessionReady;
              const uri = await open(current, join(root, 'open/policy.yaml'), files['open/policy.yaml']);
              await current.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 9, character: 4 } });
              seen.record('hover answered');
            })();
          }
        });
      });
      sessionStarted(session);
      await seen.when('progress end');
      await seen.when('hover answered');
      expect(seen.events.indexOf('hover answered')).toBeLessThan(seen.events.indexOf('progress end'));
      const diagnostics = await session.waitFor(keyToUri(join(root, 'all.yaml')), (list) => list.length > 0);
      expect(diagnostics.filter((diagnostic) => diagnostic.code === 'schema/unknown-field').map((diagnostic) => diagnostic.range.start.line)).toEqual([typoLine]);
    });
  }

  it('answers a hover while the code lenses of a big policy are computed, and stops the lenses on $/cancelRequest', async () => {
    const text = bigPolicy(3000);
    const peers = Array.from({ length: 8 }, (_, index) => deployment(`peer-${index}`));
    const root = workspace({ 'big.yaml': text, 'workloads.yaml': [deployment('api'), ...peers].join('---\n') });
    const seen = recorder();
    const session = await start(root, (connection) => {
      connection.onRequest('window/workDoneProgress/create', () => null);
      connection.onNotification('meshlens/modelChanged', () => seen.record('model changed'));
    });
    await seen.when('model changed');
    const uri = await open(session, join(root, 'big.yaml'), text);
    const order: string[] = [];
    const lenses = session.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } }).then((result) => {
      order.push('code lenses');
      return result as unknown[];
    });
    const hover = session.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 6, character: 4 } }).then((result) => {
      order.push('hover');
      return result;
    });
    await Promise.all([lenses, hover]);
    expect(order).toEqual(['hover', 'code lenses']);
    expect((await lenses).length).toBeGreaterThan(3000);

    // Each request below follows an edit, so its lenses are computed afresh (a new policy index), not from caches.
    let version = 1;
    const edit = async (path: string) => {
      version++;
      const edited = text.replace('path: "/r0"', `path: "${path}"`);
      await session.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text: edited }] });
    };

    // Cancelled right after it is sent: the answer is the RequestCancelled error.
    await edit('/cancelled');
    const source = new CancellationTokenSource();
    const cancelled = session.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } }, source.token);
    source.cancel();
    await expect(cancelled).rejects.toMatchObject({ code: REQUEST_CANCELLED });
    // The server keeps working: the next request is answered in full.
    expect(((await session.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as unknown[]).length).toBe((await lenses).length);

    // After an edit, the lenses show it.
    await edit('/after');
    const fresh = (await session.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as { command: { title: string } }[];
    expect(fresh.length).toBe((await lenses).length);
    expect(fresh.some((lens) => lens.command.title.includes('/after'))).toBe(true);
  });
});
