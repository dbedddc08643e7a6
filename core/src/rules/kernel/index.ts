/** The kernel family of rules; `rules/index.ts` includes this list. */

import type { Rule } from '../types';

export const KERNEL_RULES: readonly Rule[] = [];
