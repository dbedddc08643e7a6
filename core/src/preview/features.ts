/**
 * Editor features of the effective-policy preview: code lenses above
 * policies and rules, and the hover on a rule (see `inline.ts`).
 */

import type { CodeLensProvider } from '../features/codeLens';
import type { HoverProvider } from '../features/hover';
import { previewHover, previewLens } from './inline';
import { policyTestLens } from './policyTestLens';

export const PREVIEW_CODE_LENSES: CodeLensProvider[] = [previewLens, policyTestLens];
export const PREVIEW_HOVER: HoverProvider[] = [previewHover];
