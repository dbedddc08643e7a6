// Kernel release parsing: real `uname -r` strings from the major distros, ordering and robustness.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareKernel, describeDistro, formatKernel, parseKernelRelease } from '../../../core/src/cilium/kernel/kernelVersion';

const releases: { uname: string; version: [number, number, number]; distro: string; distroRelease?: string; build?: number[] }[] = [
  { uname: '5.15.0-91-generic', version: [5, 15, 0], distro: 'ubuntu', build: [91] },
  { uname: '5.4.0-1022-azure', version: [5, 4, 0], distro: 'ubuntu', build: [1022] },
  { uname: '6.8.0-1015-aws', version: [6, 8, 0], distro: 'ubuntu', build: [1015] },
  { uname: '6.1.0-26-amd64', version: [6, 1, 0], distro: 'debian', build: [26] },
  { uname: '6.1.0-26-cloud-arm64', version: [6, 1, 0], distro: 'debian', build: [26] },
  { uname: '5.10.0-0.deb10.16-amd64', version: [5, 10, 0], distro: 'debian', build: [0] },
  { uname: '4.18.0-553.el8_10.x86_64', version: [4, 18, 0], distro: 'rhel', distroRelease: '8.10', build: [553] },
  { uname: '4.18.0-372.9.1.el8.x86_64', version: [4, 18, 0], distro: 'rhel', distroRelease: '8', build: [372, 9, 1] },
  { uname: '5.14.0-427.13.1.el9_4.x86_64', version: [5, 14, 0], distro: 'rhel', distroRelease: '9.4', build: [427, 13, 1] },
  { uname: '5.10.223-212.873.amzn2.x86_64', version: [5, 10, 223], distro: 'amazon', distroRelease: '2', build: [212, 873] },
  { uname: '6.1.109-118.189.amzn2023.aarch64', version: [6, 1, 109], distro: 'amazon', distroRelease: '2023', build: [118, 189] },
  { uname: '5.14.21-150500.55.83-default', version: [5, 14, 21], distro: 'suse', distroRelease: '15.5', build: [150500, 55, 83] },
  { uname: '6.1.112+', version: [6, 1, 112], distro: 'cos' },
  { uname: '6.6.60-talos', version: [6, 6, 60], distro: 'talos' },
  { uname: '6.6.54-flatcar', version: [6, 6, 54], distro: 'flatcar' },
  { uname: '5.10', version: [5, 10, 0], distro: 'generic' },
  { uname: 'v6.8', version: [6, 8, 0], distro: 'generic' },
  { uname: '  5.4.17  ', version: [5, 4, 17], distro: 'generic' },
];

describe('parseKernelRelease', () => {
  it.each(releases)('$uname', ({ uname, version, distro, distroRelease, build }) => {
    const kernel = parseKernelRelease(uname);
    expect(kernel).toBeDefined();
    expect([kernel!.major, kernel!.minor, kernel!.patch]).toEqual(version);
    expect(kernel!.distro).toBe(distro);
    expect(kernel!.distroRelease).toBe(distroRelease);
    if (build) expect(kernel!.distroBuild).toEqual(build);
    expect(kernel!.raw).toBe(uname.trim());
  });

  it.each(['', 'linux', 'latest', '5', 'x5.10', '.5.10', '-5.10'])('rejects %j', (text) => {
    expect(parseKernelRelease(text)).toBeUndefined();
  });

  it('never throws and keeps its own fields consistent on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const kernel = parseKernelRelease(text);
        if (kernel) {
          expect(Number.isInteger(kernel.major) && Number.isInteger(kernel.minor) && Number.isInteger(kernel.patch)).toBe(true);
          expect(kernel.raw).toBe(text.trim());
        }
      }),
    );
  });
});

describe('compareKernel', () => {
  it.each([
    ['5.10', '5.10.0', 0],
    ['5.10.1', '5.10', 1],
    ['5.9.999', '5.10', -1],
    ['4.19.57', '4.19.56', 1],
    ['6.1.0-26-amd64', '5.15.0-91-generic', 1],
    ['4.18.0-553.el8_10.x86_64', '4.18.0-372.9.1.el8.x86_64', 1],
    ['4.18.0-372.9.1.el8.x86_64', '4.18.0-372', 1],
    ['4.18.0-372.el8.x86_64', '4.18.0-372', 0],
    ['4.18.0-348.el8.x86_64', '4.18.0-372', -1],
    ['4.18.0-553.el8_10.x86_64', '4.19', -1],
  ])('%s vs %s → %i', (a, b, expected) => {
    expect(compareKernel(a, b)).toBe(expected);
    expect(compareKernel(b, a)).toBe(expected === 0 ? 0 : -expected);
  });

  it('is antisymmetric and transitive on generated versions', () => {
    const version = fc.tuple(fc.integer({ min: 2, max: 7 }), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 300 })).map(([a, b, c]) => `${a}.${b}.${c}`);
    fc.assert(
      fc.property(version, version, version, (a, b, c) => {
        // `+ 0` folds -0 into 0: equal versions compare as 0 both ways.
        expect(Math.sign(compareKernel(a, b)) + 0).toBe(-Math.sign(compareKernel(b, a)) + 0);
        if (compareKernel(a, b) <= 0 && compareKernel(b, c) <= 0) expect(compareKernel(a, c)).toBeLessThanOrEqual(0);
      }),
    );
  });
});

describe('formatKernel / describeDistro', () => {
  it('prints the upstream version and the distro build', () => {
    expect(formatKernel(parseKernelRelease('4.18.0-553.el8_10.x86_64')!)).toBe('4.18.0-553');
    expect(formatKernel(parseKernelRelease('v6.8')!)).toBe('6.8.0');
    expect(describeDistro(parseKernelRelease('4.18.0-553.el8_10.x86_64')!)).toBe('RHEL 8.10');
    expect(describeDistro(parseKernelRelease('5.15.0-91-generic')!)).toBe('Ubuntu');
    expect(describeDistro(parseKernelRelease('5.10')!)).toBeUndefined();
  });
});
