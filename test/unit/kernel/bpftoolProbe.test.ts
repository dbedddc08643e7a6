// bpftool probe parsing over small fixtures in the real `bpftool -j feature probe` layout.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isProbeParseError, parseBpftoolProbe, type ProbeFacts } from '../../../core/src/cilium/kernel/bpftoolProbe';

const fixtureDir = path.resolve(__dirname, '../../fixtures/kernel');
const readFixture = (name: string) => readFileSync(path.join(fixtureDir, name), 'utf8');

function parseFixture(name: string): ProbeFacts {
  const result = parseBpftoolProbe(readFixture(name));
  if (isProbeParseError(result)) throw new Error(`fixture ${name} did not parse: ${result.error}`);
  return result;
}

describe('parseBpftoolProbe', () => {
  it('reads helpers, program and map types, misc flags and CONFIG values', () => {
    const facts = parseFixture('probe-rhel8-backports.json');
    expect(facts.haveBpfSyscall).toBe(true);
    expect(facts.programTypes['sched_cls']).toBe(true);
    expect(facts.programTypes['cgroup_sock_addr']).toBe(true);
    expect(facts.mapTypes['lru_hash']).toBe(true);
    expect(facts.helpers['sched_cls']).toContain('bpf_skb_set_tstamp');
    expect(facts.helpers['cgroup_sock_addr']).toContain('bpf_get_netns_cookie');
    expect(facts.misc['have_large_insn_limit']).toBe(true);
    expect(facts.kernelConfigReadable).toBe(true);
    expect(facts.kernelConfig['CONFIG_BPF_SYSCALL']).toBe('y');
    expect(facts.kernelConfig['CONFIG_NET_CLS_BPF']).toBe('m');
    expect(facts.kernelConfig['CONFIG_BPFILTER']).toBe('n');
    expect(facts.systemValues['CONFIG_HZ']).toBe(250);
    expect(facts.systemValues['bpf_jit_enable']).toBe(1);
  });

  it('treats an all-null system_config as an unreadable kernel config, not as unset options', () => {
    const facts = parseFixture('probe-config-unreadable.json');
    expect(facts.kernelConfigReadable).toBe(false);
    expect(facts.kernelConfig).toEqual({});
    expect(facts.helpers['sched_cls']).toContain('bpf_redirect_peer');
  });

  it('keeps false flags and missing helpers apart from sections that were not probed', () => {
    const facts = parseFixture('probe-4.19-old.json');
    expect(facts.misc['have_large_insn_limit']).toBe(false);
    expect(facts.helpers['sched_cls']).not.toContain('bpf_redirect_neigh');
    expect(facts.kernelConfig['CONFIG_BPF_JIT']).toBe('n');
    expect(facts.helpers['lwt_in']).toBeUndefined();
  });

  it('reports JSON syntax errors with an offset', () => {
    const result = parseBpftoolProbe(readFixture('probe-broken.json'));
    expect(isProbeParseError(result)).toBe(true);
    if (!isProbeParseError(result)) return;
    expect(result.error).toMatch(/not valid JSON/);
    expect(result.offset).toBeGreaterThan(0);
    expect(result.offset).toBeLessThan(readFixture('probe-broken.json').length);
  });

  it.each([
    ['[]', /JSON object/],
    ['"text"', /JSON object/],
    ['null', /JSON object/],
    ['{"name": "not a probe"}', /no bpftool probe sections/],
  ])('rejects %s', (json, message) => {
    const result = parseBpftoolProbe(json);
    expect(isProbeParseError(result)).toBe(true);
    if (isProbeParseError(result)) expect(result.error).toMatch(message);
  });

  it('ignores malformed entries inside known sections', () => {
    const result = parseBpftoolProbe(
      JSON.stringify({ program_types: { have_xdp_prog_type: 'yes', have_sched_cls_prog_type: true }, helpers: { xdp_available_helpers: 'bpf_redirect', sched_cls_available_helpers: ['bpf_redirect', 7] } }),
    );
    expect(isProbeParseError(result)).toBe(false);
    if (isProbeParseError(result)) return;
    expect(result.programTypes).toEqual({ sched_cls: true });
    expect(result.helpers).toEqual({ sched_cls: ['bpf_redirect'] });
  });

  it('never throws on arbitrary text or JSON', () => {
    fc.assert(fc.property(fc.string(), (text) => void parseBpftoolProbe(text)));
    fc.assert(fc.property(fc.json(), (json) => void parseBpftoolProbe(json)));
  });
});
