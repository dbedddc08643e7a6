/** `meshlens kernel …`: the kernel-feature matrix for a Cilium version and kernel. */

import type { ExtraCommand } from '../commands';

export const KERNEL_COMMANDS: ExtraCommand[] = [];
