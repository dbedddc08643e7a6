/**
 * meshlens beside the real yaml-language-server (the server of the Red Hat
 * YAML extension, from node_modules), both over stdio on the same file: the
 * YAML server validates CiliumNetworkPolicy with a CRD schema associated
 * through `yaml.schemas` (a local file, no network), and meshlens gets the
 * report the client would send for that setting. No error is reported by
 * both at the same place, no completion item is offered by both, and hover
 * on a field leaves the schema's facts to the YAML server; the semantic
 * findings only meshlens knows stay. Skips with a message when
 * yaml-language-server is not installed.
 */

import { existsSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { keyToUri } from '../../server/src/uris';
import { startLanguageServer, type LspSession } from '../support/lspClient';
import { repoRoot } from '../support/repo';

const YAML_SERVER = join(repoRoot, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');
const CRD_SCHEMA = join(repoRoot, 'schemas', 'resources', 'cilium.io_v2_ciliumnetworkpolicy.json');
const available = existsSync(YAML_SERVER) && existsSync(CRD_SCHEMA);
if (!available) console.warn('skipped: yaml-language-server (a dependency in package.json) is not installed in node_modules');

// A misspelt field, a miscased entity, an unknown entity, a `specs` entry without selector, and an FQDN rule
// without a DNS rule (a finding no schema can make).
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

const sessions: LspSession[] = [];
afterAll(async () => {
  for (const session of sessions.splice(0)) await session.stop();
});

const errorsAndWarnings = (diagnostics: Diagnostic[]) => diagnostics.filter((diagnostic) => (diagnostic.severity ?? 1) <= 2);
const where = (diagnostic: Diagnostic) => `${diagnostic.range.start.line}:${diagnostic.range.start.character}`;

describe.skipIf(!available)('meshlens beside yaml-language-server', () => {
  it('reports and completes nothing twice', async () => {
    const root = mkdtempSync(join(tmpdir(), 'meshlens-yamlls-'));
    mkdirSync(join(root, 'policies'));
    const file = join(root, 'policies', 'web.yaml');
    writeFileSync(file, POLICY);
    const uri = keyToUri(file);
    const yamlSettings = { validate: true, completion: true, hover: true, schemaStore: { enable: false }, kubernetesCRDStore: { enable: false }, schemas: { [CRD_SCHEMA]: 'policies/*.yaml' } };

    const yaml = await startLanguageServer({ root, bundle: YAML_SERVER, settings: yamlSettings, capabilities: { workspace: { configuration: true }, textDocument: { completion: { completionItem: { snippetSupport: true } } } } });
    sessions.push(yaml);
    // What client/src/yamlExtension.ts reports for those settings.
    const report = { validate: true, completion: true, crdStore: false, schemas: [{ schema: CRD_SCHEMA, globs: ['policies/*.yaml'] }] };
    const meshlens = await startLanguageServer({ root, initializationOptions: { yamlExtension: report }, capabilities: { workspace: { configuration: true } } });
    sessions.push(meshlens);

    for (const session of [yaml, meshlens]) {
      await session.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: POLICY } });
    }
    const fromYaml = await yaml.waitFor(uri, (list) => list.length > 0, 20_000);
    const fromMeshlens = await meshlens.waitFor(uri, (list) => list.some((diagnostic) => diagnostic.code === 'cnp/fqdn-without-dns-rule'), 20_000);

    // The YAML server does validate with the CRD schema: it finds the misspelt field and the entities.
    expect(fromYaml.some((diagnostic) => diagnostic.range.start.line === 10), JSON.stringify(fromYaml)).toBe(true);
    expect(fromYaml.some((diagnostic) => diagnostic.range.start.line === 8), JSON.stringify(fromYaml)).toBe(true);
    // No place carries an error or warning from both.
    const yamlPlaces = new Set(errorsAndWarnings(fromYaml).map(where));
    const twice = errorsAndWarnings(fromMeshlens).filter((diagnostic) => yamlPlaces.has(where(diagnostic)));
    expect(twice, JSON.stringify({ fromYaml, fromMeshlens })).toEqual([]);
    // meshlens keeps what only it knows, and the quick-fixes (as hints).
    expect(fromMeshlens.map((diagnostic) => diagnostic.code)).toContain('cnp/fqdn-without-dns-rule');
    expect(fromMeshlens.filter((diagnostic) => diagnostic.severity === 4).map((diagnostic) => diagnostic.code).sort()).toEqual(['cnp/unknown-entity', 'schema/unknown-field']);

    // Hover on a field: type and allowed values are the schema's to show (the YAML server's hover);
    // with the extension's hover off, meshlens shows them itself.
    const hoverText = async () => {
      const answer = (await meshlens.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 6, character: 6 } })) as { contents: unknown } | null;
      return answer ? JSON.stringify(answer.contents) : '';
    };
    expect(await hoverText()).not.toMatch(/Type:/);
    await meshlens.connection.sendNotification('meshlens/yamlExtension', { ...report, hover: false });
    expect(await hoverText()).toMatch(/Type: `array`/);
    await meshlens.connection.sendNotification('meshlens/yamlExtension', report);

    // Completion where an entity goes and where a rule's keys go: no label from both.
    const edited = POLICY.replace('          - everything\n', '          - \n').replace('  - endpointSelector: {}\n', '  - endpointSelector: {}\n    \n');
    for (const session of [yaml, meshlens]) {
      await session.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: edited }] });
    }
    for (const position of [{ line: 9, character: 12 }, { line: 12, character: 4 }]) {
      const labels = async (session: LspSession) => {
        const answer = (await session.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position })) as { label: string }[] | { items: { label: string }[] } | null;
        return (Array.isArray(answer) ? answer : answer?.items ?? []).map((item) => item.label);
      };
      const yamlLabels = await labels(yaml);
      const meshlensLabels = await labels(meshlens);
      expect(yamlLabels.length, `yaml-language-server completes at ${JSON.stringify(position)}`).toBeGreaterThan(0);
      expect(meshlensLabels.filter((label) => yamlLabels.includes(label)), JSON.stringify({ yamlLabels, meshlensLabels })).toEqual([]);
    }
  }, 60_000);
});
