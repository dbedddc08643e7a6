/**
 * Parsing and ordering of Linux kernel release strings (`uname -r`) as they
 * appear in NodeProfiles, settings and CLI flags.
 *
 * Invariants: nothing here throws; an unparseable string yields `undefined`.
 * The distro is recognised from the package suffix only (the version number
 * itself says nothing about the distro), and `distroBuild` keeps the numeric
 * package release (`372.9.1` of `4.18.0-372.9.1.el8`) so kernels of one
 * upstream version can still be ordered, which matters for RHEL backports.
 */

export type KernelDistro =
  | 'ubuntu'
  | 'debian'
  | 'rhel'
  | 'amazon'
  | 'suse'
  | 'cos'
  | 'flatcar'
  | 'talos'
  | 'bottlerocket'
  | 'generic';

export interface ParsedKernel {
  major: number;
  minor: number;
  patch: number;
  distro?: KernelDistro;
  /** Distro release when the suffix names it: `8.10` (el8_10), `2023` (amzn2023), `15.5` (SUSE 150500). */
  distroRelease?: string;
  /** Numeric package release after the upstream version: `[553]`, `[212, 873]`, `[91]`. */
  distroBuild?: number[];
  /** The string as given (trimmed). */
  raw: string;
}

const UBUNTU_FLAVOURS = new Set([
  'generic',
  'generic-64k',
  'generic-lpae',
  'lowlatency',
  'aws',
  'azure',
  'gcp',
  'gke',
  'gkeop',
  'kvm',
  'oracle',
  'ibm',
  'raspi',
  'nvidia',
  'intel-iotg',
  'realtime',
  'virtual',
]);

const DEBIAN_ARCHES = new Set(['amd64', 'arm64', 'i386', '686', '686-pae', 'armmp', 'armmp-lpae', 's390x', 'ppc64el', 'riscv64', 'mips64r2el']);

const SUSE_FLAVOURS = new Set(['default', 'azure', 'rt', 'preempt', 'kvmsmall', '64kb', 'ec2']);

/** Parses a `uname -r` string or a plain version (`5.10`, `v6.8`). */
export function parseKernelRelease(uname: string): ParsedKernel | undefined {
  if (typeof uname !== 'string') return undefined;
  const raw = uname.trim();
  const head = /^v?(\d{1,3})\.(\d{1,4})(?:\.(\d{1,6}))?/.exec(raw);
  if (!head) return undefined;
  const kernel: ParsedKernel = {
    major: Number(head[1]),
    minor: Number(head[2]),
    patch: head[3] === undefined ? 0 : Number(head[3]),
    raw,
  };
  const rest = raw.slice(head[0].length);
  // A fourth dotted component (`5.15.153.1-2.cm2`) is a downstream build, not part of the version.
  const suffix = rest.replace(/^\.\d+(?=[-.+]|$)/, '');
  Object.assign(kernel, recogniseDistro(suffix));
  if (kernel.distro === undefined) kernel.distro = 'generic';
  return kernel;
}

/** Orders kernels by upstream version, then by distro build when both have one. Strings that do not parse sort as 0.0.0. */
export function compareKernel(a: ParsedKernel | string, b: ParsedKernel | string): number {
  const left = toKernel(a);
  const right = toKernel(b);
  const byVersion = left.major - right.major || left.minor - right.minor || left.patch - right.patch;
  if (byVersion !== 0) return Math.sign(byVersion);
  if (!left.distroBuild || !right.distroBuild) return 0;
  const length = Math.max(left.distroBuild.length, right.distroBuild.length);
  for (let index = 0; index < length; index++) {
    const difference = (left.distroBuild[index] ?? 0) - (right.distroBuild[index] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}

/** `major.minor.patch`, plus the distro build when there is one (`4.18.0-553`). */
export function formatKernel(kernel: ParsedKernel): string {
  const version = `${kernel.major}.${kernel.minor}.${kernel.patch}`;
  return kernel.distroBuild && kernel.distroBuild.length > 0 ? `${version}-${kernel.distroBuild.join('.')}` : version;
}

/** Human label of a distro for messages (`RHEL 8.10`, `Ubuntu`). */
export function describeDistro(kernel: ParsedKernel): string | undefined {
  const names: Record<KernelDistro, string> = {
    ubuntu: 'Ubuntu',
    debian: 'Debian',
    rhel: 'RHEL',
    amazon: 'Amazon Linux',
    suse: 'SUSE',
    cos: 'Container-Optimized OS',
    flatcar: 'Flatcar',
    talos: 'Talos',
    bottlerocket: 'Bottlerocket',
    generic: '',
  };
  if (!kernel.distro || kernel.distro === 'generic') return undefined;
  return kernel.distroRelease ? `${names[kernel.distro]} ${kernel.distroRelease}` : names[kernel.distro];
}

function toKernel(value: ParsedKernel | string): ParsedKernel {
  if (typeof value !== 'string') return value;
  return parseKernelRelease(value) ?? { major: 0, minor: 0, patch: 0, raw: value };
}

function numbers(text: string): number[] {
  return text
    .split('.')
    .filter((part) => /^\d+$/.test(part))
    .map(Number);
}

function recogniseDistro(suffix: string): Partial<ParsedKernel> {
  // RHEL and rebuilds (CentOS, Rocky, Alma): 4.18.0-553.el8_10.x86_64, 5.14.0-427.13.1.el9_4.x86_64
  const rhel = /^-([\d.]+?)\.el(\d+)(?:_(\d+))?(?:\.|$)/.exec(suffix);
  if (rhel) {
    return { distro: 'rhel', distroRelease: rhel[3] ? `${rhel[2]}.${rhel[3]}` : rhel[2], distroBuild: numbers(rhel[1]!) };
  }
  // Amazon Linux: 5.10.223-212.873.amzn2.x86_64, 6.1.109-118.189.amzn2023.x86_64
  const amazon = /^-([\d.]+?)\.amzn(\d+)(?:\.|$)/.exec(suffix);
  if (amazon) return { distro: 'amazon', distroRelease: amazon[2], distroBuild: numbers(amazon[1]!) };
  // SUSE / openSUSE Leap: 5.14.21-150500.55.83-default (150500 = SLE 15 SP5)
  const suse = /^-(\d+(?:\.\d+)+)-([a-z0-9]+)$/.exec(suffix);
  if (suse && SUSE_FLAVOURS.has(suse[2]!)) {
    const build = numbers(suse[1]!);
    const codestream = /^(\d{2})(\d{2})00$/.exec(String(build[0]));
    return {
      distro: 'suse',
      distroBuild: build,
      ...(codestream ? { distroRelease: `${Number(codestream[1])}.${Number(codestream[2])}` } : {}),
    };
  }
  // Ubuntu: 5.15.0-91-generic, 5.4.0-1022-azure
  const ubuntu = /^-(\d+)-([a-z0-9-]+)$/.exec(suffix);
  if (ubuntu && UBUNTU_FLAVOURS.has(ubuntu[2]!)) return { distro: 'ubuntu', distroBuild: [Number(ubuntu[1])] };
  // Debian: 6.1.0-26-amd64, 6.1.0-26-cloud-amd64, 5.10.0-0.deb10.16-amd64
  const debian = /^-(\d+)(?:\.(?:bpo\.|deb(\d+)\.)?[\d.]*)?-(?:cloud-|rt-)?([a-z0-9-]+)$/.exec(suffix);
  if (debian && DEBIAN_ARCHES.has(debian[3]!)) return { distro: 'debian', distroBuild: [Number(debian[1])] };
  // Container-Optimized OS: 6.1.112+
  if (suffix === '+') return { distro: 'cos' };
  if (/-flatcar$/.test(suffix)) return { distro: 'flatcar' };
  if (/-talos$/.test(suffix)) return { distro: 'talos' };
  if (/bottlerocket/.test(suffix)) return { distro: 'bottlerocket' };
  const generic = /^-(\d+(?:\.\d+)*)/.exec(suffix);
  return generic ? { distro: 'generic', distroBuild: numbers(generic[1]!) } : { distro: 'generic' };
}
