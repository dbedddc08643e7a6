/**
 * Subcommands beyond `check` and `rules` (kernel matrix, effective policy,
 * request simulation). Each area adds its command here.
 */

import type { ParsedArgs } from './args';
import type { CliIo } from './main';

export interface ExtraCommand {
  name: string;
  usage: string;
  summary: string;
  run(args: ParsedArgs, io: CliIo): Promise<number> | number;
}

export const EXTRA_COMMANDS: ExtraCommand[] = [];
