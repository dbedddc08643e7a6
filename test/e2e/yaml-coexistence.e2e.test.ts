// Issue #19, coexistence: meshlens beside the Red Hat YAML extension in a real VS Code. The
// extension's package is not on npm, so CI cannot fetch it; a stand-in with its id
// (test/e2e/yaml-extension-standin/, packed by yamlExtensionStandin.ts) runs the real
// yaml-language-server from node_modules. `yaml.schemas` associates the Cilium CRD schema that
// meshlens ships (schemas/resources/) with policies/*.yaml of fixtures/yaml-coexistence, whose
// policies have the schema errors issue #19 saw twice (an unknown protocol, a miscased entity, no
// endpointSelector) and a finding only meshlens makes (toFQDNs without a DNS rule).
//   - with the extension validating: each schema error is listed once, from the YAML server;
//     meshlens's FQDN warning stays; hover on a field shows the allowed values once; its quick fix
//     for the entity (now a hint) still works; completion of an entity and of a spec key lists no
//     label twice;
//   - control, `yaml.validate: false`: meshlens reports the schema errors itself;
//   - `meshlens.schemaValidation: false` without the extension: meshlens reports none of them.
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
const fqdnWarning = (rows: ProblemRow[]) => inPolicy(rows).filter((row) => row.source === 'meshlens' && row.code === 'cnp/fqdn-without-dns-rule');
const fromYamlServer = (row: ProblemRow) => /yaml/i.test(row.source) && row.source !== 'meshlens';

/**
 * The findings the CRD schema makes in the fixture (issue #19 saw each listed twice): the YAML server's
 * message, and the rule meshlens reports it with when it validates the schema itself.
 */
const schemaFindings = [
  { name: 'protocol HTTPS', yaml: /Value is not accepted\. Valid values: "TCP"/, meshlens: 'cnp/invalid-protocol' },
  { name: 'entity World', yaml: /Value is not accepted\. Valid values: "all"/, meshlens: 'cnp/unknown-entity' },
  { name: 'no endpointSelector', yaml: /Missing property "endpointSelector"/, meshlens: 'cnp/missing-subject-selector' },
];
const yamlRows = (rows: ProblemRow[], finding: (typeof schemaFindings)[number]) => inPolicy(rows).filter((row) => fromYamlServer(row) && finding.yaml.test(row.message));
const meshlensRows = (rows: ProblemRow[], finding: (typeof schemaFindings)[number]) => inPolicy(rows).filter((row) => row.source === 'meshlens' && row.code === finding.meshlens);

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

    it('lists each schema error once, from the YAML server, and keeps the semantic finding', async () => {
      screenshotOnFailure(() => vscode, 'yaml-coexistence');
      const session = vscode!;
      // The YAML server validates open documents only.
      await session.openFile(`policies/${policyFile}`);
      await session.waitForProblems((current) => schemaFindings.every((finding) => yamlRows(current, finding).length > 0) && fqdnWarning(current).length === 1, 60_000);
      // Give meshlens time to have re-analysed with the extension's report, then read again.
      await session.page.waitForTimeout(2_000);
      const settled = await session.waitForProblems((current) => fqdnWarning(current).length === 1);
      for (const finding of schemaFindings) {
        expect(yamlRows(settled, finding), `${finding.name}: ${JSON.stringify(settled, null, 2)}`).toHaveLength(1);
        expect(meshlensRows(settled, finding), `${finding.name}: ${JSON.stringify(settled, null, 2)}`).toEqual([]);
      }
      // meshlens lists no schema finding of its own, and keeps the one only it makes.
      expect(inPolicy(settled).filter((row) => row.source === 'meshlens').map((row) => row.code)).toEqual(['cnp/fqdn-without-dns-rule']);
      if (process.env.MESHLENS_E2E_SCREENSHOTS) {
        // The whole width for the rows: without the side bar, nothing is cut short.
        await session.runCommand('View: Close Primary Side Bar');
        await session.page.keyboard.press('Home');
        await readmeScreenshot(session, 'yaml-coexistence', [session.page.locator(selectors.markersPanel)], { maxWidth: 1400, maxHeight: 130, padding: 0 });
      }
    });

    it('hover on a field shows its allowed values once, from the YAML server', async () => {
      screenshotOnFailure(() => vscode, 'yaml-coexistence-hover');
      const session = vscode!;
      await session.openFile(`policies/${policyFile}`);
      const text = await session.hoverOnText('protocol:', { until: /SCTP/ });
      // The YAML server's hover names the schema (its title); meshlens adds no type or enum of its own.
      expect(text, text).toContain('CiliumNetworkPolicy cilium.io/v2');
      expect(text.match(/SCTP/g), text).toHaveLength(1);
      expect(text, text).not.toMatch(/Type: |Allowed: /);
    });

    it("meshlens's quick fix for the entity is still offered (as a hint) and fixes what the YAML server reports", async () => {
      screenshotOnFailure(() => vscode, 'yaml-coexistence-quick-fix');
      const session = vscode!;
      await session.runCommand('View: Hide Panel');
      await session.openFile(`policies/${policyFile}`);
      const line = await session.lineNumberOf('- World');
      const text = (await session.renderedLines()).find((entry) => entry.line === line)!.text;
      await session.goToPosition(line, text.indexOf('World') + 2);
      await session.quickFix('Use "world"');
      // The edit is applied after the menu closes: read until it shows.
      await expect.poll(() => session.editorText(), { timeout: 10_000 }).toContain('        - world\n');
      const entity = schemaFindings[1];
      const rows = await session.waitForProblems((current) => yamlRows(current, entity).length === 0 && fqdnWarning(current).length === 1);
      expect(yamlRows(rows, schemaFindings[0])).toHaveLength(1);
      await session.runCommand('View: Hide Panel');
      await session.runCommand('File: Revert File');
    });

    it('completion of an entity lists each entity once', async () => {
      screenshotOnFailure(() => vscode, 'yaml-coexistence-entity-completion');
      const session = vscode!;
      await session.openFile(`policies/${policyFile}`);
      const line = await session.lineNumberOf('- World');
      const text = (await session.renderedLines()).find((entry) => entry.line === line)!.text;
      await session.replaceToEndOfLine(line, text.indexOf('World') + 1, '');
      const labels = await session.triggerCompletion();
      for (const entity of ['world', 'cluster', 'kube-apiserver']) expect(labels, JSON.stringify(labels)).toContain(entity);
      const repeated = labels.filter((label, index) => labels.indexOf(label) !== index);
      expect(repeated, JSON.stringify(labels)).toEqual([]);
      await session.runCommand('File: Revert File');
    });

    it('completion at a spec key lists each key once', async () => {
      screenshotOnFailure(() => vscode, 'yaml-coexistence-completion');
      const session = vscode!;
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

    afterAll(async () => {
      await vscode?.close();
      vscode = undefined;
    });

    it('meshlens reports the schema errors itself', async () => {
      screenshotOnFailure(() => vscode, 'yaml-coexistence-control');
      const session = vscode!;
      await session.openFile(`policies/${policyFile}`);
      await session.waitForProblems((current) => schemaFindings.every((finding) => meshlensRows(current, finding).length > 0) && fqdnWarning(current).length === 1, 60_000);
      await session.page.waitForTimeout(2_000);
      const settled = await session.waitForProblems((current) => fqdnWarning(current).length === 1);
      for (const finding of schemaFindings) {
        expect(meshlensRows(settled, finding), `${finding.name}: ${JSON.stringify(settled, null, 2)}`).toHaveLength(1);
        expect(meshlensRows(settled, finding)[0].severity).toBe('error');
      }
      // The YAML server runs (the stand-in is active) but validates nothing.
      expect(inPolicy(settled).filter(fromYamlServer)).toEqual([]);
    });
  });

  describe('meshlens.schemaValidation: false, no YAML extension', () => {
    beforeAll(async () => {
      vscode = await startVsCode({ vsix: input.vsix!, workspaceFolder, settings: { 'meshlens.schemaValidation': false } });
    });

    it('meshlens leaves every schema finding out, semantic ones that restate it included, and keeps its own', async () => {
      screenshotOnFailure(() => vscode, 'yaml-coexistence-schema-validation-off');
      const session = vscode!;
      await session.openFile(`policies/${policyFile}`);
      await session.waitForProblems((current) => fqdnWarning(current).length === 1, 60_000);
      await session.page.waitForTimeout(2_000);
      const settled = await session.waitForProblems((current) => fqdnWarning(current).length === 1);
      // Issue #19 saw cnp/unknown-entity and cnp/missing-subject-selector stay with this setting.
      expect(inPolicy(settled).map((row) => `${row.source} ${row.code}`), JSON.stringify(settled, null, 2)).toEqual(['meshlens cnp/fqdn-without-dns-rule']);
    });
  });
});
