// Issue #19, coexistence: meshlens beside the Red Hat YAML extension in a real VS Code. The
// extension's package is not on npm, so CI cannot fetch it; a stand-in with its id
// (test/e2e/yaml-extension-standin/, packed by yamlExtensionStandin.ts) runs the real
// yaml-language-server from node_modules. `yaml.schemas` associates the Cilium CRD schema that
// meshlens ships (schemas/resources/) with policies/*.yaml of fixtures/yaml-coexistence, whose
// policy has a schema error (protocol `HTTPS`, not in the enum) and a finding only meshlens makes
// (toFQDNs without a DNS rule).
//   - with the extension validating: the protocol error is listed once, from the YAML server;
//     meshlens's FQDN warning stays; completion at a spec key lists no key twice;
//   - control, `yaml.validate: false`: meshlens reports the protocol error itself.
// README screenshot (MESHLENS_E2E_SCREENSHOTS): yaml-coexistence.png.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, selectors, startVsCode, type ProblemRow, type VsCodeSession } from './harness';
import { fixturesDir, readmeScreenshot, scenarioInput, screenshotOnFailure } from './scenarioSupport';
import { packYamlExtensionStandin } from './yamlExtensionStandin';

const input = scenarioInput('yaml-coexistence');
const workspaceFolder = path.join(fixturesDir, 'yaml-coexistence');
const policyFile = 'checkout-egress.yaml';
const shippedSchema = path.join(repoRoot, 'schemas', 'resources', 'cilium.io_v2_ciliumnetworkpolicy.json');

/**
 * The `yaml.*` settings the Red Hat extension reads; no store is reachable offline. `schema` is a copy of
 * meshlens's CRD schema with a title, which the YAML server shows as the findings' source (without one it
 * shows the schema file's path).
 */
function yamlSettings(schema: string, validate: boolean): Record<string, unknown> {
  return {
    'yaml.schemas': { [schema]: 'policies/*.yaml' },
    'yaml.validate': validate,
    'yaml.completion': true,
    'yaml.hover': true,
    'yaml.schemaStore.enable': false,
    'yaml.kubernetesCRDStore.enable': false,
  };
}

const inPolicy = (rows: ProblemRow[]) => rows.filter((row) => row.file === policyFile);
const aboutProtocol = (rows: ProblemRow[]) => inPolicy(rows).filter((row) => /HTTPS|protocol|Valid values/i.test(row.message) && row.severity === 'error');
const fqdnWarning = (rows: ProblemRow[]) => inPolicy(rows).filter((row) => row.source === 'meshlens' && row.code === 'cnp/fqdn-without-dns-rule');
const fromYamlServer = (row: ProblemRow) => /yaml/i.test(row.source) && row.source !== 'meshlens';

describe.skipIf(input.skipReason !== undefined)('#19: beside the YAML extension (yaml-language-server)', () => {
  let standin: { vsix: string; dispose(): void } | undefined;
  let vscode: VsCodeSession | undefined;
  let schemaDir: string | undefined;
  let schema = '';

  beforeAll(async () => {
    schemaDir = mkdtempSync(path.join(tmpdir(), 'meshlens-e2e-schema-'));
    // The file name keeps the kind: that is how meshlens tells which kinds an association validates.
    schema = path.join(schemaDir, path.basename(shippedSchema));
    writeFileSync(schema, JSON.stringify({ title: 'CiliumNetworkPolicy cilium.io/v2', ...JSON.parse(readFileSync(shippedSchema, 'utf8')) }));
    standin = await packYamlExtensionStandin();
  });

  afterAll(async () => {
    await vscode?.close();
    standin?.dispose();
    if (schemaDir) rmSync(schemaDir, { recursive: true, force: true });
  });

  describe('the extension validates CiliumNetworkPolicy with the CRD schema', () => {
    beforeAll(async () => {
      vscode = await startVsCode({ vsix: input.vsix!, extraExtensions: [standin!.vsix], workspaceFolder, copyWorkspace: true, settings: yamlSettings(schema, true) });
    });

    afterAll(async () => {
      await vscode?.close();
      vscode = undefined;
    });

    it('lists the schema error once, from the YAML server, and keeps the semantic finding', async () => {
      screenshotOnFailure(() => vscode, 'yaml-coexistence');
      const session = vscode!;
      // The YAML server validates open documents only.
      await session.openFile(`policies/${policyFile}`);
      await session.waitForProblems((current) => aboutProtocol(current).some(fromYamlServer) && fqdnWarning(current).length === 1, 60_000);
      // Give meshlens time to have re-analysed with the extension's report, then read again.
      await session.page.waitForTimeout(2_000);
      const settled = await session.waitForProblems((current) => fqdnWarning(current).length === 1);
      const protocolRows = aboutProtocol(settled);
      expect(protocolRows, JSON.stringify(settled, null, 2)).toHaveLength(1);
      expect(fromYamlServer(protocolRows[0]), JSON.stringify(protocolRows[0])).toBe(true);
      expect(inPolicy(settled).filter((row) => row.source === 'meshlens' && row.code === 'cnp/invalid-protocol')).toEqual([]);
      expect(fqdnWarning(settled)).toHaveLength(1);
      if (process.env.MESHLENS_E2E_SCREENSHOTS) {
        // The whole width for the two rows: without the side bar, nothing is cut short.
        await session.runCommand('View: Close Primary Side Bar');
        await session.page.keyboard.press('Home');
        await readmeScreenshot(session, 'yaml-coexistence', [session.page.locator(selectors.markersPanel)], { maxWidth: 1400, maxHeight: 80, padding: 0 });
      }
    });

    it('completion at a spec key lists each key once', async () => {
      screenshotOnFailure(() => vscode, 'yaml-coexistence-completion');
      const session = vscode!;
      await session.runCommand('View: Hide Panel');
      await session.openFile(`policies/${policyFile}`);
      const line = await session.lineNumberOf('description:');
      await session.replaceToEndOfLine(line, 3, '');
      const labels = await session.triggerCompletion();
      // The YAML server completes the CRD's keys here (keys already written are not offered again).
      for (const key of ['ingress', 'ingressDeny', 'egressDeny']) expect(labels, JSON.stringify(labels)).toContain(key);
      const repeated = labels.filter((label, index) => labels.indexOf(label) !== index);
      expect(repeated, JSON.stringify(labels)).toEqual([]);
      await session.runCommand('File: Revert File');
    });
  });

  describe('control: yaml.validate is false', () => {
    beforeAll(async () => {
      vscode = await startVsCode({ vsix: input.vsix!, extraExtensions: [standin!.vsix], workspaceFolder, settings: yamlSettings(schema, false) });
    });

    it('meshlens reports the schema error itself', async () => {
      screenshotOnFailure(() => vscode, 'yaml-coexistence-control');
      const session = vscode!;
      await session.openFile(`policies/${policyFile}`);
      await session.waitForProblems((current) => aboutProtocol(current).length > 0 && fqdnWarning(current).length === 1, 60_000);
      await session.page.waitForTimeout(2_000);
      const settled = await session.waitForProblems((current) => fqdnWarning(current).length === 1);
      const protocolRows = aboutProtocol(settled);
      expect(protocolRows, JSON.stringify(settled, null, 2)).toHaveLength(1);
      expect(protocolRows[0].source).toBe('meshlens');
      // The YAML server runs (the stand-in is active) but validates nothing.
      expect(inPolicy(settled).filter(fromYamlServer)).toEqual([]);
    });
  });
});
