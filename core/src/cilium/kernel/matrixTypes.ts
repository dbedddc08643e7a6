/**
 * The shape of `schemas/kernel-features.json`, the single source of kernel
 * facts. Rules and evaluators read these objects; no version number lives in
 * code. The `$comment` of the JSON file explains the semantics of each field.
 */

/** A Cilium minor-version range: `1.19`, `>=1.14 <1.18`, `<1.14`. */
export type CiliumRange = string;

export type BelowMinimum = 'fail' | 'fallback' | 'unknown';

/** A condition over the effective Helm values: the one language of `cilium/valuesCondition.ts`. */
export type { ValuesCondition, ValueTest as ValuesLeafCondition } from '../valuesCondition';
import type { ValuesCondition } from '../valuesCondition';

export interface ProbeRequirement {
  /** bpf() must be available (`syscall_config.have_bpf_syscall`). */
  syscall?: boolean;
  helpers?: { progType: string; helper: string }[];
  mapTypes?: string[];
  progTypes?: string[];
  /** `misc` flags that must be true (`have_large_insn_limit`). */
  misc?: string[];
  /** `system_config` entries that must be non-null (`CONFIG_HZ`). */
  systemConfig?: string[];
}

export interface ConfigRequirement {
  name: string;
  cilium?: CiliumRange;
  onMissing?: BelowMinimum;
  fallbackNote?: string;
}

export interface FeatureRequirement {
  cilium: CiliumRange;
  /** The agent's (code) minimum; absent when only CONFIG options matter. */
  minKernel?: string;
  /** The documentation's number where it differs from the code. */
  docsMinKernel?: string;
  /** Older stable series that received the needed change (`4.19.57`: any 4.19.x from .57). */
  stableBackports?: string[];
  config?: (string | ConfigRequirement)[];
  probe?: ProbeRequirement;
  /** true: a passing probe decides alone; false: the version is still consulted. */
  probeComplete?: boolean;
  belowMin: BelowMinimum;
  fallbackNote?: string;
  /** Older kernels may carry a backported module: below minKernel only a CONFIG fact decides. */
  moduleBackportable?: boolean;
  /** No kernel version is known for the feature. */
  kernelUnknown?: boolean;
  notes?: string;
}

export interface EnableRule {
  cilium: CiliumRange;
  /** auto: the agent enables it by itself when the kernel allows (a weak kernel is a silent fallback). */
  mode?: 'explicit' | 'auto';
  /** Overrides the requirement's belowMin for this way of enabling the feature. */
  belowMin?: BelowMinimum;
  fallbackNote?: string;
  all?: ValuesCondition[];
  any?: ValuesCondition[];
}

export interface FeatureDependency {
  feature: string;
  cilium?: CiliumRange;
  /** Outcome when the dependency is off or fails; defaults to the active belowMin. */
  onMissing?: BelowMinimum;
  fallbackNote?: string;
  /** The dependency does not apply when this holds. */
  unless?: ValuesCondition;
  /** The agent refuses to start when the values turn the feature on and leave this dependency off (any kernel). */
  configError?: boolean;
}

export interface KernelFeature {
  id: string;
  title: string;
  appliesTo: CiliumRange;
  /** Secondary automatic behaviour: show in hover/tables rather than as a warning. */
  minor?: boolean;
  enabledWhen: EnableRule[];
  requirements: FeatureRequirement[];
  dependsOn?: FeatureDependency[];
  notes?: string;
}

export interface BaseConfigRequirement {
  name: string;
  onMissing: 'fail' | 'unsupported';
}

export interface BaseRequirement {
  cilium: string;
  /** What the agent enforces at start-up. */
  minKernel: string;
  /** What the documentation asks for. */
  docsMinKernel: string;
  enforcement: 'version' | 'probe';
  distroEquivalents: { distro: string; release: string; kernel: string }[];
  config: BaseConfigRequirement[];
  probe?: ProbeRequirement;
  notes?: string;
}

export interface DistroBackport {
  distro: string;
  /** First kernel of the series with this BPF level (`4.18.0-372`). */
  fromKernel: string;
  release: string;
  /** Upstream kernel whose BPF features the distro kernel matches. */
  bpfLevel: string;
  notes?: string;
}

export interface KernelMatrix {
  ciliumRange: CiliumRange;
  backports: DistroBackport[];
  rhelKernelBuilds: Record<string, string>;
  base: BaseRequirement[];
  features: KernelFeature[];
}
