/**
 * The hover and completion providers of each area, in the order they are
 * asked. A hover provider returns the first answer; completion providers'
 * items are merged. Each area owns its own list in its own module.
 */

import type { CompletionProvider } from './completion';
import type { HoverProvider } from './hover';
import { HELM_VALUES_HOVER, HELM_VALUES_COMPLETION } from '../helm/features';
import { POLICY_HOVER, POLICY_COMPLETION } from '../policy/features';

export const HOVER_PROVIDERS: readonly HoverProvider[] = [...HELM_VALUES_HOVER, ...POLICY_HOVER];
export const COMPLETION_PROVIDERS: readonly CompletionProvider[] = [...HELM_VALUES_COMPLETION, ...POLICY_COMPLETION];
