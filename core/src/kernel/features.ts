/** Code lenses of the kernel-feature matrix (on Cilium HelmReleases). */

import type { CodeLensProvider } from '../features/codeLens';

export const KERNEL_CODE_LENSES: CodeLensProvider[] = [];
