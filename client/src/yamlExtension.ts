/**
 * What the client tells the server about the Red Hat YAML extension
 * (`redhat.vscode-yaml`), so meshlens leaves it the CRD schema where it
 * validates the same kinds (the server decides per file; see
 * `server/src/yamlExtension.ts`).
 *
 * `yamlExtensionReport` is pure: it takes whether the extension is active and
 * a reader of its `yaml.*` settings, so it is tested without VS Code.
 * `watchYamlExtension` wires it to VS Code: it sends the report again when
 * extensions or `yaml.*` settings change.
 */

import { YAML_EXTENSION_CHANGED_NOTIFICATION, type YamlExtensionReport } from '../../protocol/src/messages';

export const YAML_EXTENSION_ID = 'redhat.vscode-yaml';
export const YAML_EXTENSION_CHANGED = YAML_EXTENSION_CHANGED_NOTIFICATION;

/**
 * The report for the server, or null when the extension is not installed or
 * not enabled (a disabled extension validates nothing). Settings the user has
 * not set read as the extension's defaults (validation, completion, hover and the
 * CRD store on, no associations).
 */
export function yamlExtensionReport(installed: boolean, setting: (key: string) => unknown): YamlExtensionReport | null {
  if (!installed) return null;
  const schemas = setting('schemas');
  const entries = schemas && typeof schemas === 'object' && !Array.isArray(schemas) ? Object.entries(schemas as Record<string, unknown>) : [];
  return {
    validate: setting('validate') !== false,
    completion: setting('completion') !== false,
    hover: setting('hover') !== false,
    crdStore: setting('kubernetesCRDStore.enable') !== false,
    schemas: entries.flatMap(([schema, globs]) => {
      const list = typeof globs === 'string' ? [globs] : Array.isArray(globs) ? globs.filter((glob): glob is string => typeof glob === 'string') : [];
      return list.length > 0 ? [{ schema, globs: list }] : [];
    }),
  };
}

/** Minimal view of the VS Code API this module needs (keeps the logic testable). */
export interface YamlExtensionHost {
  isInstalled(): boolean;
  setting(key: string): unknown;
  onDidChange(listener: () => void): { dispose(): void };
}

/** Calls `send` with a new report whenever it differs from the last one sent. */
export function watchYamlExtension(host: YamlExtensionHost, send: (report: YamlExtensionReport | null) => void): { current: () => YamlExtensionReport | null; dispose(): void } {
  let last = JSON.stringify(yamlExtensionReport(host.isInstalled(), host.setting));
  const subscription = host.onDidChange(() => {
    const report = yamlExtensionReport(host.isInstalled(), host.setting);
    const signature = JSON.stringify(report);
    if (signature === last) return;
    last = signature;
    send(report);
  });
  return { current: () => yamlExtensionReport(host.isInstalled(), host.setting), dispose: () => subscription.dispose() };
}
