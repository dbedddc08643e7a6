/**
 * The hover, completion and code-lens providers of each area, in the order they are
 * asked. A hover provider returns the first answer; completion providers'
 * items are merged. Each area owns its own list in its own module.
 */

import type { CodeLensProvider } from './codeLens';
import type { CompletionProvider } from './completion';
import type { HoverProvider } from './hover';
import { HELM_VALUES_HOVER, HELM_VALUES_COMPLETION } from './helmValues';
import { POLICY_HOVER, POLICY_COMPLETION } from './policyHover';
import { KERNEL_CODE_LENSES } from './kernelLens';
import { PREVIEW_CODE_LENSES, PREVIEW_HOVER } from './previewProviders';
import { GITOPS_CODE_LENSES } from './deployedByLens';

export const HOVER_PROVIDERS: readonly HoverProvider[] = [...HELM_VALUES_HOVER, ...POLICY_HOVER, ...PREVIEW_HOVER];
export const CODE_LENS_PROVIDERS: readonly CodeLensProvider[] = [...KERNEL_CODE_LENSES, ...PREVIEW_CODE_LENSES, ...GITOPS_CODE_LENSES];
export const COMPLETION_PROVIDERS: readonly CompletionProvider[] = [...HELM_VALUES_COMPLETION, ...POLICY_COMPLETION];
