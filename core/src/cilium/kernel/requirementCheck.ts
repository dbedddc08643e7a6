/**
 * Judges one feature requirement of the matrix against what is known about
 * a node pool: its kernel release, an optional kernel config and an
 * optional bpftool probe.
 *
 * Order of authority: a CONFIG option known to be unset always counts; a
 * probe that lacks a needed helper/map/program type decides against the
 * version number; a passing probe decides alone when the requirement says
 * the agent checks exactly those facts (`probeComplete`); otherwise the
 * kernel version (raised by distro backports) decides. With nothing known
 * the verdict is `unknown`. Never throws.
 */

import type { ProbeFacts } from './bpftoolProbe';
import { ciliumInRange } from './ciliumRange';
import { describeKernel, effectiveKernelLevel, meetsMinimum } from './kernelLevel';
import type { ParsedKernel } from './kernelVersion';
import type { BelowMinimum, ConfigRequirement, FeatureRequirement, KernelMatrix, ProbeRequirement } from './matrixTypes';

export type VerdictStatus = 'ok' | 'fails' | 'falls-back' | 'unknown';
export type DecidedBy = 'probe' | 'config' | 'version' | 'dependency';

export interface NodePoolFacts {
  name: string;
  kernel?: ParsedKernel;
  kernelConfig?: Record<string, 'y' | 'm' | 'n'>;
  probe?: ProbeFacts;
}

export interface RequirementVerdict {
  status: VerdictStatus;
  decidedBy: DecidedBy;
  /** What the feature needs, for messages (`kernel ≥ 5.10, sched_cls helpers bpf_redirect_neigh, bpf_redirect_peer`). */
  requirement: string;
  /** What the pool has, for messages (`5.4.0-91-generic (Ubuntu)`, `CONFIG_NETKIT=n`). */
  has: string;
}

export interface RequirementContext {
  ciliumMinor: string;
  matrix: KernelMatrix;
  /** Outcome below the minimum; overrides the requirement's own (e.g. netkit `auto`). */
  belowMin?: BelowMinimum;
}

const SEVERITY_ORDER: VerdictStatus[] = ['ok', 'unknown', 'falls-back', 'fails'];

export function worseStatus(a: VerdictStatus, b: VerdictStatus): VerdictStatus {
  return SEVERITY_ORDER.indexOf(a) >= SEVERITY_ORDER.indexOf(b) ? a : b;
}

export function statusBelowMinimum(belowMin: BelowMinimum): VerdictStatus {
  return belowMin === 'fail' ? 'fails' : belowMin === 'fallback' ? 'falls-back' : 'unknown';
}

export function describeRequirement(requirement: FeatureRequirement | undefined, ciliumMinor: string): string {
  if (!requirement) return `nothing beyond the Cilium ${ciliumMinor} base kernel`;
  const parts: string[] = [];
  if (requirement.kernelUnknown) parts.push('a kernel version no source names');
  if (requirement.minKernel) {
    let text = `kernel ≥ ${requirement.minKernel}`;
    if (requirement.stableBackports?.length) text += ` (or ${requirement.stableBackports.map((kernel) => `${kernel}+`).join(', ')})`;
    if (requirement.docsMinKernel) text += ` (docs: ${requirement.docsMinKernel})`;
    parts.push(text);
  }
  const config = activeConfig(requirement, ciliumMinor).map((entry) => entry.name);
  if (config.length > 0) parts.push(config.join(', '));
  if (requirement.probe) parts.push(...describeProbeRequirement(requirement.probe));
  return parts.length > 0 ? parts.join('; ') : `nothing beyond the Cilium ${ciliumMinor} base kernel`;
}

export function describeProbeRequirement(probe: ProbeRequirement): string[] {
  const parts: string[] = [];
  const byProgType = new Map<string, string[]>();
  for (const { progType, helper } of probe.helpers ?? []) byProgType.set(progType, [...(byProgType.get(progType) ?? []), helper]);
  for (const [progType, helpers] of byProgType) parts.push(`${progType} helpers ${helpers.join(', ')}`);
  if (probe.mapTypes?.length) parts.push(`map types ${probe.mapTypes.join(', ')}`);
  if (probe.progTypes?.length) parts.push(`program types ${probe.progTypes.join(', ')}`);
  if (probe.misc?.length) parts.push(probe.misc.join(', '));
  if (probe.systemConfig?.length) parts.push(`${probe.systemConfig.join(', ')} known`);
  return parts;
}

export function activeConfig(requirement: FeatureRequirement, ciliumMinor: string): ConfigRequirement[] {
  return (requirement.config ?? [])
    .map((entry) => (typeof entry === 'string' ? { name: entry } : entry))
    .filter((entry) => entry.cilium === undefined || ciliumInRange(ciliumMinor, entry.cilium));
}

/** The value of a CONFIG option on the pool: from its kernelConfig first, then from the probe. */
export function poolConfigValue(pool: NodePoolFacts, name: string): 'y' | 'm' | 'n' | undefined {
  const declared = pool.kernelConfig?.[name];
  if (declared === 'y' || declared === 'm' || declared === 'n') return declared;
  if (pool.probe?.kernelConfigReadable) return pool.probe.kernelConfig[name];
  return undefined;
}

export interface ProbeCheck {
  missing: string[];
  unprobed: string[];
}

export function checkProbe(requirement: ProbeRequirement, probe: ProbeFacts): ProbeCheck {
  const result: ProbeCheck = { missing: [], unprobed: [] };
  const record = (label: string, present: boolean | undefined) => {
    if (present === true) return;
    (present === false ? result.missing : result.unprobed).push(label);
  };
  if (requirement.syscall) record('the bpf() system call', probe.haveBpfSyscall);
  for (const { progType, helper } of requirement.helpers ?? []) {
    const list = probe.helpers[progType];
    const present = list ? list.includes(helper) : probe.programTypes[progType] === false ? false : undefined;
    record(`${helper} (${progType})`, present);
  }
  for (const mapType of requirement.mapTypes ?? []) record(`map type ${mapType}`, probe.mapTypes[mapType]);
  for (const progType of requirement.progTypes ?? []) record(`program type ${progType}`, probe.programTypes[progType]);
  for (const flag of requirement.misc ?? []) record(flag, probe.misc[flag]);
  for (const name of requirement.systemConfig ?? []) {
    const known = probe.systemValues[name] !== undefined || probe.kernelConfig[name] === 'y' || probe.kernelConfig[name] === 'm';
    record(name, known ? true : probe.kernelConfigReadable ? false : undefined);
  }
  return result;
}

interface Check {
  status: VerdictStatus;
  decidedBy: DecidedBy;
  has: string;
}

/** Judges `requirement` (undefined = covered by the base) for one pool. */
export function checkRequirement(requirement: FeatureRequirement | undefined, pool: NodePoolFacts, context: RequirementContext): RequirementVerdict {
  const requirementText = describeRequirement(requirement, context.ciliumMinor);
  const kernelText = pool.kernel ? describeKernel(pool.kernel, context.matrix) : 'no known kernel';
  if (!requirement) return { status: 'ok', decidedBy: 'version', requirement: requirementText, has: kernelText };

  const belowStatus = statusBelowMinimum(context.belowMin ?? requirement.belowMin);
  const checks: Check[] = [];

  // Probe: a missing fact decides against any version number.
  let probeDecided = false;
  if (pool.probe && requirement.probe) {
    const probe = checkProbe(requirement.probe, pool.probe);
    if (probe.missing.length > 0) {
      checks.push({ status: belowStatus, decidedBy: 'probe', has: `bpftool probe lacks ${probe.missing.join(', ')}` });
      probeDecided = true;
    } else if (probe.unprobed.length === 0 && requirement.probeComplete) {
      checks.push({ status: 'ok', decidedBy: 'probe', has: 'bpftool probe shows everything needed' });
      probeDecided = true;
    }
  }

  // CONFIG options: an option known to be unset counts whatever the version says.
  const configEntries = activeConfig(requirement, context.ciliumMinor);
  const configChecks: Check[] = [];
  let allConfigKnownPresent = configEntries.length > 0;
  for (const entry of configEntries) {
    const value = poolConfigValue(pool, entry.name);
    if (value === 'n') {
      const status = entry.onMissing ? statusBelowMinimum(entry.onMissing) : belowStatus;
      configChecks.push({ status, decidedBy: 'config', has: `${entry.name} is not set` });
    }
    if (value !== 'y' && value !== 'm') allConfigKnownPresent = false;
  }

  if (!probeDecided) {
    if (requirement.kernelUnknown) {
      checks.push({ status: 'unknown', decidedBy: 'version', has: kernelText });
    } else if (requirement.minKernel) {
      if (requirement.moduleBackportable && allConfigKnownPresent) {
        checks.push({ status: 'ok', decidedBy: 'config', has: configEntries.map((entry) => `${entry.name}=${poolConfigValue(pool, entry.name)}`).join(', ') });
      } else if (pool.kernel) {
        // Distro BPF backport levels say nothing about kernel modules, so module features use the plain version.
        const level = requirement.moduleBackportable ? pool.kernel : effectiveKernelLevel(pool.kernel, context.matrix).level;
        if (meetsMinimum(level, requirement.minKernel, requirement.stableBackports)) {
          checks.push({ status: 'ok', decidedBy: 'version', has: kernelText });
        } else if (requirement.moduleBackportable) {
          checks.push({ status: 'unknown', decidedBy: 'version', has: `${kernelText}; a backported module would need a kernelConfig entry to show` });
        } else {
          checks.push({ status: belowStatus, decidedBy: 'version', has: kernelText });
        }
      }
    } else if (allConfigKnownPresent) {
      checks.push({ status: 'ok', decidedBy: 'config', has: configEntries.map((entry) => `${entry.name}=${poolConfigValue(pool, entry.name)}`).join(', ') });
    }
  }
  checks.push(...configChecks);

  if (checks.length === 0) return { status: 'unknown', decidedBy: 'version', requirement: requirementText, has: describeUnknown(pool, kernelText) };
  let worst = checks[0]!;
  for (const check of checks) if (worseStatus(check.status, worst.status) !== worst.status) worst = check;
  return { status: worst.status, decidedBy: worst.decidedBy, requirement: requirementText, has: worst.has };
}

function describeUnknown(pool: NodePoolFacts, kernelText: string): string {
  return pool.kernel ? `${kernelText}; its kernel config is not known` : kernelText;
}
