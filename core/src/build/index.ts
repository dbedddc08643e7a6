/**
 * kustomize (v5) and Flux builds in pure TypeScript, with provenance.
 *
 * API for consumers (the `gitops` cluster model, the server and the CLI):
 *
 * - `buildKustomization(fs, dir, options?)` builds `dir` exactly as
 *   `kustomize build` / `kubectl kustomize` would (load restrictions `rootOnly`
 *   by default). A directory without a kustomization file is an error, as in
 *   kustomize.
 * - `buildFluxDirectory(fs, dir, overlay?)` builds `dir` as Flux's
 *   kustomize-controller does: the kustomization file, or the one Flux
 *   generates from every manifest below the directory; load restrictions off;
 *   then the Flux Kustomization's fields from `overlay` (targetNamespace,
 *   namePrefix/nameSuffix, spec.patches, components, images, commonMetadata;
 *   see `flux.ts` for the exact order). `fluxOverlayFromObject(value, file,
 *   document, node, base)` reads those fields from a parsed Flux Kustomization
 *   so their provenance points at its lines. Post-build substitution is not
 *   done here (the caller applies it to `objects`).
 * - Both return a `BuildResult`: `objects` in kustomize's output order, each a
 *   `BuiltObject` with its plain-JSON `value`, `source` (file, document index,
 *   range of the resource document or generator entry), `fieldOrigins` and
 *   `via` (kustomization files it came through, innermost first); `notes`
 *   (`error`: kustomize would fail, the objects are partial; `unknown`: remote
 *   or outside the repository; `unsupported`: a directive not modelled, e.g.
 *   helmCharts — report once as info, never guess); `failed`, `incomplete`,
 *   and `files` (every file read, for incremental rebuilds).
 * - `fieldOrigin(object, path)` answers "which file/document/range last wrote
 *   this field?" for any path (`['spec', 'values', 'l7Proxy']`): a patch
 *   line, a generator literal or env-file line (ConfigMap data keys), a
 *   transformer's kustomization line (namespace, prefix, labels, images,
 *   replicas, hash suffix), a replacement's source field, a Flux field, or
 *   else the field in the resource document itself.
 *
 * The file view (`BuildFileSystem`) takes repository-relative POSIX paths;
 * the engine never leaves the repository and never does IO itself.
 */

export type { BuildFileSystem, BuildNote, BuildNoteKind, BuildOptions, BuildResult, BuiltObject, LoadRestrictions, Origin, OriginKind } from './types';
export { fieldOrigin, fieldPathKey, type PathSegment } from './provenance';
export { buildFluxDirectory, fluxOverlayFromObject, fluxScanResources, type FluxOverlay } from './flux';
export type { TargetSelector } from './resource';

import { KustomizeEngine } from './engine';
import type { BuildFileSystem, BuildOptions, BuildResult } from './types';

/** Builds a kustomization directory as `kubectl kustomize DIR` does. */
export function buildKustomization(fs: BuildFileSystem, dir: string, options: BuildOptions = {}): BuildResult {
  const engine = new KustomizeEngine(fs, options);
  const root = engine.loadKustomization(dir);
  if (typeof root === 'string') {
    engine.note('error', root, dir);
    return { root: dir, objects: [], notes: engine.notes, failed: true, incomplete: false, files: [...engine.files].sort() };
  }
  return engine.build(root);
}

