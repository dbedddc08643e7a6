/** Hover and completion for HelmRelease `spec.values` (Cilium chart values and any chart at hand). */

import type { CompletionProvider } from '../features/completion';
import type { HoverProvider } from '../features/hover';

export const HELM_VALUES_HOVER: HoverProvider[] = [];
export const HELM_VALUES_COMPLETION: CompletionProvider[] = [];
