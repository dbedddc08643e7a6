/**
 * Reads the JSON that `bpftool -j feature probe` prints into plain facts:
 * kernel CONFIG values, program and map types, helpers per program type and
 * the misc probes.
 *
 * Invariants: never throws. Bad JSON, or JSON that is not a probe object,
 * yields `{ error, offset? }`. Sections that are absent stay empty, so a
 * consumer can tell "not probed" (no entry) from "probed and missing"
 * (`false`, or a helper list without the name).
 *
 * bpftool reports a CONFIG option as "y"/"m", a number (CONFIG_HZ) or null.
 * null means "not set" when the kernel config was readable and "unknown"
 * when it was not; bpftool gives every option null in the latter case, so a
 * probe whose options are all null is treated as having no config facts.
 */

export type KernelConfigValue = 'y' | 'm' | 'n';

export interface ProbeFacts {
  /** CONFIG_* options bpftool reported; empty when the kernel config was unreadable. */
  kernelConfig: Record<string, KernelConfigValue>;
  /** Whether the probe could read the kernel config at all. */
  kernelConfigReadable: boolean;
  /** Numeric system settings (`bpf_jit_enable`, `unprivileged_bpf_disabled`, `CONFIG_HZ`, ...). */
  systemValues: Record<string, number>;
  /** `syscall_config.have_bpf_syscall`; undefined when the section is missing. */
  haveBpfSyscall?: boolean;
  /** Program type name (`sched_cls`) → available. */
  programTypes: Record<string, boolean>;
  /** Map type name (`lru_hash`) → available. */
  mapTypes: Record<string, boolean>;
  /** Program type name → helpers available to it. */
  helpers: Record<string, string[]>;
  /** Misc probes keyed as printed (`have_large_insn_limit`). */
  misc: Record<string, boolean>;
}

export interface ProbeParseError {
  error: string;
  /** Character offset of a JSON syntax error, when the parser reports one. */
  offset?: number;
}

export function isProbeParseError(value: ProbeFacts | ProbeParseError): value is ProbeParseError {
  return typeof (value as ProbeParseError).error === 'string';
}

export function parseBpftoolProbe(json: string): ProbeFacts | ProbeParseError {
  if (typeof json !== 'string') return { error: 'probe content is not text' };
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch (caught) {
    const message = caught instanceof Error ? caught.message : String(caught);
    const position = /position (\d+)/.exec(message);
    return position
      ? { error: `not valid JSON: ${message}`, offset: Number(position[1]) }
      : { error: `not valid JSON: ${message}` };
  }
  if (!isRecord(document)) return { error: 'expected a JSON object as printed by `bpftool -j feature probe`' };
  const knownSections = ['system_config', 'syscall_config', 'program_types', 'map_types', 'helpers', 'misc'];
  if (!knownSections.some((section) => section in document)) {
    return { error: 'no bpftool probe sections found (system_config, program_types, map_types, helpers, misc)' };
  }

  const facts: ProbeFacts = {
    kernelConfig: {},
    kernelConfigReadable: false,
    systemValues: {},
    programTypes: {},
    mapTypes: {},
    helpers: {},
    misc: {},
  };

  readSystemConfig(document['system_config'], facts);

  const syscall = document['syscall_config'];
  if (isRecord(syscall) && typeof syscall['have_bpf_syscall'] === 'boolean') facts.haveBpfSyscall = syscall['have_bpf_syscall'];

  readFlags(document['program_types'], /^have_(.+)_prog_type$/, facts.programTypes);
  readFlags(document['map_types'], /^have_(.+)_map_type$/, facts.mapTypes);

  const helpers = document['helpers'];
  if (isRecord(helpers)) {
    for (const [key, list] of Object.entries(helpers)) {
      const match = /^(.+)_available_helpers$/.exec(key);
      if (!match || !Array.isArray(list)) continue;
      facts.helpers[match[1]!] = list.filter((name): name is string => typeof name === 'string');
    }
  }

  const misc = document['misc'];
  if (isRecord(misc)) {
    for (const [key, value] of Object.entries(misc)) if (typeof value === 'boolean') facts.misc[key] = value;
  }
  return facts;
}

function readSystemConfig(section: unknown, facts: ProbeFacts): void {
  if (!isRecord(section)) return;
  const configEntries = Object.entries(section).filter(([key]) => key.startsWith('CONFIG_'));
  facts.kernelConfigReadable = configEntries.some(([, value]) => value !== null && value !== undefined);
  for (const [key, value] of Object.entries(section)) {
    if (typeof value === 'number') facts.systemValues[key] = value;
  }
  if (!facts.kernelConfigReadable) return;
  for (const [key, value] of configEntries) {
    if (value === 'y' || value === 'm') facts.kernelConfig[key] = value;
    else if (value === null || value === 'n') facts.kernelConfig[key] = 'n';
    else if (typeof value === 'number') facts.kernelConfig[key] = 'y';
  }
}

function readFlags(section: unknown, pattern: RegExp, into: Record<string, boolean>): void {
  if (!isRecord(section)) return;
  for (const [key, value] of Object.entries(section)) {
    const match = pattern.exec(key);
    if (match && typeof value === 'boolean') into[match[1]!] = value;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
