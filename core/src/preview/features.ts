/** Code lenses of the effective-policy preview (above policies and rules). */

import type { CodeLensProvider } from '../features/codeLens';

export const PREVIEW_CODE_LENSES: CodeLensProvider[] = [];
