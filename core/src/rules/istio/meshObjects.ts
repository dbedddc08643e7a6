/**
 * Workspace-wide views the mesh-level authz rules share: every
 * AuthorizationPolicy with its effective namespace (kustomize/Flux aware), and
 * every PeerAuthentication with its scope and mTLS mode. Both are derived once
 * per workspace generation (and root namespace), never per document.
 *
 * Invariant: a document that does not parse as the kind it claims is left out.
 */

import { deref, mapGet, mapGetPair, scalarString, type YamlNode } from '../../parse/ast';
import { readAuthorizationPolicy, type AuthzPolicy } from '../../policy/authzModel';
import { k8sIndex, readLabels } from '../../policy/k8sIndex';
import type { IndexedDocument, WorkspaceModel } from '../../workspace/model';
import type { Anchor } from '../types';

export interface MeshPolicy {
  document: IndexedDocument;
  policy: AuthzPolicy;
}

export function meshPolicies(workspace: WorkspaceModel, rootNamespace: string): readonly MeshPolicy[] {
  return workspace.derive(`authz/mesh-policies\u0000${rootNamespace}`, (model) => {
    const index = k8sIndex(model);
    const found: MeshPolicy[] = [];
    for (const document of model.byKind('AuthorizationPolicy')) {
      if (document.identity.group !== 'security.istio.io') continue;
      const { namespace } = index.effectiveNamespace(document.file, document.identity.namespace);
      const policy = readAuthorizationPolicy(document.parsed.root, { namespace, rootNamespace, text: document.parsed.text });
      if (policy) found.push({ document, policy });
    }
    return found;
  });
}

export type MtlsMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE' | 'UNSET';

export interface PeerAuthenticationInfo {
  name?: string;
  namespace: string;
  /** `selector.matchLabels`; undefined for a namespace- or mesh-wide policy. */
  selector?: Record<string, string>;
  /** `spec.mtls.mode` (UNSET when absent: inherit from the parent scope). */
  mode: MtlsMode;
  /** Has `portLevelMtls`: the mode differs per port. */
  portLevel: boolean;
  at: Anchor;
}

export function peerAuthentications(workspace: WorkspaceModel): readonly PeerAuthenticationInfo[] {
  return workspace.derive('authz/peer-authentications', (model) => {
    const index = k8sIndex(model);
    const found: PeerAuthenticationInfo[] = [];
    for (const document of model.byKind('PeerAuthentication')) {
      if (document.identity.group !== 'security.istio.io') continue;
      const root = deref(document.parsed.root);
      const spec = deref(mapGet(root, 'spec'));
      const selectorPair = mapGetPair(spec, 'selector');
      const modeText = scalarString(mapGet(deref(mapGet(spec, 'mtls')), 'mode'))?.toUpperCase();
      const mode: MtlsMode = modeText === 'STRICT' || modeText === 'PERMISSIVE' || modeText === 'DISABLE' ? modeText : 'UNSET';
      const { namespace } = index.effectiveNamespace(document.file, document.identity.namespace);
      const modeNode: YamlNode | undefined = mapGet(deref(mapGet(spec, 'mtls')), 'mode') ?? root;
      found.push({
        name: document.identity.name,
        namespace,
        selector: selectorPair ? readLabels(mapGet(deref(selectorPair.value), 'matchLabels')) : undefined,
        mode,
        portLevel: Boolean(mapGetPair(spec, 'portLevelMtls')),
        at: { file: document.file, document: document.index, start: modeNode?.start ?? 0, end: modeNode?.end ?? 0 },
      });
    }
    return found;
  });
}
