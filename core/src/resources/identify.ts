/**
 * Identifies a YAML document as a Kubernetes resource by `apiVersion` and
 * `kind` (never by file name) and reads its name and namespace.
 */

import { mapGet, scalarString, type YamlNode } from '../parse/ast';

export interface ResourceIdentity {
  apiVersion: string;
  /** API group (`cilium.io`), or '' for the core group (`v1`). */
  group: string;
  version: string;
  kind: string;
  name?: string;
  namespace?: string;
}

export function identifyResource(root: YamlNode | undefined): ResourceIdentity | undefined {
  if (!root || root.type !== 'map') return undefined;
  const apiVersion = scalarString(mapGet(root, 'apiVersion'));
  const kind = scalarString(mapGet(root, 'kind'));
  if (!apiVersion || !kind) return undefined;
  const slash = apiVersion.indexOf('/');
  const group = slash === -1 ? '' : apiVersion.slice(0, slash);
  const version = slash === -1 ? apiVersion : apiVersion.slice(slash + 1);
  const metadata = mapGet(root, 'metadata');
  return {
    apiVersion,
    group,
    version,
    kind,
    name: scalarString(mapGet(metadata, 'name')),
    namespace: scalarString(mapGet(metadata, 'namespace')),
  };
}

export function resourceKey(identity: Pick<ResourceIdentity, 'apiVersion' | 'kind'>): string {
  return `${identity.apiVersion}/${identity.kind}`;
}

/** API groups whose documents meshlens understands and reports on. */
export const OWNED_GROUPS: ReadonlySet<string> = new Set([
  'cilium.io',
  'security.istio.io',
  'helm.toolkit.fluxcd.io',
  'source.toolkit.fluxcd.io',
  'kustomize.toolkit.fluxcd.io',
  'meshlens.dev',
]);

/** Cheap text test: does this document mention one of our API groups? */
export function mentionsOwnedGroup(text: string): boolean {
  return /apiVersion:\s*["']?(cilium\.io|security\.istio\.io|[a-z]+\.toolkit\.fluxcd\.io|meshlens\.dev)\//.test(text);
}
