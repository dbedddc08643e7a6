/**
 * Text-level tests for "is this YAML something meshlens must not ignore",
 * usable on documents that do not parse (no tree to look at):
 * a Kubernetes manifest of any kind (a top-level `apiVersion:` and `kind:`),
 * and kustomize's own file (found by name; apiVersion/kind are optional in it).
 *
 * Invariant: pure functions over text and paths; a document counts as a
 * manifest only when both keys start a line at column 0 with a value, so
 * indented or commented mentions do not count.
 */

const TOP_LEVEL_API_VERSION = /^apiVersion:[ \t]*["']?[A-Za-z0-9.\-/]+/m;
const TOP_LEVEL_KIND = /^kind:[ \t]*["']?[A-Za-z]/m;

export function looksLikeKubernetesManifest(text: string): boolean {
  return TOP_LEVEL_API_VERSION.test(text) && TOP_LEVEL_KIND.test(text);
}

/** kustomize reads `kustomization.yaml`, `kustomization.yml` or `Kustomization` in a folder. */
export function isKustomizationPath(path: string): boolean {
  return /(^|\/)(kustomization\.ya?ml|Kustomization)$/.test(path);
}
