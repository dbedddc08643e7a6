/** Paths of the repository and of the optional `../shared` folder beside it. */

import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Upstream data and corpus beside the repo (see the project brief); absent on a plain clone. */
export const sharedRoot = resolve(repoRoot, '..', 'shared');
export const hasShared = existsSync(join(sharedRoot, 'corpus')) && existsSync(join(sharedRoot, 'upstream'));
export const SHARED_MISSING = `skipped: ../shared (upstream data and corpus) is not present beside the repository at ${'..'}/shared`;
