/**
 * The objects each cluster applies, as YAML for review, every field traced
 * to the line that wrote it (`meshlens build`).
 *
 * Each object comes from a cluster build (`clusterBuild`: kustomize, Flux's
 * overlay fields, post-build substitution). It is printed with a header
 * naming the cluster, the Flux Kustomization and the file:line of its source
 * document; a field written anywhere else (a patch, a component, a generator
 * input, a transformer, a substitution variable) carries a `# from file:line`
 * comment where the writer changes, so a reviewer sees what an overlay did.
 *
 * Invariants: pure; output is valid YAML (comments only after values);
 * objects in cluster and build order, each in kustomize's output order;
 * nothing unknown is filled in (a placeholder whose variable is not known
 * stays as written).
 */

import { fieldOrigin, fieldPathKey, type BuiltObject, type PathSegment } from '../build/index';
import { resolvePlainScalar } from '../parse/resolveScalar';
import type { WorkspaceModel } from '../workspace/model';
import { builtFieldAnchor, clusterBuild, originAnchor, type BuiltInstance } from './clusterBuild';
import { gitopsModel } from './clusters';
import { anchorLine } from '../workspace/anchorLine';

export interface BuiltDocument {
  cluster: string;
  /** Workspace file of the source document (or generator) and its 1-based line. */
  file: string;
  line: number;
  namespace?: string;
  /** `name` of the Flux Kustomization whose build applies it. */
  kustomization?: string;
  /** The built object. */
  value: Record<string, unknown>;
  /** The object as YAML with `# from file:line` comments on fields written elsewhere. */
  text: string;
  /** True when the build could not know everything (remote bases, unsupported directives). */
  incomplete: boolean;
}

/** The objects each cluster (or the one named) applies. */
export function builtDocuments(model: WorkspaceModel, clusterName?: string): BuiltDocument[] {
  const gitops = gitopsModel(model);
  const out: BuiltDocument[] = [];
  for (const task of gitops.builds.values()) {
    const cluster = gitops.clusters[task.cluster];
    if (!cluster || (clusterName !== undefined && cluster.name !== clusterName)) continue;
    const build = clusterBuild(model, task.key);
    if (!build) continue;
    const kustomization = task.kustomization ? gitops.kustomizations.get(task.kustomization)?.name ?? nameOfKustomization(model, task.kustomization) : undefined;
    build.result.objects.forEach((object, index) => {
      const instance: BuiltInstance = { cluster: task.cluster, clusterName: cluster.name, build, object, index };
      const where = locate(model, instance, []);
      const metadata = object.value.metadata as Record<string, unknown> | undefined;
      out.push({
        cluster: cluster.name,
        file: where?.file ?? '?',
        line: where?.line ?? 1,
        ...(typeof metadata?.namespace === 'string' ? { namespace: metadata.namespace } : {}),
        ...(kustomization ? { kustomization } : {}),
        value: object.value,
        text: renderObject(model, instance),
        incomplete: build.result.incomplete,
      });
    });
  }
  return out;
}

function nameOfKustomization(model: WorkspaceModel, key: string): string | undefined {
  const hash = key.lastIndexOf('#');
  return model.fileResources(key.slice(0, hash)).find((document) => document.index === Number(key.slice(hash + 1)))?.identity.name;
}

/** File and 1-based line that wrote the field at `path`. */
function locate(model: WorkspaceModel, instance: BuiltInstance, path: readonly PathSegment[]): { file: string; line: number } | undefined {
  const anchor = path.length === 0 ? originAnchor(model, instance.object.source) : builtFieldAnchor(model, instance, path);
  if (!anchor) return undefined;
  return { file: anchor.file, line: anchorLine(model, anchor) };
}

function renderObject(model: WorkspaceModel, instance: BuiltInstance): string {
  const object: BuiltObject = instance.object;
  const sourceWriter = writer(instance, []);
  const lines: string[] = [];
  // A comment where the writer changes: a field written by its object's own document says nothing.
  const comment = (path: PathSegment[], parentWriter: string | undefined): { text: string; label: string | undefined } => {
    const own = writer(instance, path);
    if (own === parentWriter || own === sourceWriter) return { text: '', label: own };
    const where = label(model, instance, path);
    return { text: where ? `  # from ${where}` : '', label: own };
  };
  const emitValue = (value: unknown, path: PathSegment[], indent: string, parentLabel: string | undefined, prefix: string): void => {
    // `prefix` is the text before the value on its first line (`key:` or `- `).
    const { text: note, label: own } = comment(path, parentLabel);
    if (Array.isArray(value)) {
      if (value.length === 0) {
        lines.push(`${prefix}${prefix.endsWith(':') ? ' ' : ''}[]${note}`);
        return;
      }
      if (prefix.endsWith(':')) lines.push(`${prefix}${note}`);
      value.forEach((item, index) => emitItem(item, [...path, index], indent, own));
      return;
    }
    if (isMap(value)) {
      const keys = Object.keys(value);
      if (keys.length === 0) {
        lines.push(`${prefix}${prefix.endsWith(':') ? ' ' : ''}{}${note}`);
        return;
      }
      if (prefix.endsWith(':')) lines.push(`${prefix}${note}`);
      for (const key of keys) emitValue(value[key], [...path, key], `${indent}  `, own, `${indent}  ${renderKey(key)}:`);
      return;
    }
    pushScalar(lines, value, prefix, indent, note);
  };
  const emitItem = (item: unknown, path: PathSegment[], indent: string, parentLabel: string | undefined): void => {
    const { text: note, label: own } = comment(path, parentLabel);
    if (isMap(item) && Object.keys(item).length > 0) {
      const keys = Object.keys(item);
      keys.forEach((key, position) => {
        const keyPrefix = position === 0 ? `${indent}- ${renderKey(key)}:` : `${indent}  ${renderKey(key)}:`;
        const before = lines.length;
        emitValue(item[key], [...path, key], `${indent}  `, own, keyPrefix);
        if (position === 0 && note && lines.length > before && !lines[before].includes('  # from ')) lines[before] += note;
      });
      return;
    }
    if (Array.isArray(item) && item.length > 0) {
      lines.push(`${indent}-${note}`);
      item.forEach((child, index) => emitItem(child, [...path, index], `${indent}  `, own));
      return;
    }
    emitValue(item, path, indent, parentLabel, `${indent}- `);
  };
  for (const key of Object.keys(object.value)) emitValue(object.value[key], [key], '', sourceWriter, `${renderKey(key)}:`);
  return lines.join('\n');
}

function pushScalar(lines: string[], value: unknown, prefix: string, indent: string, note: string): void {
  const separator = prefix.endsWith(':') ? ' ' : '';
  if (typeof value === 'string' && value.includes('\n') && !/(^|\n)[ \t]/.test(value.split('\n')[0] ?? '') && !/[ \t]\n|[ \t]$/.test(value)) {
    const body = value.endsWith('\n') ? value.slice(0, -1) : value;
    const chomp = value.endsWith('\n') ? (value.endsWith('\n\n') ? '+' : '') : '-';
    lines.push(`${prefix}${separator}|${chomp}${note}`);
    for (const line of body.split('\n')) lines.push(line === '' ? '' : `${indent}    ${line}`);
    return;
  }
  lines.push(`${prefix}${separator}${renderScalar(value)}${note}`);
}

function renderScalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = String(value);
  const plainSafe = /^[A-Za-z0-9_./@$(][^\n]*$/.test(text) && !/: |:$| #|\s$/.test(text) && typeof resolvePlainScalar(text) === 'string';
  return plainSafe ? text : JSON.stringify(text);
}

function renderKey(key: string): string {
  return /^[A-Za-z0-9_./-][A-Za-z0-9_./@-]*$/.test(key) && typeof resolvePlainScalar(key) === 'string' ? key : JSON.stringify(key);
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Who wrote the field at `path`: the writing document and directive, or the substitution variable. */
function writer(instance: BuiltInstance, path: readonly PathSegment[]): string {
  const substitution = path.length > 0 ? instance.build.substitutions[instance.index]?.get(fieldPathKey(path)) : undefined;
  if (substitution) return `\${${substitution.variable}}`;
  const origin = path.length > 0 ? fieldOrigin(instance.object, path) : instance.object.source;
  return `${origin.file}#${origin.document}|${origin.kind}|${origin.kind === 'resource' ? '' : (origin.detail ?? '')}`;
}

/** `file:line` (and what wrote it, for a patch, generator, transformer or substitution) of the field at `path`. */
function label(model: WorkspaceModel, instance: BuiltInstance, path: readonly PathSegment[]): string | undefined {
  const where = locate(model, instance, path);
  if (!where) return undefined;
  const substitution = path.length > 0 ? instance.build.substitutions[instance.index]?.get(fieldPathKey(path)) : undefined;
  const origin = path.length > 0 ? fieldOrigin(instance.object, path) : instance.object.source;
  const what = substitution ? `\${${substitution.variable}}` : origin.kind === 'resource' ? '' : origin.detail ?? origin.kind;
  return `${where.file}:${where.line}${what ? ` (${what})` : ''}`;
}
