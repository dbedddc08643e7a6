/**
 * The client's view of the Red Hat YAML extension (`client/src/yamlExtension.ts`)
 * and the server's reading of it per file (`server/src/yamlExtension.ts`),
 * without VS Code: a fake host stands for `vscode.extensions` and `yaml.*` settings.
 */

import { describe, expect, it } from 'vitest';
import { watchYamlExtension, yamlExtensionReport, type YamlExtensionHost } from '../../../client/src/yamlExtension';
import { schemaKinds, YamlExtensionCoverage } from '../../../server/src/yamlExtension';

function settingsReader(values: Record<string, unknown>): (key: string) => unknown {
  return (key) => values[key];
}

describe('client: report of the YAML extension', () => {
  it('is null when the extension is not installed or disabled', () => {
    expect(yamlExtensionReport(false, settingsReader({ schemas: { kubernetes: '*.yaml' } }))).toBeNull();
  });

  it("reads the extension's defaults when nothing is set", () => {
    expect(yamlExtensionReport(true, settingsReader({}))).toEqual({ validate: true, completion: true, hover: true, crdStore: true, schemas: [] });
  });

  it('normalises yaml.schemas (string or list of globs) and the switches', () => {
    const report = yamlExtensionReport(
      true,
      settingsReader({
        validate: false,
        completion: true,
        hover: false,
        'kubernetesCRDStore.enable': false,
        schemas: { kubernetes: 'k8s/*.yaml', 'https://example.com/ciliumnetworkpolicy_v2.json': ['a/**', 7, 'b/*.yml'], empty: [] },
      }),
    );
    expect(report).toEqual({
      validate: false,
      completion: true,
      hover: false,
      crdStore: false,
      schemas: [
        { schema: 'kubernetes', globs: ['k8s/*.yaml'] },
        { schema: 'https://example.com/ciliumnetworkpolicy_v2.json', globs: ['a/**', 'b/*.yml'] },
      ],
    });
  });

  it('sends a new report only when what it says changed', () => {
    let installed = false;
    const settings: Record<string, unknown> = {};
    let fire = () => undefined as void;
    const host: YamlExtensionHost = {
      isInstalled: () => installed,
      setting: (key) => settings[key],
      onDidChange: (listener) => {
        fire = listener;
        return { dispose: () => undefined };
      },
    };
    const sent: unknown[] = [];
    const watcher = watchYamlExtension(host, (report) => sent.push(report));
    expect(watcher.current()).toBeNull();
    fire();
    expect(sent).toEqual([]);
    installed = true;
    fire();
    fire();
    expect(sent).toHaveLength(1);
    settings.schemas = { kubernetes: '*.yaml' };
    fire();
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatchObject({ schemas: [{ schema: 'kubernetes', globs: ['*.yaml'] }] });
    installed = false;
    fire();
    expect(sent[2]).toBeNull();
  });
});

describe('server: kinds the extension validates in a file', () => {
  const coverage = (report: unknown) => {
    const value = new YamlExtensionCoverage();
    value.update(report);
    return value;
  };

  it('maps schema references to kinds', () => {
    expect(schemaKinds('kubernetes', true)).toEqual(['*']);
    expect(schemaKinds('Kubernetes', false)).toEqual(['networkpolicy']);
    expect(schemaKinds('https://raw.githubusercontent.com/yannh/kubernetes-json-schema/master/v1.30.0-standalone-strict/all.json', true)).toEqual(['*']);
    expect(schemaKinds('https://raw.githubusercontent.com/datreeio/CRDs-catalog/main/cilium.io/ciliumnetworkpolicy_v2.json', true)).toEqual(['ciliumnetworkpolicy']);
    expect(schemaKinds('./schemas/security.istio.io_v1beta1_authorizationpolicy.json', true)).toEqual(['security', 'istio', 'io', 'authorizationpolicy']);
  });

  it('follows the globs of yaml.schemas the way the extension does (leading slash, any suffix, negation)', () => {
    const value = coverage({ schemas: [{ schema: 'kubernetes', globs: ['/clusters/**/*.yaml', '!**/secret.yaml'] }] });
    expect(value.deferredKinds('/repo/clusters/prod/cnp.yaml', '', 'diagnostics')).toEqual(['*']);
    expect(value.deferredKinds('/repo/clusters/prod/secret.yaml', '', 'diagnostics')).toEqual([]);
    expect(value.deferredKinds('/repo/apps/cnp.yaml', '', 'diagnostics')).toEqual([]);
  });

  it('reads a $schema modeline', () => {
    const value = coverage({ schemas: [] });
    const text = '# yaml-language-server: $schema=https://example.com/cilium.io/ciliumclusterwidenetworkpolicy_v2.json\napiVersion: cilium.io/v2\n';
    expect(value.deferredKinds('/repo/a.yaml', text, 'diagnostics')).toEqual(['ciliumclusterwidenetworkpolicy']);
  });

  it('needs yaml.validate for diagnostics, yaml.completion for completion and yaml.hover for hover', () => {
    const value = coverage({ validate: false, hover: false, schemas: [{ schema: 'kubernetes', globs: ['*.yaml'] }] });
    expect(value.deferredKinds('/repo/a.yaml', '', 'diagnostics')).toEqual([]);
    expect(value.deferredKinds('/repo/a.yaml', '', 'hover')).toEqual([]);
    expect(value.deferredKinds('/repo/a.yaml', '', 'completion')).toEqual(['*']);
  });

  it('treats a missing or malformed report as no extension', () => {
    for (const report of [null, undefined, 'yes', 42]) expect(coverage(report).active).toBe(false);
    expect(coverage({ schemas: 'kubernetes' }).deferredKinds('/repo/a.yaml', '', 'diagnostics')).toEqual([]);
  });
});
