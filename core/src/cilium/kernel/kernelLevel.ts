/**
 * The BPF level of a kernel: its upstream version, or, for distro kernels
 * whose number understates their backports (RHEL 8's 4.18), the upstream
 * version the matrix's `backports` table equates it with.
 *
 * Invariants: pure lookups over the matrix data; no distro or version is
 * named in code.
 */

import { compareKernel, describeDistro, parseKernelRelease, type ParsedKernel } from './kernelVersion';
import type { DistroBackport, KernelMatrix } from './matrixTypes';

export interface KernelLevel {
  /** The kernel to compare against upstream minimums. */
  level: ParsedKernel;
  /** The backport entry that raised it, if any. */
  backport?: DistroBackport;
}

export function effectiveKernelLevel(kernel: ParsedKernel, matrix: KernelMatrix): KernelLevel {
  let best: { entry: DistroBackport; from: ParsedKernel } | undefined;
  for (const entry of matrix.backports) {
    if (entry.distro !== kernel.distro) continue;
    const from = parseKernelRelease(entry.fromKernel);
    if (!from || from.major !== kernel.major || from.minor !== kernel.minor) continue;
    if (compareKernel(kernel, from) < 0) continue;
    if (!best || compareKernel(from, best.from) > 0) best = { entry, from };
  }
  if (!best) return { level: kernel };
  const level = parseKernelRelease(best.entry.bpfLevel);
  return level ? { level, backport: best.entry } : { level: kernel };
}

/** Whether `kernel` meets `minimum`, directly or through a listed stable backport (`4.19.57`). */
export function meetsMinimum(kernel: ParsedKernel, minimum: string, stableBackports: string[] = []): boolean {
  const required = parseKernelRelease(minimum);
  if (!required) return false;
  if (compareUpstream(kernel, required) >= 0) return true;
  return stableBackports.some((backport) => {
    const series = parseKernelRelease(backport);
    return series !== undefined && series.major === kernel.major && series.minor === kernel.minor && kernel.patch >= series.patch;
  });
}

/** `4.18.0-553.el8_10.x86_64 (RHEL 8.10, BPF level of 5.10)`. */
export function describeKernel(kernel: ParsedKernel, matrix: KernelMatrix): string {
  const notes: string[] = [];
  const distro = describeDistro(kernel.distro === 'rhel' ? { ...kernel, distroRelease: rhelRelease(kernel, matrix) ?? kernel.distroRelease } : kernel);
  if (distro) notes.push(distro);
  const { backport } = effectiveKernelLevel(kernel, matrix);
  if (backport) notes.push(`BPF level of ${backport.bpfLevel}`);
  return notes.length > 0 ? `${kernel.raw} (${notes.join(', ')})` : kernel.raw;
}

/**
 * The RHEL minor release of a kernel whose suffix only says `el8`, from the matrix's build table
 * (`4.18.0-372.9.1.el8` → `8.6`). Undefined when the suffix already names it or nothing matches.
 */
export function rhelRelease(kernel: ParsedKernel, matrix: KernelMatrix): string | undefined {
  if (kernel.distro !== 'rhel' || !kernel.distroRelease || kernel.distroRelease.includes('.')) return undefined;
  let best: { release: string; from: ParsedKernel } | undefined;
  for (const [release, build] of Object.entries(matrix.rhelKernelBuilds)) {
    if (!release.startsWith(`${kernel.distroRelease}.`)) continue;
    const from = parseKernelRelease(build);
    if (!from || from.major !== kernel.major || from.minor !== kernel.minor || compareKernel(kernel, from) < 0) continue;
    if (!best || compareKernel(from, best.from) > 0) best = { release, from };
  }
  return best?.release;
}

function compareUpstream(a: ParsedKernel, b: ParsedKernel): number {
  return Math.sign(a.major - b.major || a.minor - b.minor || a.patch - b.patch);
}
