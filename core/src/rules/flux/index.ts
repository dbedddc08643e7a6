/** The flux family of rules; `rules/index.ts` includes this list. */

import type { Rule } from '../types';

export const FLUX_RULES: readonly Rule[] = [];
