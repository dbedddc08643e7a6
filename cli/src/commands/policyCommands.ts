/** `meshlens effective …` and `meshlens simulate …`: the effective-policy model from the CLI. */

import type { ExtraCommand } from '../commands';

export const POLICY_COMMANDS: ExtraCommand[] = [];
