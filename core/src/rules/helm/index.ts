/** The helm family of rules; `rules/index.ts` includes this list. */

import type { Rule } from '../types';

export const HELM_RULES: readonly Rule[] = [];
