/**
 * The connectivity map panel's content (`client/src/preview/mapView.ts`):
 * every clickable element of the SVG has its rules listed, the page loads
 * nothing and escapes repository text, and a webview message opens only a
 * source the map lists for that element.
 */

import { describe, expect, it } from 'vitest';
import { mapHtml, mapTargets, sourceForMessage } from '../../../client/src/preview/mapView';
import { connectivityMap, defaultAnalysisOptions, renderConnectivitySvg, type ConnectivityMap } from '../../../core/src/index';
import { cnp, deployment, namespace, workspaceOf } from '../preview/support';

const workloads = [namespace('shop'), deployment('shop', 'web', { app: 'web' }), deployment('shop', 'api', { app: 'api' })].join('---\n');
const policy = cnp('shop', 'api', '  endpointSelector:\n    matchLabels: {app: api}\n  ingress:\n    - fromEndpoints: [{matchLabels: {app: web}}]\n      toPorts:\n        - ports: [{port: "8080", protocol: TCP}]\n          rules:\n            http: [{method: GET, path: "/</script><b>"}]\n');
const map = connectivityMap(workspaceOf({ workloads, policy }), { namespace: 'shop' }, defaultAnalysisOptions({})) as ConnectivityMap;
const display = (file: string) => file.replace('/repo/', '');

describe('connectivity map panel content', () => {
  const targets = mapTargets(map, display);

  it('lists the rules behind each edge and node of the SVG', () => {
    const svg = renderConnectivitySvg(map);
    const keys = [...svg.matchAll(/data-(edge|node|excluded)="([^"]+)"/g)].map((match) => `${match[1]}:${match[2].replace(/&gt;/g, '>')}`);
    expect(keys.length).toBe(map.edges.length + map.nodes.length);
    for (const key of keys) expect(targets[key], key).toBeDefined();
    expect(targets['edge:workload:shop/web->workload:shop/api']).toEqual({
      title: 'shop/web → shop/api',
      lines: ['8080/TCP: GET /</script><b> (allowed at ingress)'],
      sources: [
        { label: 'cnp shop/api ingress[0].toPorts[0]', location: 'policy.yaml:12', file: '/repo/policy.yaml', line: 12 },
        { label: 'cnp shop/api ingress[0].toPorts[0].rules.http[0]', location: 'policy.yaml:14', file: '/repo/policy.yaml', line: 14 },
      ],
    });
    expect(targets['node:workload:shop/api'].sources.map((source) => source.label)).toEqual(['Deployment shop/api', 'ingress default-deny: cnp shop/api ingress']);
  });

  it('builds a page that loads nothing and cannot be broken out of by repository text', () => {
    const html = mapHtml({ title: 'Connectivity <x>', svg: renderConnectivitySvg(map), targets, notes: ['a <note>'], nonce: 'abc123' });
    expect(html).toContain(`content="default-src 'none'; style-src 'nonce-abc123'; script-src 'nonce-abc123';"`);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(html).not.toMatch(/<(img|link|iframe)\b|src=/);
    expect(html).toContain('<title>Connectivity &lt;x&gt;</title>');
    expect(html).toContain('<li>a &lt;note&gt;</li>');
    // The embedded targets hold the HTTP path `/</script><b>`: escaped, the JSON block ends only once.
    const json = html.slice(html.indexOf('<script type="application/json" id="targets">'));
    expect(json.indexOf('</script>')).toBeGreaterThan(json.indexOf('\\u003c/script\\u003e'));
    expect(JSON.parse(json.slice(json.indexOf('>') + 1, json.indexOf('</script>')))).toEqual(targets);
    expect(html.match(/<script nonce="abc123">/g)).toHaveLength(1);
  });

  it('opens only a source the map lists for the element', () => {
    expect(sourceForMessage(targets, { type: 'open', key: 'edge:workload:shop/web->workload:shop/api', index: 1 })).toMatchObject({ file: '/repo/policy.yaml', line: 14 });
    expect(sourceForMessage(targets, { type: 'open', key: 'edge:workload:shop/web->workload:shop/api', index: 9 })).toBeUndefined();
    expect(sourceForMessage(targets, { type: 'open', key: '__proto__', index: 0 })).toBeUndefined();
    expect(sourceForMessage(targets, { type: 'open', key: 'edge:x', index: 0, file: '/etc/passwd' })).toBeUndefined();
    expect(sourceForMessage(targets, { type: 'select', key: 'node:workload:shop/api', index: 0 })).toBeUndefined();
    expect(sourceForMessage(targets, null)).toBeUndefined();
    expect(sourceForMessage(targets, { type: 'open', key: 'node:workload:shop/api', index: 0.5 })).toBeUndefined();
  });
});
