/** Port, CIDR and DNS-pattern parsing as the Cilium agent does it. */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cidrContains, parseCidr, parseIp } from '../../../core/src/rules/cilium/cidrSyntax';
import { dnsNameMatcher, dnsPatternMatcher, sampleNameOfPattern } from '../../../core/src/policy/dnsPatterns';
import { isServiceName, parsePort } from '../../../core/src/rules/cilium/portSyntax';
import { re2Error } from '../../../core/src/rules/cilium/invalidHttpRegex';

describe('parsePort', () => {
  it('reads numbers with Go base-0 rules and service names', () => {
    expect(parsePort('80')).toEqual({ kind: 'number', value: 80 });
    expect(parsePort('010')).toEqual({ kind: 'number', value: 8 });
    expect(parsePort('080').kind).toBe('invalid');
    expect(parsePort('65536').kind).toBe('invalid');
    expect(parsePort('HTTP')).toEqual({ kind: 'name', name: 'http' });
    expect(parsePort('0x10')).toEqual({ kind: 'name', name: '0x10' });
    expect(parsePort('my_port').kind).toBe('invalid');
  });

  it('knows the IANA service-name shape', () => {
    expect(isServiceName('http-metrics')).toBe(true);
    expect(isServiceName('a--b')).toBe(false);
    expect(isServiceName('-http')).toBe(false);
    expect(isServiceName('a'.repeat(16))).toBe(false);
    expect(isServiceName('8080')).toBe(false);
  });
});

describe('CIDRs', () => {
  it('parses IPv4 and IPv6 addresses and prefixes', () => {
    expect(parseIp('10.0.0.1')?.family).toBe(4);
    expect(parseIp('010.0.0.1')).toBeUndefined();
    expect(parseIp('2001:db8::1')?.family).toBe(6);
    expect(parseIp('::ffff:10.0.0.1')?.bytes.slice(12)).toEqual([10, 0, 0, 1]);
    expect(parseIp('1::2::3')).toBeUndefined();
    expect(parseCidr('10.0.0.0/8')?.prefix).toBe(8);
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(parseCidr('10.0.0.1')).toBeUndefined();
    expect(parseCidr('fd00::/129')).toBeUndefined();
  });

  it('checks containment bit by bit', () => {
    expect(cidrContains(parseCidr('10.0.0.0/8')!, parseCidr('10.1.0.0/16')!)).toBe(true);
    expect(cidrContains(parseCidr('10.0.0.0/16')!, parseCidr('10.1.0.0/24')!)).toBe(false);
    expect(cidrContains(parseCidr('10.0.0.0/16')!, parseCidr('10.0.0.0/8')!)).toBe(false);
    expect(cidrContains(parseCidr('10.0.0.0/8')!, parseCidr('fd00::/64')!)).toBe(false);
    expect(cidrContains(parseCidr('2001:db8::/32')!, parseCidr('2001:db8:ffff::/48')!)).toBe(true);
  });
});

describe('DNS patterns', () => {
  it('matches whole names, case-insensitively, ignoring a trailing dot', () => {
    expect(dnsNameMatcher('API.example.com.').matches('api.example.com')).toBe(true);
    expect(dnsPatternMatcher('*.example.com', false).matches('a.example.com')).toBe(true);
    expect(dnsPatternMatcher('*.example.com', false).matches('example.com')).toBe(false);
    expect(dnsPatternMatcher('*.example.com', false).matches('a.b.example.com')).toBe(false);
    expect(dnsPatternMatcher('*example.com', false).matches('example.com')).toBe(true);
    expect(dnsPatternMatcher('*', false).matches('anything.at.all')).toBe(true);
  });

  it('treats a leading **. as several labels only from 1.19', () => {
    expect(dnsPatternMatcher('**.example.com', true).matches('a.b.example.com')).toBe(true);
    expect(dnsPatternMatcher('**.example.com', true).matches('example.com')).toBe(false);
    expect(dnsPatternMatcher('**.example.com', false).matches('a.b.example.com')).toBe(false);
  });

  it('agrees with an anchored regex of the same pattern (Cilium compiles patterns that way)', () => {
    // Reference: Cilium's translation, `**.` → one or more labels, `*` → label characters.
    const reference = (pattern: string, multi: boolean) => {
      const rest = pattern.startsWith('**.') ? pattern.slice(3) : pattern;
      const prefix = pattern.startsWith('**.') ? (multi ? '(?:[-a-z0-9_]+\\.)+' : '[-a-z0-9_]*\\.') : '';
      return new RegExp(`^${prefix}${rest.replace(/\./g, '\\.').replace(/\*/g, '[-a-z0-9_]*')}$`);
    };
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'b', '.', '*'), maxLength: 8 }).map((body) => (body.length % 2 === 0 ? `**.${body}` : body)),
        fc.string({ unit: fc.constantFrom('a', 'b', '.'), maxLength: 10 }),
        fc.boolean(),
        (pattern, name, multi) => {
          fc.pre(pattern.replace(/^\*\*\./, '') !== '' && !/^\*+$/.test(pattern) && !name.endsWith('.') && !pattern.endsWith('.'));
          expect(dnsPatternMatcher(pattern, multi).matches(name)).toBe(reference(pattern, multi).test(name));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('stays quadratic-free on a leading **. with many labels (a 9 KB policy took 79 s before)', () => {
    // Hostile: a name of 2,400 labels against `**.a*.a*.….b`: retrying the rest per label was cubic.
    const name = Array.from({ length: 2400 }, () => 'a').join('.');
    const pattern = `**.${Array.from({ length: 1200 }, () => 'a*').join('.')}.b`;
    expect(dnsPatternMatcher(pattern, true).matches(name)).toBe(false);
    expect(dnsPatternMatcher(pattern, true).matches(`${name}.b`)).toBe(true);
    expect(dnsPatternMatcher(pattern, false).matches(`${name}.b`)).toBe(false);
  });

  it('never matches with characters outside the pattern alphabet', () => {
    expect(dnsPatternMatcher('(.*)', true).matches('(x)')).toBe(false);
    expect(sampleNameOfPattern('*.github.com')).toBe('x.github.com');
  });
});

describe('re2Error', () => {
  it('reports what RE2 rejects and accepts RE2 syntax', () => {
    expect(re2Error('/api/(?!internal)')).toMatch(/error parsing regexp/);
    expect(re2Error('a{2,1}')).toMatch(/invalid repeat count/);
    expect(re2Error('/public(/.*)?')).toBeUndefined();
  });
});
