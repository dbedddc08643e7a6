/**
 * flux/cilium-health-checks: a Kustomization whose `spec.path` holds a Cilium
 * HelmRelease but that does not health-check the agent DaemonSet and the
 * operator Deployment. The fix adds the missing `healthChecks` entries.
 *
 * Which Kustomization deploys the release comes from the GitOps model: the
 * release's file is placed by this Kustomization's own build (not a nested
 * Kustomization's). Kustomizations with `wait: true` are left
 * alone: they check the HelmRelease itself, whose readiness already waits for
 * the workloads, and their `healthChecks` would be ignored anyway. The check
 * fires only when a Kustomization of the workspace `dependsOn` this one:
 * readiness matters to dependents, and without any (Cilium installed at
 * bootstrap and only adopted by Flux, the usual home-ops layout) nothing
 * starts too early.
 */

import { mapGet, mapGetPair, scalarString, type YamlMap } from '../../parse/ast';
import { isFluxDocument, isFluxKind, readReference } from '../../flux/fluxObjects';
import { resolveReference } from '../../flux/references';
import { deployedByKustomization, isPatchDocument } from '../../gitops/placement';
import type { IndexedDocument, WorkspaceModel } from '../../workspace/model';
import { ciliumReleases, type CiliumRelease } from '../../helm/ciliumReleases';
import { columnOf, lineEndOf } from '../../flux/textEdits';
import type { CrossFileRule, RuleEdit } from '../types';
import { anchorOf, describeDocument, nameNodeOf } from './anchors';
import { healthCheckEntries } from './healthCheckKinds';

interface WantedCheck {
  kind: 'DaemonSet' | 'Deployment';
  name: string;
  namespace: string;
}

export const ciliumHealthChecks: CrossFileRule = {
  meta: {
    id: 'flux/cilium-health-checks',
    severity: 'warning',
    title: 'Cilium deployed without agent and operator health checks',
    kinds: ['Kustomization'],
    crossFile: true,
    docs: {
      summary: 'A Kustomization deploys a Cilium HelmRelease but does not health-check the cilium DaemonSet and the cilium-operator Deployment.',
      why: 'Without health checks the Kustomization turns Ready as soon as the HelmRelease object is applied, so Kustomizations that `dependsOn` it (anything that needs pod networking) start before the CNI works. Reported only when a Kustomization of the workspace depends on it. Checking the agent DaemonSet and the operator Deployment, in the namespace the chart installs them to, makes dependents wait for a working CNI.',
      bad: 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: cilium, namespace: flux-system}\nspec:\n  interval: 30m\n  prune: true\n  path: ./infrastructure/cilium\n  sourceRef: {kind: GitRepository, name: flux-system}\n---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: apps, namespace: flux-system}\nspec:\n  interval: 30m\n  prune: true\n  path: ./apps\n  sourceRef: {kind: GitRepository, name: flux-system}\n  dependsOn:\n    - name: cilium\n---\n# infrastructure/cilium/release.yaml\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  interval: 1h\n  chart:\n    spec: {chart: cilium, version: 1.16.5, sourceRef: {kind: HelmRepository, name: cilium}}\n',
      good: 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: cilium, namespace: flux-system}\nspec:\n  interval: 30m\n  prune: true\n  path: ./infrastructure/cilium\n  sourceRef: {kind: GitRepository, name: flux-system}\n  healthChecks:\n    - apiVersion: apps/v1\n      kind: DaemonSet\n      name: cilium\n      namespace: kube-system\n    - apiVersion: apps/v1\n      kind: Deployment\n      name: cilium-operator\n      namespace: kube-system\n---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: apps, namespace: flux-system}\nspec:\n  interval: 30m\n  prune: true\n  path: ./apps\n  sourceRef: {kind: GitRepository, name: flux-system}\n  dependsOn:\n    - name: cilium\n---\n# infrastructure/cilium/release.yaml\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  interval: 1h\n  chart:\n    spec: {chart: cilium, version: 1.16.5, sourceRef: {kind: HelmRepository, name: cilium}}\n',
      // The HelmRelease sits under the Kustomization's path.
      exampleFile: 'infrastructure/cilium/release.yaml',
      source: 'kustomize-controller healthChecks semantics; Cilium chart (values `name`, `namespaceOverride`, `operator.enabled`; DaemonSet and cilium-operator Deployment templates)',
    },
    fix: { title: 'Add health checks for the Cilium agent and operator', safe: true },
  },
  check(context) {
    if (!isFluxKind(context.resource, 'Kustomization')) return;
    const spec = mapGet(context.root, 'spec');
    if (spec?.type !== 'map') return;
    const wait = mapGet(spec, 'wait');
    if (wait?.type === 'scalar' && wait.value === true) return;
    const pathNode = mapGet(spec, 'path');
    const path = scalarString(pathNode);
    if (!path || !pathNode) return;
    const self = { file: context.file, index: context.documentIndex };
    const releases = ciliumReleases(context.workspace).filter((release) => deployedByKustomization(context.workspace, self, release.document.file));
    if (releases.length === 0) return;
    const entries = healthCheckEntries(context.resource, context.root);
    const wanted: WantedCheck[] = [];
    const missing: string[] = [];
    for (const release of releases) {
      for (const [kind, name] of [
        ['DaemonSet', release.agentName],
        ['Deployment', release.operatorName],
      ] as const) {
        if (!name) continue;
        const present = entries.some((entry) => entry.kind === kind && entry.name === name && (!entry.namespace || !release.namespace || entry.namespace === release.namespace));
        if (present) continue;
        missing.push(`${kind} ${name}`);
        if (release.namespace && !wanted.some((check) => check.kind === kind && check.name === name && check.namespace === release.namespace)) {
          wanted.push({ kind, name, namespace: release.namespace });
        }
      }
    }
    if (missing.length === 0) return;
    const dependents = context.workspace.derive('kustomization-dependents', kustomizationDependents).get(`${context.file}#${context.documentIndex}`);
    if (!dependents || dependents.length === 0) return;
    const edits = wanted.length === missing.length ? healthCheckEdits(context.document.text, spec, wanted) : undefined;
    const release = releases[0];
    context.report(
      pathNode,
      `This Kustomization deploys Cilium (${describeDocument(release.document)}) but does not health-check ${[...new Set(missing)].join(' and ')}: it turns Ready before the CNI works, so ${dependentsText(dependents)} start${dependents.length === 1 ? 's' : ''} too early.`,
      {
        fixes: edits ? [{ title: 'Add health checks for the Cilium agent and operator', safe: true, preferred: true, edits }] : undefined,
        related: releases.map((each: CiliumRelease) => ({ at: anchorOf(each.document, nameNodeOf(each.document)), message: `Cilium HelmRelease ${describeDocument(each.document)}` })),
      },
    );
  },
};

/** Kustomization documents (`file#index`) → the Kustomizations whose resolved `dependsOn` names them, once per workspace state. */
function kustomizationDependents(model: WorkspaceModel): Map<string, IndexedDocument[]> {
  const dependents = new Map<string, IndexedDocument[]>();
  for (const document of model.byKind('Kustomization')) {
    if (!isFluxDocument(document, 'Kustomization') || isPatchDocument(model, document)) continue;
    const list = mapGet(mapGet(document.parsed.root, 'spec'), 'dependsOn');
    if (list?.type !== 'seq') continue;
    for (const item of list.items) {
      const reference = readReference(item);
      if (!reference?.name) continue;
      const resolution = resolveReference(model, document, { kind: 'Kustomization', name: reference.name, namespace: reference.namespace });
      if (resolution.status !== 'found') continue;
      for (const target of resolution.targets) {
        const key = `${target.file}#${target.index}`;
        const entry = dependents.get(key) ?? [];
        if (!entry.includes(document)) entry.push(document);
        dependents.set(key, entry);
      }
    }
  }
  return dependents;
}

function dependentsText(dependents: readonly IndexedDocument[]): string {
  const names = dependents.slice(0, 3).map((document) => describeDocument(document));
  const more = dependents.length > 3 ? ` and ${dependents.length - 3} more` : '';
  return `${names.join(', ')}${more}, which depend${dependents.length === 1 ? 's' : ''} on it,`;
}

function entryLines(check: WantedCheck, dash: string): string {
  const inner = `${dash}  `;
  return `${dash}- apiVersion: apps/v1\n${inner}kind: ${check.kind}\n${inner}name: ${check.name}\n${inner}namespace: ${check.namespace}`;
}

/** Edits that add the checks: appended to an existing block list, or a new `healthChecks` key at the end of spec. */
function healthCheckEdits(text: string, spec: YamlMap, wanted: readonly WantedCheck[]): RuleEdit[] | undefined {
  if (spec.flow || spec.pairs.length === 0) return undefined;
  const existing = mapGetPair(spec, 'healthChecks');
  const specIndent = columnOf(text, spec.pairs[0].key.start);
  if (existing) {
    const list = existing.value;
    if (list.type === 'seq' && !list.flow && list.items.length > 0) {
      const dash = ' '.repeat(columnOf(text, list.start));
      const at = lineEndOf(text, list.end);
      return [{ range: { start: at, end: at }, newText: `\n${wanted.map((check) => entryLines(check, dash)).join('\n')}` }];
    }
    if (list.type === 'seq' && list.flow) {
      const items = wanted.map((check) => `{apiVersion: apps/v1, kind: ${check.kind}, name: ${check.name}, namespace: ${check.namespace}}`).join(', ');
      if (list.items.length === 0) return [{ range: { start: list.start, end: list.end }, newText: `[${items}]` }];
      const last = list.items[list.items.length - 1];
      return [{ range: { start: last.end, end: last.end }, newText: `, ${items}` }];
    }
    if (list.type === 'scalar' && list.value === null) {
      const dash = ' '.repeat(columnOf(text, existing.key.start) + 2);
      return [{ range: { start: existing.key.start, end: lineEndOf(text, existing.value.end) }, newText: `healthChecks:\n${wanted.map((check) => entryLines(check, dash)).join('\n')}` }];
    }
    return undefined;
  }
  const lastPair = spec.pairs[spec.pairs.length - 1];
  const indent = ' '.repeat(specIndent);
  const at = lineEndOf(text, lastPair.value.end);
  return [{ range: { start: at, end: at }, newText: `\n${indent}healthChecks:\n${wanted.map((check) => entryLines(check, `${indent}  `)).join('\n')}` }];
}
