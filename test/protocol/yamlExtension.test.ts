/**
 * Coexistence with the Red Hat YAML extension over LSP: with the client's
 * report (`initializationOptions.yamlExtension`, `meshlens/yamlExtension`)
 * saying the extension validates a file's kind with its CRD schema, the
 * server leaves schema findings, their restatements and schema completion
 * to it — per file, following `yaml.schemas` globs and `$schema` modelines —
 * unless `meshlens.schemaValidation` is `true`.
 */

import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { keyToUri } from '../../server/src/uris';
import { startLanguageServer, type LspSession } from '../support/lspClient';

// No endpointSelector (restates the CRD's oneOf, no fix), a misspelt field (fix),
// a miscased entity (fix) and an unknown one (no fix), and one semantic finding of its own.
const POLICY = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata:
  name: web
  namespace: shop
specs:
  - egress:
      - toEntities:
          - World
          - everything
        toPort: []
  - endpointSelector: {}
    egress:
      - toFQDNs:
          - matchName: api.example.com
`;
const MODELINE = '# yaml-language-server: $schema=https://raw.githubusercontent.com/datreeio/CRDs-catalog/main/cilium.io/ciliumnetworkpolicy_v2.json\n';
const KUBERNETES_FOR_POLICIES = { schemas: [{ schema: 'kubernetes', globs: ['/policies/*.yaml'] }] };

const sessions: LspSession[] = [];
afterEach(async () => {
  for (const session of sessions.splice(0)) await session.stop();
});

async function start(initializationOptions: object, settings?: unknown): Promise<{ session: LspSession; files: Record<string, string> }> {
  const root = mkdtempSync(join(tmpdir(), 'meshlens-yaml-ext-'));
  mkdirSync(join(root, 'policies'));
  mkdirSync(join(root, 'other'));
  const files = { matched: join(root, 'policies', 'web.yaml'), unmatched: join(root, 'other', 'web.yaml'), modeline: join(root, 'other', 'modeline.yaml') };
  writeFileSync(files.matched, POLICY);
  writeFileSync(files.unmatched, POLICY);
  writeFileSync(files.modeline, MODELINE + POLICY);
  const session = await startLanguageServer({ root, initializationOptions, settings, capabilities: { workspace: { configuration: true } } });
  sessions.push(session);
  return { session, files };
}

const summary = (diagnostics: Diagnostic[]) => diagnostics.map((diagnostic) => `${diagnostic.severity} ${String(diagnostic.code)}`).sort();
// LSP severities: 1 error, 2 warning, 4 hint.
const ALL_REPORTED = ['1 cnp/missing-subject-selector', '1 cnp/unknown-entity', '1 cnp/unknown-entity', '1 schema/unknown-field', '2 cnp/fqdn-without-dns-rule'];
const DEFERRED = ['2 cnp/fqdn-without-dns-rule', '4 cnp/unknown-entity', '4 schema/unknown-field'];

describe('beside the Red Hat YAML extension', () => {
  it('leaves schema findings and their restatements to it where its schema applies, and takes them back when it goes', async () => {
    const { session, files } = await start({ yamlExtension: KUBERNETES_FOR_POLICIES });
    const matched = keyToUri(files.matched);
    expect(summary(await session.waitFor(matched, (list) => list.length > 0))).toEqual(DEFERRED);
    // Other folders are not associated with the schema: meshlens reports everything there.
    expect(summary(await session.waitFor(keyToUri(files.unmatched), (list) => list.length > 0))).toEqual(ALL_REPORTED);
    // A `$schema` modeline with a CRD schema for the kind counts too.
    expect(summary(await session.waitFor(keyToUri(files.modeline), (list) => list.length > 0))).toEqual(DEFERRED);
    // The fix of a deferred finding is still offered (as a hint's code action data).
    const hints = session.published.get(matched)!.filter((diagnostic) => diagnostic.severity === 4);
    expect(hints.every((diagnostic) => (diagnostic.data as { fixes?: unknown[] } | undefined)?.fixes?.length)).toBe(true);

    // Completion: the entity names come from the CRD schema, so the extension offers them.
    const text = POLICY.replace('          - everything\n', '          - \n');
    await session.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: matched, languageId: 'yaml', version: 1, text } });
    const labels = async () =>
      ((await session.connection.sendRequest('textDocument/completion', { textDocument: { uri: matched }, position: { line: 9, character: 12 } })) as { label: string }[]).map((item) => item.label);
    expect(await labels()).not.toContain('world');

    // The extension is uninstalled or disabled: meshlens reports and completes everything again.
    await session.connection.sendNotification('meshlens/yamlExtension', null);
    const back = await session.waitFor(matched, (list) => list.some((diagnostic) => diagnostic.code === 'schema/unknown-field' && diagnostic.severity === 1));
    // The open text has an empty list item where the second entity was (the schema reports it too now).
    expect(summary(back)).toEqual(expect.arrayContaining(['1 cnp/missing-subject-selector', '1 cnp/unknown-entity', '1 schema/unknown-field', '2 cnp/fqdn-without-dns-rule']));
    expect(back.filter((diagnostic) => diagnostic.severity === 4)).toEqual([]);
    expect(await labels()).toContain('world');
  });

  it('reports everything with meshlens.schemaValidation true, or when the extension does not validate', async () => {
    const forced = await start({ yamlExtension: KUBERNETES_FOR_POLICIES }, { schemaValidation: true });
    expect(summary(await forced.session.waitFor(keyToUri(forced.files.matched), (list) => list.length > 0))).toEqual(ALL_REPORTED);
    const off = await start({ yamlExtension: { ...KUBERNETES_FOR_POLICIES, validate: false } });
    expect(summary(await off.session.waitFor(keyToUri(off.files.matched), (list) => list.length > 0))).toEqual(ALL_REPORTED);
  });

  it('drops schema findings and restatements everywhere with meshlens.schemaValidation false', async () => {
    const { session, files } = await start({}, { schemaValidation: false });
    expect(summary(await session.waitFor(keyToUri(files.unmatched), (list) => list.length > 0))).toEqual(DEFERRED);
  });
});
