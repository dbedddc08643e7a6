/** The cilium family of rules; `rules/index.ts` includes this list. */

import type { Rule } from '../types';

export const CILIUM_RULES: readonly Rule[] = [];
