/**
 * Subcommands beyond `check` and `rules` (kernel matrix, effective policy,
 * request simulation). Each area adds its command here.
 */

import type { ExtraCommand } from './cliContext';
import { KERNEL_COMMANDS } from './commands/kernelCommands';
import { POLICY_COMMANDS } from './commands/policyCommands';
import { TEST_COMMAND } from './commands/testCommand';
import { DIFF_COMMANDS } from './commands/diffCommands';
import { GITOPS_COMMANDS } from './commands/gitopsCommands';
import { REPLAY_COMMAND } from './commands/replayCommand';
import { MAP_COMMAND } from './commands/mapCommand';

export type { ExtraCommand };

export const EXTRA_COMMANDS: ExtraCommand[] = [...KERNEL_COMMANDS, ...POLICY_COMMANDS, ...DIFF_COMMANDS, ...GITOPS_COMMANDS, TEST_COMMAND, REPLAY_COMMAND, MAP_COMMAND];
