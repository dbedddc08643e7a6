/**
 * Command-line parsing for `meshlens`. Hand-written (no dependency): flags are
 * `--name value` or `--name=value`, repeated flags accumulate, `--` ends flags.
 * Boolean flags take an optional `=VALUE` (true/false/yes/no/1/0, anything
 * else is a usage error); after `normalizeBooleans` a boolean flag is present
 * exactly when it is on, so `--fix=no` and `--no-schema=false` mean off.
 */

export interface ParsedArgs {
  command: string | undefined;
  positionals: string[];
  flags: Map<string, string[]>;
}

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[], booleanFlags: ReadonlySet<string>): ParsedArgs {
  const flags = new Map<string, string[]>();
  const positionals: string[] = [];
  let command: string | undefined;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === '--') {
      positionals.push(...argv.slice(index + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      let value: string;
      if (eq !== -1) value = arg.slice(eq + 1);
      else if (booleanFlags.has(name)) value = 'true';
      else {
        if (index + 1 >= argv.length) throw new UsageError(`--${name} needs a value`);
        value = argv[++index];
      }
      const list = flags.get(name) ?? [];
      list.push(value);
      flags.set(name, list);
    } else if (arg === '-h') {
      flags.set('help', ['true']);
    } else if (command === undefined) {
      command = arg;
    } else {
      positionals.push(arg);
    }
  }
  return { command, positionals, flags };
}

export function flag(args: ParsedArgs, name: string): string | undefined {
  const values = args.flags.get(name);
  return values?.[values.length - 1];
}

export function flagList(args: ParsedArgs, name: string): string[] {
  return args.flags.get(name) ?? [];
}

export function checkKnownFlags(args: ParsedArgs, known: readonly string[]): void {
  for (const name of args.flags.keys()) {
    if (!known.includes(name)) throw new UsageError(`unknown option --${name}`);
  }
}

const TRUE_WORDS = new Set(['true', 'yes', '1']);
const FALSE_WORDS = new Set(['false', 'no', '0']);

/** Validates every boolean flag's value and drops the ones that are off. */
export function normalizeBooleans(args: ParsedArgs, booleanFlags: ReadonlySet<string>): void {
  for (const name of [...args.flags.keys()]) {
    if (!booleanFlags.has(name)) continue;
    const values = args.flags.get(name)!;
    let on = false;
    for (const value of values) {
      const word = value.toLowerCase();
      if (TRUE_WORDS.has(word)) on = true;
      else if (FALSE_WORDS.has(word)) on = false;
      else throw new UsageError(`--${name} takes true, false, yes, no, 1 or 0, not "${value}"`);
    }
    if (on) args.flags.set(name, ['true']);
    else args.flags.delete(name);
  }
}

/** The last value of a flag that must not be empty. */
export function nonEmptyFlag(args: ParsedArgs, name: string): string | undefined {
  for (const value of flagList(args, name)) {
    if (value.trim() === '') throw new UsageError(`--${name} needs a non-empty value`);
  }
  return flag(args, name);
}
