/**
 * Repository-relative POSIX paths for the build engine.
 *
 * Invariant: a normalised path has no `.` segments, no empty segments, no
 * leading `/` and no `..` (a path that would climb above the repository root
 * is refused with `undefined`, never clamped), so the engine cannot read
 * outside the repository.
 */

/** Joins `base` and `relative` and normalises; undefined when the result leaves the root or is absolute. */
export function joinPath(base: string, relative: string): string | undefined {
  if (relative.startsWith('/')) return undefined;
  const segments = base === '' ? [] : base.split('/');
  for (const segment of relative.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (segments.length === 0) return undefined;
      segments.pop();
      continue;
    }
    segments.push(segment);
  }
  return segments.join('/');
}

export function dirname(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

export function basename(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? path : path.slice(slash + 1);
}

/** True when `path` is `dir` or below it. */
export function isWithin(path: string, dir: string): boolean {
  return dir === '' || path === dir || path.startsWith(`${dir}/`);
}

/**
 * kustomize treats entries with a URL scheme, a git host prefix or a `?ref=`
 * query as remote bases; they cannot be read offline.
 */
export function isRemoteReference(entry: string): boolean {
  return (
    /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(entry) ||
    entry.startsWith('git@') ||
    /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(entry) ||
    /[?&](ref|version|timeout|submodules)=/.test(entry) ||
    /\.git(\/\/|$)/.test(entry)
  );
}

/** Kustomization file names in the order kustomize looks for them. */
export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
