/**
 * Editor features of the effective-policy preview: code lenses above
 * policies and rules, and the hover on a rule (see `inline.ts`).
 */

import type { CodeLensProvider } from './codeLens';
import type { HoverProvider } from './hover';
import { previewHover, previewLens } from './previewInline';
import { policyTestLens } from './policyTestLens';

export const PREVIEW_CODE_LENSES: CodeLensProvider[] = [previewLens, policyTestLens];
export const PREVIEW_HOVER: HoverProvider[] = [previewHover];
