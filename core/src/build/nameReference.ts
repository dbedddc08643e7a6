/**
 * Name references: after the whole build renamed objects (prefix, suffix,
 * hash suffix, namespace), fields that refer to them by an earlier name are
 * rewritten to the final name, as kustomize's back-reference fix does.
 *
 * A reference is rewritten only when exactly one candidate (after kustomize's
 * sieves: earlier name, kind, roleRef kind, namespace, matching prefixes and
 * suffixes) can be meant; otherwise it is left alone (kustomize fails on the
 * ambiguous case, reported as an error note by the caller).
 */

import { visitFieldSpec, specApplies, type NameReferenceSpec } from './fieldSpecs';
import { recordWrite, type PathSegment } from './provenance';
import {
  currentId,
  effectiveNamespace,
  gvkOf,
  gvkSelected,
  isClusterScoped,
  isObject,
  nameOf,
  namespaceOf,
  stringField,
  type Json,
  type JsonObject,
  type Resource,
} from './resource';
import type { Origin } from './types';

function sameEndingSubSlice(a: string[], b: string[]): boolean {
  let shortest = a;
  let longest = b;
  if (shortest.length > longest.length) [shortest, longest] = [longest, shortest];
  const diff = longest.length - shortest.length;
  if (shortest.length === 0) return diff === 0;
  for (let index = shortest.length - 1; index >= 0; index--) if (longest[index + diff] !== shortest[index]) return false;
  return true;
}

function prefixSuffixEquals(candidate: Resource, referrer: Resource, allowEmpty: boolean): boolean {
  if (allowEmpty) {
    const prefixEmpty = candidate.namePrefixes.length === 0 || referrer.namePrefixes.length === 0;
    const suffixEmpty = candidate.nameSuffixes.length === 0 || referrer.nameSuffixes.length === 0;
    return (prefixEmpty || sameEndingSubSlice(candidate.namePrefixes, referrer.namePrefixes)) && (suffixEmpty || sameEndingSubSlice(candidate.nameSuffixes, referrer.nameSuffixes));
  }
  return sameEndingSubSlice(candidate.namePrefixes, referrer.namePrefixes) && sameEndingSubSlice(candidate.nameSuffixes, referrer.nameSuffixes);
}

function candidatesFor(referrer: Resource, all: Resource[]): Resource[] {
  const referrerId = currentId(referrer);
  if (isClusterScoped(referrerId)) return all;
  const bindingNamespaces = new Set<string>();
  if (referrerId.kind === 'RoleBinding' || referrerId.kind === 'ClusterRoleBinding') {
    const subjects = referrer.value.subjects;
    if (Array.isArray(subjects)) for (const subject of subjects) if (isObject(subject) && subject.kind === 'ServiceAccount') bindingNamespaces.add(stringField(subject.namespace));
  }
  return all.filter((target) => {
    const id = currentId(target);
    if (isClusterScoped(id)) return true;
    if (effectiveNamespace(id) === effectiveNamespace(referrerId)) return true;
    return bindingNamespaces.has(namespaceOf(target.value));
  });
}

export interface NameReferenceProblem {
  message: string;
}

/** Rewrites references in every resource; returns the ambiguous references kustomize would fail on. */
export function fixNameReferences(resources: Resource[], specs: NameReferenceSpec[], origin: (referral: Resource) => Origin): NameReferenceProblem[] {
  const problems: NameReferenceProblem[] = [];
  for (const referrer of resources) {
    const gvk = gvkOf(referrer.value);
    let candidates: Resource[] | undefined;
    for (const spec of specs) {
      for (const fieldSpec of spec.fieldSpecs) {
        if (!specApplies(fieldSpec, gvk)) continue;
        candidates ??= candidatesFor(referrer, resources);
        const context = { referrer, target: spec.target, candidates, path: fieldSpec.path, origin, problems };
        visitFieldSpec(referrer.value, { ...fieldSpec, create: false }, undefined, (container, key, path) => {
          const value = Array.isArray(container) ? container[key as number] : container[key as string];
          setReference(context, container, key, value, path);
        });
      }
    }
  }
  return problems;
}

interface ReferenceContext {
  referrer: Resource;
  target: NameReferenceSpec['target'];
  candidates: Resource[];
  path: string;
  origin: (referral: Resource) => Origin;
  problems: NameReferenceProblem[];
}

function setReference(context: ReferenceContext, container: JsonObject | Json[], key: string | number, value: Json | undefined, path: PathSegment[]): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => setReference(context, value, index, item, [...path, index]));
    return;
  }
  if (isObject(value)) {
    setMapping(context, value, path);
    return;
  }
  const oldName = stringField(value);
  const referral = selectReferral(context, oldName, context.candidates, false);
  if (!referral || nameOf(referral.value) === oldName) return;
  if (Array.isArray(container)) container[key as number] = nameOf(referral.value);
  else container[key as string] = nameOf(referral.value);
  recordWrite(context.referrer, path, context.origin(referral));
}

function setMapping(context: ReferenceContext, node: JsonObject, path: PathSegment[]): void {
  if (!('name' in node)) return;
  let candidates = context.candidates;
  if (node.namespace !== undefined && node.namespace !== null) {
    const namespace = stringField(node.namespace);
    const byOriginal = candidates.filter((candidate) => (candidate.prevIds[0] ? candidate.prevIds[0].namespace : namespaceOf(candidate.value)) === namespace);
    candidates = byOriginal.length > 0 ? byOriginal : candidates.filter((candidate) => namespaceOf(candidate.value) === namespace);
  }
  const oldName = stringField(node.name);
  const referral = selectReferral(context, oldName, candidates, true);
  if (!referral) return;
  const newName = nameOf(referral.value);
  const newNamespace = namespaceOf(referral.value);
  if (newName === oldName && newNamespace === '') return;
  node.name = newName;
  recordWrite(context.referrer, [...path, 'name'], context.origin(referral));
  if (newNamespace === '') return;
  node.namespace = newNamespace;
  recordWrite(context.referrer, [...path, 'namespace'], context.origin(referral));
}

function selectReferral(context: ReferenceContext, oldName: string, candidates: Resource[], compareNamespaces: boolean): Resource | undefined {
  const referrerId = currentId(context.referrer);
  let list = candidates.filter((candidate) => candidate.prevIds.some((id) => id.name === oldName));
  list = list.filter((candidate) => candidate.prevIds.some((id) => gvkSelected(id, context.target)));
  if (context.path.endsWith('roleRef/name')) {
    const roleRef = context.referrer.value.roleRef;
    if (isObject(roleRef) && roleRef.apiGroup !== undefined && roleRef.kind !== undefined) {
      const selector = { group: stringField(roleRef.apiGroup), kind: stringField(roleRef.kind) };
      list = list.filter((candidate) => candidate.prevIds.some((id) => gvkSelected(id, selector)));
    }
  }
  if (!isClusterScoped(referrerId)) {
    list = list.filter((candidate) => {
      const id = currentId(candidate);
      return isClusterScoped(id) || id.kind === 'ServiceAccount' || effectiveNamespace(id) === effectiveNamespace(referrerId);
    });
  }
  if (list.length === 1) return list[0];
  list = list.filter((candidate) => prefixSuffixEquals(candidate, context.referrer, true));
  if (list.length > 1) list = list.filter((candidate) => prefixSuffixEquals(candidate, context.referrer, false));
  if (list.length === 1) return list[0];
  if (list.length === 0) return undefined;
  const first = list[0];
  const identical = list.every((candidate) => nameOf(candidate.value) === nameOf(first.value) && (!compareNamespaces || namespaceOf(candidate.value) === namespaceOf(first.value)));
  if (identical) return first;
  context.problems.push({ message: `found multiple possible referrals for '${oldName}' in ${referrerId.kind} ${referrerId.name}: ${list.map((candidate) => `${currentId(candidate).kind}/${nameOf(candidate.value)}`).join(', ')}` });
  return undefined;
}
