/**
 * `meshlens/kernelReport` over stdio on the example repository: the kernel
 * CodeLens above the Cilium HelmRelease carries `meshlens.showKernelReport`
 * with the release's file and document, and the request answers that
 * release's Markdown (pools, NodeProfile links relative to the folder,
 * kernel and config-dependency sections); the file's releases by `uri`, the
 * whole workspace without params, `{error}` for a release that is not there;
 * an unsaved edit of a NodeProfile changes the next answer.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KERNEL_REPORT_REQUEST, MODEL_CHANGED_NOTIFICATION, type KernelReportResponse } from '../../protocol/src/messages';
import { keyToUri } from '../../server/src/uris';
import { startLanguageServer, type LspSession } from '../support/lspClient';
import { repoRoot } from '../support/repo';

const root = join(repoRoot, 'examples', 'platform-repo');
const releaseFile = join(root, 'clusters', 'prod', 'infrastructure', 'cilium', 'helmrelease.yaml');
const profilesFile = join(root, 'clusters', 'prod', 'nodeprofiles.yaml');
const sessions: LspSession[] = [];

afterEach(async () => {
  for (const session of sessions.splice(0)) await session.stop();
});

/** A server on the example, resolved once its workspace scan has finished; `changes()` counts model-changed notifications. */
async function scannedServer(): Promise<{ session: LspSession; changes: () => number; nextChange: () => Promise<void> }> {
  let count = 0;
  let waiters: (() => void)[] = [];
  const session = await startLanguageServer({
    root,
    onConnection: (connection) =>
      connection.onNotification(MODEL_CHANGED_NOTIFICATION, () => {
        count++;
        waiters.splice(0).forEach((wake) => wake());
      }),
  });
  sessions.push(session);
  const nextChange = () => new Promise<void>((resolve) => (waiters = [...waiters, resolve]));
  if (count === 0) await nextChange();
  return { session, changes: () => count, nextChange };
}

function markdownOf(answer: KernelReportResponse): string {
  if ('error' in answer) throw new Error(answer.error);
  return answer.markdown;
}

describe('meshlens/kernelReport', () => {
  it('answers the release the kernel CodeLens names, with its pools and NodeProfile links', async () => {
    const { session } = await scannedServer();
    const uri = keyToUri(releaseFile);
    await session.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: readFileSync(releaseFile, 'utf8') } });
    const lenses = (await session.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as { command: { title: string; command: string; arguments?: unknown[] } }[];
    const kernelLens = lenses.find((lens) => lens.command.title.startsWith('Cilium 1.16.5 needs kernel'));
    expect(kernelLens?.command).toMatchObject({ command: 'meshlens.showKernelReport', arguments: [{ file: releaseFile, document: 0 }] });

    const answer = await session.connection.sendRequest<KernelReportResponse>(KERNEL_REPORT_REQUEST, kernelLens!.command.arguments![0]);
    expect(answer).toMatchObject({ title: 'kernel kube-system/cilium' });
    const markdown = markdownOf(answer);
    expect(markdown).toContain('# Kernel report: HelmRelease kube-system/cilium');
    expect(markdown).toContain('HelmRelease kube-system/cilium — `clusters/prod/infrastructure/cilium/helmrelease.yaml:1`');
    expect(markdown).toContain('| general | 6.8.0-1015-aws (Ubuntu) | NodeProfile `clusters/prod/nodeprofiles.yaml:1` | ok |');
    expect(markdown).toContain('| legacy | 5.4.0-1103-aws (Ubuntu) | NodeProfile `clusters/prod/nodeprofiles.yaml:10` | ok |');
    expect(markdown).toContain('| TCX program attachment (minor) | automatic | 6.6 | ok | falls back (kernel) |');
    const kernelSection = markdown.slice(markdown.indexOf('## Kernel too old'), markdown.indexOf('## A dependency the values turn off'));
    const configSection = markdown.slice(markdown.indexOf('## A dependency the values turn off'));
    expect(kernelSection).toContain('- **TCX program attachment** falls back on pool legacy');
    expect(kernelSection).not.toContain('BPF masquerading');
    expect(configSection).toContain('- **BPF masquerading** fails on general, legacy');
    // Paths are relative to the folder: the client resolves them; nothing of this machine's layout is shown.
    expect(markdown).not.toContain(root);
  });

  it('answers a file by uri, the whole workspace without params, and an unknown release as {error}', async () => {
    const { session } = await scannedServer();
    const byUri = markdownOf(await session.connection.sendRequest<KernelReportResponse>(KERNEL_REPORT_REQUEST, { uri: keyToUri(releaseFile) }));
    expect(byUri).toContain('# Kernel report: HelmRelease kube-system/cilium');
    const whole = await session.connection.sendRequest<KernelReportResponse>(KERNEL_REPORT_REQUEST, undefined);
    expect(whole).toMatchObject({ title: 'kernel report' });
    expect(markdownOf(whole)).toContain('- **legacy**: kernel 5.4.0-1103-aws (Ubuntu) — `clusters/prod/nodeprofiles.yaml:10`');
    expect(markdownOf(whole)).toContain('## HelmRelease kube-system/cilium');
    // A file without a Cilium release: the workspace.
    const other = markdownOf(await session.connection.sendRequest<KernelReportResponse>(KERNEL_REPORT_REQUEST, { uri: keyToUri(profilesFile) }));
    expect(other.split('\n')[0]).toBe('# Kernel report');
    expect(await session.connection.sendRequest(KERNEL_REPORT_REQUEST, { file: releaseFile, document: 3 })).toEqual({
      error: 'That Cilium HelmRelease is no longer in the workspace (moved, renamed or not a Cilium release any more).',
    });
  });

  it('follows an unsaved edit of a NodeProfile after the model-changed notification', async () => {
    const { session, nextChange } = await scannedServer();
    const uri = keyToUri(profilesFile);
    const text = readFileSync(profilesFile, 'utf8');
    await session.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    const changed = nextChange();
    await session.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: text.replace('5.4.0-1103-aws', '6.8.0-1015-aws') }] });
    await changed;
    const markdown = markdownOf(await session.connection.sendRequest<KernelReportResponse>(KERNEL_REPORT_REQUEST, { file: releaseFile, document: 0 }));
    expect(markdown).toContain('| legacy | 6.8.0-1015-aws (Ubuntu) | NodeProfile `clusters/prod/nodeprofiles.yaml:10` | ok |');
    expect(markdown).not.toContain('falls back (kernel)');
  });
});
