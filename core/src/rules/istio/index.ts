/** The istio family of rules; `rules/index.ts` includes this list. */

import type { Rule } from '../types';

export const ISTIO_RULES: readonly Rule[] = [];
