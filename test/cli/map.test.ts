/**
 * `meshlens map` end to end through the bundle (`dist/cli.js`): SVG (the
 * default), JSON with the files as given (relative), Mermaid, namespace and
 * cluster scopes, and usage errors (exit 2).
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { meshlens } from '../support/cli';
import { repoRoot } from '../support/repo';

describe('meshlens map', () => {
  it('writes an SVG by default', () => {
    const result = meshlens(['map', 'test/map-fixtures/shop', '--namespace', 'shop'], repoRoot);
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(result.stdout.trimEnd().endsWith('</svg>')).toBe(true);
    expect(result.stdout).toContain('Connectivity: namespace shop · Cilium 1.20 · 8 nodes, 8 edges');
    // Tooltips name the rules with the path as given.
    expect(result.stdout).toContain('cnp shop/api ingress[0].toPorts[0] — test/map-fixtures/shop/api-policy.yaml:13');
  });

  it('prints the model as JSON with relative files', () => {
    const result = meshlens(['map', 'test/map-fixtures/shop', '--format', 'json', '--namespace', 'shop'], repoRoot);
    expect(result.code).toBe(0);
    const map = JSON.parse(result.stdout);
    expect(map.scope).toEqual({ namespace: 'shop' });
    const edge = map.edges.find((candidate: { id: string }) => candidate.id === 'workload:shop/api->workload:shop/db');
    expect(edge.flows).toEqual([expect.objectContaining({ ports: '5432/TCP', l7: [], allowedAt: ['egress', 'ingress'] })]);
    expect(edge.flows[0].rules.map((rule: { file: string; line: number }) => `${rule.file}:${rule.line}`)).toEqual(['test/map-fixtures/shop/api-policy.yaml:22', 'test/map-fixtures/shop/db-policy.yaml:13']);
    expect(result.stdout).not.toContain(repoRoot);
  });

  it('prints a Mermaid flowchart, scoped to a cluster', () => {
    const clusters = join(repoRoot, 'test', 'fixtures', 'policytest', 'case-fails', 'cluster-scoped');
    const prod = meshlens(['map', '.', '--cluster', 'prod', '--format', 'mermaid'], clusters);
    expect(prod.code).toBe(0);
    expect(prod.stdout).toContain('flowchart LR');
    expect(prod.stdout).toContain('-->|"5432/TCP"|');
    const staging = meshlens(['map', '.', '--cluster', 'staging', '--format', 'mermaid'], clusters);
    expect(staging.stdout).not.toContain('-->');
  });

  it('rejects bad usage with exit 2', () => {
    const format = meshlens(['map', 'test/map-fixtures/shop', '--format', 'png'], repoRoot);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('--format must be svg, json or mermaid, not "png"');
    const namespace = meshlens(['map', 'test/map-fixtures/shop', '--namespace', 'nope'], repoRoot);
    expect(namespace.code).toBe(2);
    expect(namespace.stderr).toContain('no workload in namespace "nope"');
    const clusters = join(repoRoot, 'test', 'fixtures', 'policytest', 'case-fails', 'cluster-scoped');
    const cluster = meshlens(['map', '.', '--cluster', 'prd'], clusters);
    expect(cluster.code).toBe(2);
    expect(cluster.stderr).toContain('cluster "prd" is not a cluster of this repository');
  });
});

describe('the README pictures', () => {
  // The README shows what the CLI draws: regenerate with the commands in the README when the drawing changes.
  it.each([
    ['images/connectivity-map.svg', 'examples/platform-repo'],
    ['images/connectivity-map-shop.svg', 'test/map-fixtures/shop'],
  ])('%s is what `meshlens map %s --namespace shop` writes', (image, folder) => {
    const result = meshlens(['map', folder, '--namespace', 'shop'], repoRoot);
    expect(result.code).toBe(0);
    expect(readFileSync(join(repoRoot, image), 'utf8')).toBe(result.stdout);
  });
});
