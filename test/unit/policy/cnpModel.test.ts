/** The typed CNP view: specs, sections, peers, ports and L7 rules with their nodes; odd input never throws. */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allowPortRules, allPortRules, parseCnp } from '../../../core/src/policy/cnpModel';
import { createParsedDocument } from '../../../core/src/parse/yamlFile';

function parse(text: string, kind = 'CiliumNetworkPolicy') {
  const document = createParsedDocument(text);
  return { policy: parseCnp(document.root, kind), text };
}

const POLICY = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata:
  name: web
  namespace: shop
specs:
  - endpointSelector:
      matchLabels:
        app: web
    ingress:
      - fromEndpoints:
          - matchLabels:
              app: frontend
        toPorts:
          - ports:
              - port: "080"
                protocol: TCP
                endPort: 90
            rules:
              http:
                - method: GET
    egressDeny:
      - toCIDR: []
        toPorts:
          - ports:
              - port: "53"
  - nodeSelector: {}
    egress:
      - toFQDNs:
          - matchName: example.com
        toPorts:
          - ports: [{port: "443", protocol: TCP}]
            rules:
              http:
              dns: []
`;

describe('parseCnp', () => {
  it('reads every spec, section, peer, port and L7 rule with source positions', () => {
    const { policy, text } = parse(POLICY);
    expect(policy?.namespace).toBe('shop');
    expect(policy?.clusterwide).toBe(false);
    expect(policy?.specs).toHaveLength(2);
    const [first, second] = policy!.specs;
    expect(first.endpointSelector?.key.type === 'scalar' && first.endpointSelector.key.text).toBe('endpointSelector');
    expect(first.sections.map((section) => section.direction)).toEqual(['ingress', 'egressDeny']);
    const ingress = first.rules[0];
    expect(ingress.ingress).toBe(true);
    expect(ingress.deny).toBe(false);
    expect(ingress.peers.map((peer) => [peer.field, peer.kind, peer.items?.length])).toEqual([['fromEndpoints', 'endpoints', 1]]);
    const port = ingress.portRules[0].ports[0];
    // Port text is kept as written, so octal-looking ports can be judged.
    expect(port.port).toBe('080');
    expect(port.protocol).toBe('TCP');
    expect(port.endPort).toBe('90');
    expect(text.slice(port.portPair!.value.start, port.portPair!.value.end)).toBe('"080"');
    expect(ingress.portRules[0].l7.map((entry) => entry.type)).toEqual(['http']);
    const deny = first.rules[1];
    expect(deny.deny).toBe(true);
    expect(deny.peers[0].items).toEqual([]);
    expect(deny.portRules[0].ports[0].protocol).toBeUndefined();
    expect(second.nodeSelector).toBeDefined();
    expect(second.rules[0].peers[0].kind).toBe('fqdns');
    // `http:` (null) does not count as an L7 type; `dns: []` does.
    expect(second.rules[0].portRules[0].l7.map((entry) => entry.type)).toEqual(['dns']);
  });

  it('lists port rules of allow sections separately from all port rules', () => {
    const { policy } = parse(POLICY);
    expect(allPortRules(policy!)).toHaveLength(3);
    expect(allowPortRules(policy!).map(({ rule }) => rule.direction)).toEqual(['ingress', 'egress']);
  });

  it('ignores other kinds and non-map roots', () => {
    expect(parse(POLICY, 'AuthorizationPolicy').policy).toBeUndefined();
    expect(parse('- a\n- b\n').policy).toBeUndefined();
    expect(parse('kind: CiliumClusterwideNetworkPolicy\nspec: 3\n', 'CiliumClusterwideNetworkPolicy').policy?.specs).toEqual([]);
  });

  it('follows aliases', () => {
    const { policy } = parse(`spec:
  endpointSelector: {}
  ingress:
    - fromCIDR: &nets
        - 10.0.0.0/8
    - fromCIDR: *nets
`);
    expect(policy!.specs[0].rules.map((rule) => rule.peers[0].items?.length)).toEqual([1, 1]);
  });

  it('never throws on arbitrary YAML-ish input', () => {
    const fragments = ['spec:', 'specs:', '  - ', 'ingress:', 'egress:', 'toPorts:', 'ports:', 'rules:', 'http:', '- port: x', '{', '[', ': ', '  ', '\n', '&a', '*a', 'null', '"q"'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...fragments), { maxLength: 40 }), (parts) => {
        const document = createParsedDocument(parts.join(''));
        expect(() => parseCnp(document.root, 'CiliumNetworkPolicy')).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
