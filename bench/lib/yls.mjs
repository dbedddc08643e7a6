// Drives yaml-language-server 2's language service in process, with the same
// resource schemas meshlens ships (schemas/resources/*.json).
//
// Association: yaml-language-server matches schemas to files by glob, not by
// apiVersion/kind (its Kubernetes mode only knows the built-in Kubernetes
// schema and a remote CRD catalogue). So every YAML file gets one dispatcher
// schema whose `allOf` holds an `if apiVersion/kind then $ref <resource
// schema>` branch per shipped schema: each document is validated against the
// schema of its own apiVersion/kind, and documents of other kinds pass.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const SCHEME = 'meshlens-bench://schemas/';

export function dispatcherSchema(resourceDirectory) {
  const index = JSON.parse(readFileSync(join(resourceDirectory, 'index.json'), 'utf8'));
  return {
    type: 'object',
    allOf: index.entries.map((entry) => ({
      if: {
        properties: { apiVersion: { const: entry.apiVersion }, kind: { const: entry.kind } },
        required: ['apiVersion', 'kind'],
      },
      then: { $ref: `${SCHEME}${entry.file}` },
    })),
  };
}

export async function createYamlLanguageService(resourceDirectory) {
  const { getLanguageService } = await import('yaml-language-server');
  const { TextDocument } = await import('vscode-languageserver-textdocument');
  const dispatcher = JSON.stringify(dispatcherSchema(resourceDirectory));
  const requested = [];
  const service = getLanguageService({
    schemaRequestService: async (uri) => {
      requested.push(uri);
      if (uri === `${SCHEME}dispatch.json`) return dispatcher;
      if (uri.startsWith(SCHEME)) return readFileSync(join(resourceDirectory, uri.slice(SCHEME.length)), 'utf8');
      throw new Error(`unexpected schema request ${uri}`);
    },
    workspaceContext: { resolveRelativePath: (relative, resource) => new URL(relative, resource).href },
  });
  service.configure({
    validate: true,
    completion: true,
    hover: true,
    isKubernetes: false,
    schemas: [{ uri: `${SCHEME}dispatch.json`, fileMatch: ['*.yaml', '*.yml'] }],
  });
  let version = 0;
  return {
    service,
    requested,
    /**
     * A fresh document version (so no per-version cache of a previous run is
     * reused). The URI leaves out dot-folders such as `.corpus`: the glob
     * matcher of yaml-language-server does not match inside them, and the file
     * would get no schema at all.
     */
    document(path, text) {
      const uri = pathToFileURL(path).href.replace(/\/\.(?=[^/])/g, '/dot-');
      return TextDocument.create(uri, 'yaml', ++version, text);
    },
    validate(document) {
      return service.doValidation(document, false);
    },
    complete(document, position) {
      return service.doComplete(document, position, false);
    },
    hover(document, position) {
      return service.doHover(document, position);
    },
  };
}
