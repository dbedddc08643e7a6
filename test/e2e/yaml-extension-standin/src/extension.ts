/**
 * Test-only stand-in for the Red Hat YAML extension (`redhat.vscode-yaml`),
 * whose package is not on npm and so cannot reach the e2e run's CI. It does
 * what the real one does for meshlens's coexistence scenario: on YAML files
 * it starts the real yaml-language-server (bundled from the npm package into
 * dist/server.js) through vscode-languageclient, over Node IPC, and lets the
 * server pull its `yaml.*` settings (`yaml.schemas`, `yaml.validate`,
 * `yaml.completion`, `yaml.hover`, `yaml.kubernetesCRDStore.enable`, …) by
 * `workspace/configuration`, with a `workspace/didChangeConfiguration` push at
 * start and on every change of those sections.
 *
 * Invariants: no network (schemas come from `yaml.schemas`; the tests turn the
 * schema store and the CRD store off); nothing beyond validation, completion
 * and hover is wired (no schema status bar, no commands).
 */
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'yaml' }],
    // The sections the server pulls (workspace/configuration) when told the configuration changed.
    synchronize: { configurationSection: ['yaml', 'http', '[yaml]', 'editor', 'files'] },
    // The bundled server cannot find its message catalogue by its own path: name the copied folder.
    initializationOptions: { l10nPath: context.asAbsolutePath('l10n') },
  };
  client = new LanguageClient('yaml', 'YAML Support (stand-in)', serverOptions, clientOptions);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
