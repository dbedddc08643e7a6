/** Hover and completion for policies: selectors, labels, principals, entities, methods. */

import type { CompletionProvider } from '../features/completion';
import type { HoverProvider } from '../features/hover';

export const POLICY_HOVER: HoverProvider[] = [];
export const POLICY_COMPLETION: CompletionProvider[] = [];
