/** The kernel family of rules; `rules/index.ts` includes this list. */

import type { Rule } from '../types';
import { baseRequirement } from './baseRequirement';
import { featureFails } from './featureFails';
import { featureFallsBack } from './featureFallsBack';
import { nodeProfile } from './nodeProfile';

export const KERNEL_RULES: readonly Rule[] = [baseRequirement, featureFails, featureFallsBack, nodeProfile];
