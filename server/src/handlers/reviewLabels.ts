/** How file paths read in a review (the compare and upgrade views): workspace-relative, so the client's links open them. */

import type { Review } from '../../../core/src/index';

/** A copy of the review with every `file` field passed through `display` (workspace-relative paths, so links open). */
export function relabelFiles(review: Review, display: (file: string) => string): Review {
  return JSON.parse(JSON.stringify(review), (key, value: unknown) => (key === 'file' && typeof value === 'string' ? display(value) : value)) as Review;
}

/** `file` (a key, `/`-separated on every platform) relative to the folder `root`; a file outside it keeps its key. */
export function workspaceRelative(root: string, file: string): string {
  const prefix = root.endsWith('/') ? root : `${root}/`;
  return file.startsWith(prefix) ? file.slice(prefix.length) : file;
}
